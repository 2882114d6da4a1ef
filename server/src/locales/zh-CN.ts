/**
 * Every user-facing message the server sends, in Chinese, keyed by the stable error code (or by
 * the message key a shared zod schema reports).
 */
import { registryLabels } from '@shiliuzi/shared/registry-labels.zh-CN';

/** The lockout message with the time left, in whole minutes (at least 1). */
export const accountLockedMessage = (minutes: number) =>
  `登录失败次数过多，该账号已锁定，请 ${Math.max(1, minutes)} 分钟后再试`;

export const errorMessages = {
  import_target_type: '请选择社区、村、网格或驻区单位作为导入目标',
  import_upload_not_found: '上传的文件已过期或不存在，请重新上传',
  import_job_not_found: '导入任务不存在或已过期',
  import_template_not_found: '未找到该导入模板，或不在您的管辖范围内',
  import_upload_body: '请以文件内容（application/octet-stream）上传台账',
  import_file_too_large: '文件过大，请拆分后再导入',
  invalid_input: '提交的数据不符合要求',
  invalid_json: '请求内容不是有效的 JSON',
  unauthenticated: '请先登录',
  invalid_credentials: '用户名或密码错误',
  account_locked: '登录失败次数过多，该账号已暂时锁定，请稍后再试',
  too_many_login_attempts: '登录尝试过于频繁，请一分钟后再试',
  user_disabled: '该账号已停用，请联系管理员',
  forbidden: '您没有执行此操作的权限',
  cross_site_request: '请求来源不是本系统的页面，已拒绝。请刷新页面后重试',
  not_found: '未找到该记录，或您无权查看',
  route_not_found: '请求的接口不存在',
  org_unit_not_found: '未找到该组织，或不在您的管辖范围内',
  place_not_found: '未找到该房屋或场所，或不在您的管辖范围内',
  household_not_found: '未找到该户，或不在您的管辖范围内',
  resident_not_found: '未找到该居民，或不在您的管辖范围内',
  user_not_found: '未找到该用户',
  user_disable_self: '不能停用自己的账号',
  user_roles_self: '不能修改自己账号的角色',
  duty_roles_joined: '系统管理员、安全管理员、审计员三种职责须由不同账号分别担任',
  duty_role_not_grantable: '新建账号只能授予业务角色；系统管理员、安全管理员、审计员角色由安全管理员授予',
  password_too_short: '密码至少需要 8 个字符',
  password_too_simple: '密码须包含大写字母、小写字母、数字、符号中的至少三类',
  password_reused: '新密码不能与最近 5 次使用过的密码相同',
  password_wrong_current: '当前密码不正确',
  password_change_required: '请先修改密码后再继续使用',
  second_factor_required: '请先完成双因素验证（动态验证码）',
  totp_not_started: '请先开始绑定验证器',
  totp_not_enrolled: '该账号尚未绑定验证器',
  totp_code_wrong: '验证码不正确或已过期，请输入验证器上的最新 6 位数字或一个恢复码',
  stale_version: '该记录已被他人修改，请刷新后重试',
  not_deleted: '该记录未被删除，无需恢复',
  org_code_taken: '组织编码已存在',
  org_parent_invalid: '上级组织类型不符合层级要求（区 > 街道/乡镇 > 社区/村 > 网格）',
  org_has_children: '该组织下仍有下级组织或记录，不能删除',
  org_type_immutable: '组织类型和上级组织创建后不能修改',
  place_parent_invalid: '上级场所类型不符合层级要求（小区/院落 > 楼栋 > 单元 > 房屋）',
  place_parent_other_org: '上级场所属于其他组织',
  place_has_children: '该场所下仍有下级场所或居住人员，不能删除',
  dwelling_required: '此处只能选择房屋',
  household_other_org: '所选户属于其他组织',
  household_has_members: '该户仍有成员，不能删除',
  resident_already_registered: '该身份证号码已登记',
  username_taken: '用户名已存在',
  invalid_id_number: '身份证号码格式不正确',
  id_number_check_digit: '身份证号码校验位错误，请核对最后一位',
  id_number_gender_mismatch: '性别与身份证号码不符',
  id_number_birth_date_mismatch: '出生日期与身份证号码不符',
  unknown_ethnicity: '民族不在国家标准（GB/T 3304）代码表中',
  unknown_region: '行政区划代码不在国家标准（GB/T 2260）代码表中',
  invalid_phone: '电话号码格式不正确',
  gender_required: '没有身份证号码时请填写性别',
  floating_details_not_allowed: '只有流动人口才能填写流动信息',
  internal_error: '服务器内部错误，请稍后重试',
  audit_unavailable: '审计日志暂时无法写入，为保护个人信息本次查询未返回数据，请稍后重试',
  field_unreadable: '该字段的加密数据无法解密（可能被篡改或缺少对应密钥），已记录日志，请联系系统管理员',
  phone_search_partial: '按电话查找请输入完整号码，或输入后 4 位（尾号）',
  // disputes, petitions and hotline
  date_in_future: '日期不能晚于今天',
  date_before_intake: '日期不能早于受理（接收）日期',
  dispute_not_found: '未找到该矛盾纠纷，或不在您的管辖范围内',
  dispute_party_invalid: '每位当事人须选择登记居民或填写姓名，二者只能选其一',
  dispute_party_not_found: '所选当事人不存在，或不在您的管辖范围内',
  petition_not_found: '未找到该信访（热线）记录，或不在您的管辖范围内',
  petition_requester_invalid: '请选择登记居民或填写反映人姓名，二者只能选其一',
  petition_requester_not_found: '所选反映人不存在，或不在您的管辖范围内',
  petition_assignee_not_found: '所选承办人不存在，或不在您的管辖范围内',
  petition_transition_invalid: '办理状态不能这样变更（已办结、不予受理、已转办的记录不能再变更状态）',
  petition_closed: '该记录已办结，不能修改',
  // Casework: visits, must-visits, pairing, assistance.
  visit_not_found: '未找到该走访记录，或不在您的管辖范围内',
  visit_date_in_future: '走访日期不能晚于今天',
  event_date_in_future: '事件发生日期不能晚于今天',
  fund_source_required: '填写了慰问金额时请选择资金来源',
  must_visit_not_found: '未找到该必访任务，或不在您的管辖范围内',
  pairing_not_found: '未找到该结对记录，或不在您的管辖范围内',
  pairing_end_before_start: '结对结束日期不能早于开始日期',
  pairing_overlaps: '该户在这段时间内已有结对干部，请先结束原结对',
  assistance_not_found: '未找到该帮困记录，或不在您的管辖范围内',
  assistance_already_decided: '该帮困申请已审批，不能再修改或重复审批',
  decision_before_application: '审批日期不能早于申请日期',
  visit_photo_type:
    '只能上传 JPEG、PNG 或 WebP 格式的照片；该文件的内容不是这三种图片之一（改扩展名不会改变文件格式）',
  visit_photo_too_large: '照片文件过大',
  visit_photo_empty: '上传的照片文件是空的',
  visit_photo_limit: '每条走访记录最多保存 9 张照片，请先删除不需要的照片',
  visit_photo_body: '请以文件内容（application/octet-stream）上传照片',
  visit_photo_not_found: '未找到该照片，或不在您的管辖范围内',
  visit_photo_unreadable:
    '这张照片无法打开：文件已损坏，或加密它的主密钥未提供。请联系系统管理员（详情见服务日志）',
  visit_campaign_not_found: '未找到该节日走访活动，或不在您的管辖范围内',
  visit_campaign_exists: '该组织已有同一节日、同一计划日期的走访活动，无需重复创建',
  visit_campaign_dates: '开始日期不能晚于计划走访日期',
  // Retention of records.
  retention_period_too_short: '保留期限短于该类记录的最短保留期限',
  retention_action_not_allowed: '该类记录不能这样处理',
  retention_whole_tree_only: '数据保留期限只能由管辖全区（最上级组织）的管理员设置和执行',
  retention_running: '数据保留任务正在执行，请稍后再试',
  retention_run_not_found: '未找到该次执行记录',
} as const;

