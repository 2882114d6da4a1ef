import type {
  FloatingReason,
  Gender,
  HouseholdRelation,
  OrgUnitType,
  PlaceKind,
  ResidenceType,
  ResidentFlag,
  Role,
} from './registry.ts';
import type { ImportField, RegisterKind } from './imports.ts';

/** Chinese labels of the closed sets in registry.ts, for the web app, the CLI and the reports. */
export const registryLabels = {
  orgUnitTypes: {
    district: '区',
    street: '街道',
    township: '乡镇',
    community: '社区',
    village: '村',
    grid: '网格',
    unit: '驻区单位',
  } satisfies Record<OrgUnitType, string>,
  roles: {
    system_admin: '系统管理员',
    security_admin: '安全管理员',
    street_officer: '街道干部',
    community_worker: '社区工作者',
    grid_worker: '网格员',
    viewer: '只读用户',
    auditor: '审计员',
  } satisfies Record<Role, string>,
  genders: { male: '男', female: '女' } satisfies Record<Gender, string>,
  residenceTypes: { permanent: '常住', registered: '户籍', floating: '流动' } satisfies Record<
    ResidenceType,
    string
  >,
  householdRelations: {
    head: '户主',
    spouse: '配偶',
    child: '子女',
    child_in_law: '儿媳/女婿',
    grandchild: '孙子女',
    parent: '父母',
    parent_in_law: '公婆/岳父母',
    grandparent: '祖父母',
    sibling: '兄弟姐妹',
    other: '其他',
  } satisfies Record<HouseholdRelation, string>,
  floatingReasons: {
    work: '务工',
    trade: '经商',
    study: '就学',
    family: '投亲',
    other: '其他',
  } satisfies Record<FloatingReason, string>,
  flags: {
    hardship: '困难',
    minimumLivingAllowance: '低保',
    disabled: '残疾',
    elderlyAlone: '独居老人',
    partyMember: '党员',
    volunteer: '志愿者',
  } satisfies Record<ResidentFlag, string>,
  placeKinds: {
    estate: '小区',
    courtyard: '院落',
    building: '楼栋',
    entrance: '单元',
    dwelling: '房屋',
    religious_venue: '宗教场所',
    venue: '其他场所',
  } satisfies Record<PlaceKind, string>,
};

/** Why an imported resident is held for review (待核实), by `resident.review_flag`. */
export const reviewFlagLabels: Record<string, string> = {
  id_check_digit: '身份证号码校验位错误',
  gender_mismatch: '性别与身份证号码不符',
  birth_date_mismatch: '出生日期与身份证号码不符',
};

export const registerKindLabels: Record<RegisterKind, string> = {
  residents: '居民台账',
  minority: '少数民族台账',
  floating: '流动人口台账',
  dwellings: '房屋台账',
};

/** The field names shown beside each column when the user checks the mapping. */
export const importFieldLabels: Record<ImportField, string> = {
  name: '姓名',
  idNumber: '公民身份号码',
  ethnicity: '民族',
  gender: '性别',
  birthDate: '出生日期',
  phone: '联系电话',
  address: '住址（整段）',
  estate: '小区/院落',
  building: '楼栋',
  entrance: '单元',
  room: '房号',
  grid: '网格',
  householdHead: '户主姓名',
  householdHeadIdNumber: '户主身份证号码',
  relationToHead: '与户主关系',
  residenceType: '人员类别',
  originRegion: '户籍地',
  languages: '掌握语言',
  movedInOn: '迁入日期',
  note: '备注',
  flags: '人员标识（多项）',
  'flag.hardship': '困难',
  'flag.minimumLivingAllowance': '低保',
  'flag.disabled': '残疾',
  'flag.elderlyAlone': '独居/空巢老人',
  'flag.partyMember': '党员',
  'flag.volunteer': '志愿者',
  arrivalDate: '来本地日期',
  floatingReason: '流入原因',
  floatingOrigin: '来源地',
  expectedStay: '预计居住时间',
  stall: '经营摊位',
  workplace: '工作单位',
  landlordName: '房东姓名',
  landlordPhone: '房东电话',
  dwellingStatus: '房屋状态',
  rented: '是否出租',
  ignored: '不导入（序号、年龄等）',
};