export type ErrorCode = keyof typeof errorMessages;

/** The name of a festival visit campaign created without one, e.g. 2026年春节走访. */
export const campaignDefaultName = (year: string, festival: string) => `${year}年${festival}走访`;

/** Messages about photos that carry a figure. */
export const photoMessages = {
  tooLarge: (maxBytes: number) =>
    `照片不能超过 ${Number((maxBytes / 1024 / 1024).toFixed(2))} MB，请压缩后再上传`,
  /** The name of a photo uploaded without one. */
  unnamed: '走访照片',
  /** At start: photos written before encryption, or under an earlier master key, now encrypted. */
  sealed: (files: number) => `已加密走访照片 ${files} 张（改用当前主密钥加密存储）`,
  /** At start: photos that could not be opened to encrypt again (logged one by one). */
  unreadable: (files: number) =>
    `有 ${files} 张走访照片无法打开（文件损坏或缺少旧主密钥），已原样保留，详情见日志`,
};

/** Field-level encryption (lib/field-crypto.ts, db/sealed-fields.ts). */
export const sealedFieldMessages = {
  /** Shown in place of a value that cannot be decrypted (logged with its table, column and row). */
  unreadable: '【无法解密】',
  sealed: (tables: number, rows: number) =>
    `已加密敏感字段：${tables} 张表共 ${rows} 行改为密文存储（身份证号、电话、纠纷信访文字、验证器密钥、历史记录）`,
  unknownKey: (keyId: string) =>
    `数据库中有用主密钥 ${keyId} 加密的字段，但未提供这把密钥：请把它的密钥文件加入 SHILIUZI_OLD_KEY_FILES（见 docs/SECURITY.md“密钥轮换”）`,
  notAuthentic: (column: string, rowId: string) =>
    `${column}（行 ${rowId}）的密文无法通过校验（被篡改，或从别的行、列复制而来）；请从备份恢复该行后再启动`,
} as const;

/** Chinese names of request fields, for validation messages. */
export const fieldLabels: Record<string, string> = {
  username: '用户名',
  password: '密码',
  code: '组织编码',
  name: '名称',
  type: '类型',
  parentId: '上级',
  orgUnitId: '所属组织',
  kind: '场所类型',
  idNumber: '身份证号码',
  ethnicityCode: '民族',
  gender: '性别',
  phone: '联系电话',
  birthDate: '出生日期',
  residenceType: '居住类型',
  relationToHead: '与户主关系',
  householdId: '所属户',
  dwellingId: '房屋',
  version: '版本号',
  page: '页码',
  pageSize: '每页条数',
  sort: '排序字段',
  originRegionCode: '户籍地',
  landlordPhone: '房东电话',
  floating: '流动信息',
  movedInOn: '迁入日期',
  movedOutOn: '迁出日期',
  from: '开始日期',
  to: '结束日期',
  intakeDate: '受理日期',
  source: '来源',
  category: '类别',
  riskLevel: '风险等级',
  handlingLevel: '调处层级',
  summary: '纠纷概况',
  parties: '当事人',
  followUp: '跟踪回访',
  outcome: '调处结果',
  closedOn: '办结日期',
  stepDate: '调处日期',
  notes: '记录内容',
  handledBy: '调解人',
  channel: '渠道',
  receivedDate: '接收日期',
  requesterName: '反映人',
  requesterResidentId: '反映人',
  subject: '反映事项',
  assigneeId: '承办人',
  status: '办理状态',
  date: '日期',
  days: '办理时限（天）',
  visitedOn: '走访日期',
  purpose: '走访事由',
  visitorIds: '走访人',
  residentIds: '走访对象',
  householdIds: '走访户',
  amountFen: '金额',
  fundSource: '资金来源',
  eventOn: '事件日期',
  dueDays: '办理时限（天）',
  cadreId: '结对干部',
  startedOn: '结对开始日期',
  endedOn: '结对结束日期',
  frequencyDays: '联系频次（天）',
  appliedOn: '申请日期',
  decidedOn: '审批日期',
  decision: '审批结果',
  residentId: '居民',
};

export const genericFieldMessage = '格式不正确';

/** Messages of the admin CLI (`npx shiliuzi …`). */
const auditProblems = {
  hash: '内容与其哈希不符（记录被修改）',
  link: '与上一条记录的哈希不相连（前面的记录被修改、删除或插入）',
  gap: '序号不连续（记录被删除）',
  head: '链尾与记录不符（末尾的记录被删除或追加）',
} as const;

export const cliMessages = {
  auditPruned: (removed: number, days: number, cutoff: string) =>
    `已移除 ${removed} 条 ${cutoff.slice(0, 10)} 之前的审计记录（保留期 ${days} 天，最短 180 天）`,
  auditIntact: (rows: number) => `审计日志完整：共 ${rows} 条记录，哈希链校验通过`,
  auditBroken: (bad: { seq: number; problem: keyof typeof auditProblems }, rows: number) =>
    `审计日志被篡改：第 ${bad.seq} 条记录${auditProblems[bad.problem]}（此前 ${rows} 条校验通过）`,
  fileNotFound: (file: string) => `文件不存在：${file}`,
  importProgress: (rows: number) => `已处理 ${rows} 行…`,
  importSummary: (r: {
    file: string;
    dryRun: boolean;
    rows: number;
    created: number;
    updated: number;
    merged: number;
    rejected: { row: number; sheet: string; reason: string }[];
    flagged: unknown[];
  }) =>
    [
      `${r.dryRun ? '预览（未写入）' : '已导入'}：${r.file}`,
      `读取 ${r.rows} 行：新增 ${r.created}，更新 ${r.updated}，合并 ${r.merged}，未导入 ${r.rejected.length}，待核实 ${r.flagged.length}`,
      ...r.rejected.map((p) => `  ${p.sheet} 第 ${p.row} 行：${p.reason}`),
    ].join('\n'),
  description: '石榴籽社区民族团结工作平台 — 管理命令',
  serving: (url: string) => `石榴籽已启动：${url}`,
  buildingWeb: '首次启动：正在构建网页前端（约半分钟）…',
  migrated: (n: number) => (n === 0 ? '数据库已是最新结构' : `已执行 ${n} 个数据库迁移`),
  demoLoaded: (r: { orgUnits: number; places: number; households: number; residents: number }) =>
    `已载入演示数据：组织 ${r.orgUnits} 个，场所 ${r.places} 处，户 ${r.households} 户，居民 ${r.residents} 人`,
  demoPresent: '演示数据已存在，未重复载入',
  demoLogins: '演示账号（仅演示模式）：',
  demoLogin: (u: { username: string; password: string; role: string; orgCode: string }) =>
    `  用户名 ${u.username}  密码 ${u.password}  角色 ${roleLabels[u.role as keyof typeof roleLabels] ?? u.role}  组织 ${u.orgCode}`,
  userAdded: (username: string) => `已创建用户 ${username}（首次登录须修改密码）`,
  orgAdded: (code: string, name: string) => `已创建组织 ${code} ${name}`,
  unknownOrgCode: (code: string) => `组织编码 ${code} 不存在`,
  unknownRole: (role: string) => `未知角色 ${role}，可选：${Object.keys(roleLabels).join('、')}`,
  failed: '命令执行失败：',
  productionNoDemo: '生产模式下不载入演示数据',
  rekeyPostgres: 'PostgreSQL 数据库不由本程序加密（请用磁盘或卷加密，见 docs/SECURITY.md），无需 db rekey',
  rekeyNoDatabase: (file: string) => `数据目录中没有数据库：${file}`,
  rekeyInUse: (dataDir: string) => `数据目录 ${dataDir} 正被运行中的服务使用：请先停止服务再轮换数据库密钥`,
  rekeyAlready: '数据库已使用当前主密钥加密，无需轮换',
  rekeyOldKeyWrong: (file: string) => `旧主密钥 ${file} 也无法打开数据库：请确认是轮换前使用的主密钥文件`,
  rekeyDone: (file: string) => `已用当前主密钥重新加密数据库：${file}`,
  databaseKeyWrong: (dataDir: string) =>
    `无法用当前主密钥打开数据库 ${dataDir}/shiliuzi.db：数据库文件已加密，请确认 SHILIUZI_MASTER_KEY 或 SHILIUZI_KEY_FILE 是建库时使用的主密钥（见 docs/BACKUP.md）`,
  roleBypassesRowSecurity: (role: string) =>
    `数据库角色 ${role} 是超级用户或具有 BYPASSRLS，行级安全对它无效：请让 DATABASE_URL 使用 shiliuzi_app 的成员角色（见 docs/SECURITY.md）`,
  roleOwnsTables: (role: string) =>
    `数据库角色 ${role} 是数据表的所有者，可以关闭行级安全：请让 DATABASE_URL 使用 shiliuzi_app 的成员角色，迁移用 DATABASE_OWNER_URL（见 docs/SECURITY.md）`,
  reportWritten: (file: string) => `报告已生成：${file}`,
  exportWritten: (registerName: string, rows: number, file: string) =>
    `已导出${registerName} ${rows} 行：${file}`,
  unknownRegister: (register: string, registers: readonly string[]) =>
    `未知台账 ${register}，可选：${registers.join('、')}`,
  exportFileType: '输出文件须以 .xlsx 或 .csv 结尾',
};

export const roleLabels = registryLabels.roles;

export const orgTypeLabels = registryLabels.orgUnitTypes;
