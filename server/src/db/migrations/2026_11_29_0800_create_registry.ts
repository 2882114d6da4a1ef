import { PostgresAdapter, sql, type ColumnDataType, type Kysely, type CreateTableBuilder } from 'kysely';

// Frozen in time: this file must not import application code. It creates the registry core
// (org tree, places, households, residents, users, sessions, change history) on SQLite and
// PostgreSQL alike; the few type differences are resolved here, once.

const ethnicGroups: [string, string, string, string, number][] = [
  ['01', '汉族', 'Han', 'HA', 0],
  ['02', '蒙古族', 'Mongol', 'MG', 0],
  ['03', '回族', 'Hui', 'HU', 0],
  ['04', '藏族', 'Zang', 'ZA', 0],
  ['05', '维吾尔族', 'Uygur', 'UG', 0],
  ['06', '苗族', 'Miao', 'MH', 0],
  ['07', '彝族', 'Yi', 'YI', 0],
  ['08', '壮族', 'Zhuang', 'ZH', 0],
  ['09', '布依族', 'Buyei', 'BY', 0],
  ['10', '朝鲜族', 'Chosen', 'CS', 0],
  ['11', '满族', 'Man', 'MA', 0],
  ['12', '侗族', 'Dong', 'DO', 0],
  ['13', '瑶族', 'Yao', 'YA', 0],
  ['14', '白族', 'Bai', 'BA', 0],
  ['15', '土家族', 'Tujia', 'TJ', 0],
  ['16', '哈尼族', 'Hani', 'HN', 0],
  ['17', '哈萨克族', 'Kazak', 'KZ', 0],
  ['18', '傣族', 'Dai', 'DA', 0],
  ['19', '黎族', 'Li', 'LI', 0],
  ['20', '傈僳族', 'Lisu', 'LS', 0],
  ['21', '佤族', 'Va', 'VA', 0],
  ['22', '畲族', 'She', 'SH', 0],
  ['23', '高山族', 'Gaoshan', 'GS', 0],
  ['24', '拉祜族', 'Lahu', 'LH', 0],
  ['25', '水族', 'Sui', 'SU', 0],
  ['26', '东乡族', 'Dongxiang', 'DX', 0],
  ['27', '纳西族', 'Naxi', 'NX', 0],
  ['28', '景颇族', 'Jingpo', 'JP', 0],
  ['29', '柯尔克孜族', 'Kirgiz', 'KG', 0],
  ['30', '土族', 'Tu', 'TU', 0],
  ['31', '达斡尔族', 'Daur', 'DU', 0],
  ['32', '仫佬族', 'Mulao', 'ML', 0],
  ['33', '羌族', 'Qiang', 'QI', 0],
  ['34', '布朗族', 'Blang', 'BL', 0],
  ['35', '撒拉族', 'Salar', 'SL', 0],
  ['36', '毛南族', 'Maonan', 'MN', 0],
  ['37', '仡佬族', 'Gelao', 'GL', 0],
  ['38', '锡伯族', 'Xibe', 'XB', 0],
  ['39', '阿昌族', 'Achang', 'AC', 0],
  ['40', '普米族', 'Pumi', 'PM', 0],
  ['41', '塔吉克族', 'Tajik', 'TA', 0],
  ['42', '怒族', 'Nu', 'NU', 0],
  ['43', '乌孜别克族', 'Uzbek', 'UZ', 0],
  ['44', '俄罗斯族', 'Russ', 'RS', 0],
  ['45', '鄂温克族', 'Ewenki', 'EW', 0],
  ['46', '德昂族', 'Deang', 'DE', 0],
  ['47', '保安族', 'Bonan', 'BN', 0],
  ['48', '裕固族', 'Yugur', 'YG', 0],
  ['49', '京族', 'Gin', 'GI', 0],
  ['50', '塔塔尔族', 'Tatar', 'TT', 0],
  ['51', '独龙族', 'Derung', 'DR', 0],
  ['52', '鄂伦春族', 'Oroqen', 'OR', 0],
  ['53', '赫哲族', 'Hezhen', 'HZ', 0],
  ['54', '门巴族', 'Monba', 'MB', 0],
  ['55', '珞巴族', 'Lhoba', 'LB', 0],
  ['56', '基诺族', 'Jino', 'JN', 0],
  ['97', '其他未识别民族', 'Other', 'QT', 1],
  ['98', '外国血统中国籍人士', 'Foreign origin', 'WX', 1],
];

function typesFor(db: Kysely<any>) {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    isPostgres,
    id: (isPostgres ? 'uuid' : 'text') as ColumnDataType,
    bool: (isPostgres ? 'boolean' : 'integer') as ColumnDataType,
    falseValue: isPostgres ? sql`false` : sql`0`,
    timestamp: (isPostgres ? 'timestamptz' : 'text') as ColumnDataType,
    date: (isPostgres ? 'date' : 'text') as ColumnDataType,
    real: (isPostgres ? 'double precision' : 'real') as ColumnDataType,
    /** SQLite tables are STRICT so a wrong type is refused rather than stored. */
    strict: <T extends CreateTableBuilder<any, any>>(t: T): T =>
      (isPostgres ? t : t.modifyEnd(sql`strict`)) as T,
  };
}

export async function up(db: Kysely<any>): Promise<void> {
  const t = typesFor(db);

  // Columns every mutable record has: optimistic-lock version, audit stamps and soft delete.
  const withRecordColumns = <T extends CreateTableBuilder<any, any>>(b: T): T =>
    b
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('created_by', t.id)
      .addColumn('updated_by', t.id)
      .addColumn('deleted_at', t.timestamp) as T;

  await t
    .strict(
      db.schema
        .createTable('ethnic_group')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('roman', 'text', (c) => c.notNull())
        .addColumn('abbrev', 'text', (c) => c.notNull())
        .addColumn('is_extension', t.bool, (c) => c.notNull().defaultTo(t.falseValue)),
    )
    .execute();
  await db
    .insertInto('ethnic_group')
    .values(
      ethnicGroups.map(([code, name, roman, abbrev, ext]) => ({
        code,
        name,
        roman,
        abbrev,
        is_extension: t.isPostgres ? ext === 1 : ext,
      })),
    )
    .execute();

  await t
    .strict(
      withRecordColumns(
        db.schema
          .createTable('org_unit')
          .addColumn('id', t.id, (c) => c.primaryKey())
          .addColumn('code', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('member_unit_kind', 'text')
          .addColumn('parent_id', t.id, (c) => c.references('org_unit.id'))
          // Materialised path of ids, '/<district>/<street>/<community>/', ending with this unit.
          .addColumn('path', 'text', (c) => c.notNull().unique())
          .addColumn('depth', 'integer', (c) => c.notNull())
          // The street (or township) this unit rolls up to: the future distribution key.
          .addColumn('street_id', t.id, (c) => c.references('org_unit.id'))
          .addColumn('area_km2', t.real),
      ),
    )
    .execute();
  await db.schema.createIndex('org_unit_parent_idx').on('org_unit').column('parent_id').execute();
  if (t.isPostgres) {
    await sql`create index org_unit_path_prefix_idx on org_unit (path text_pattern_ops)`.execute(db);
  }

  await t
    .strict(
      withRecordColumns(
        db.schema
          .createTable('place')
          .addColumn('id', t.id, (c) => c.primaryKey())
          .addColumn('org_unit_id', t.id, (c) => c.notNull().references('org_unit.id'))
          .addColumn('street_id', t.id, (c) => c.references('org_unit.id'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('parent_id', t.id, (c) => c.references('place.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('address', 'text')
          .addColumn('is_rental', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
          .addColumn('landlord_name', 'text')
          .addColumn('landlord_phone', 'text')
          .addColumn('note', 'text'),
      ),
    )
    .execute();
  await db.schema.createIndex('place_org_kind_idx').on('place').columns(['org_unit_id', 'kind']).execute();
  await db.schema.createIndex('place_parent_idx').on('place').column('parent_id').execute();

  await t
    .strict(
      withRecordColumns(
        db.schema
          .createTable('household')
          .addColumn('id', t.id, (c) => c.primaryKey())
          .addColumn('org_unit_id', t.id, (c) => c.notNull().references('org_unit.id'))
          .addColumn('street_id', t.id, (c) => c.references('org_unit.id'))
          .addColumn('dwelling_id', t.id, (c) => c.references('place.id'))
          .addColumn('household_number', 'text')
          .addColumn('address', 'text')
          .addColumn('note', 'text'),
      ),
    )
    .execute();
  await db.schema
    .createIndex('household_org_idx')
    .on('household')
    .columns(['org_unit_id', 'deleted_at'])
    .execute();
  await db.schema.createIndex('household_dwelling_idx').on('household').column('dwelling_id').execute();

  await t
    .strict(
      withRecordColumns(
        db.schema
          .createTable('resident')
          .addColumn('id', t.id, (c) => c.primaryKey())
          .addColumn('org_unit_id', t.id, (c) => c.notNull().references('org_unit.id'))
          .addColumn('street_id', t.id, (c) => c.references('org_unit.id'))
          .addColumn('household_id', t.id, (c) => c.references('household.id'))
          .addColumn('relation_to_head', 'text')
          .addColumn('dwelling_id', t.id, (c) => c.references('place.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('gender', 'text', (c) => c.notNull())
          .addColumn('ethnicity_code', 'text', (c) => c.notNull().references('ethnic_group.code'))
          .addColumn('id_number', 'text')
          .addColumn('birth_date', t.date)
          .addColumn('origin_region_code', 'text')
          .addColumn('phone', 'text')
          .addColumn('residence_type', 'text', (c) => c.notNull())
          .addColumn('is_hardship', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
          .addColumn('is_minimum_living_allowance', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
          .addColumn('is_disabled', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
          .addColumn('is_elderly_alone', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
          .addColumn('is_party_member', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
          .addColumn('is_volunteer', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
          // JSON array of language names, e.g. ["汉语","羌语"].
          .addColumn('languages', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('moved_in_on', t.date)
          .addColumn('moved_out_on', t.date)
          .addColumn('note', 'text'),
      ),
    )
    .execute();
  // One live resident per ID number; a soft-deleted one may be registered again.
  await db.schema
    .createIndex('resident_id_number_live_idx')
    .on('resident')
    .column('id_number')
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
  // Live rows only: lists, searches and figures read live residents, and a partial index lets both
  // engines answer counts from the index alone. Deleted rows are reached through org_deleted.
  // `deleted_at` (always null in them) is a column too: SQLite counts an index as covering only
  // when every column the query names is in it.
  const live = <T extends { where: (...args: any[]) => T }>(b: T): T =>
    b.where(sql.ref('deleted_at'), 'is', null);
  // Pages by grid and ethnicity come out of it in name order, and it also holds every column the
  // registry figures read (statistics.repository.ts), so those never touch the table.
  await live(
    db.schema
      .createIndex('resident_org_ethnicity_name_idx')
      .on('resident')
      .columns([
        'org_unit_id',
        'ethnicity_code',
        'name',
        'id',
        'residence_type',
        'relation_to_head',
        'household_id',
        'moved_in_on',
        'moved_out_on',
        'deleted_at',
      ]),
  ).execute();
  await live(
    db.schema
      .createIndex('resident_org_name_idx')
      .on('resident')
      .columns(['org_unit_id', 'name', 'id', 'deleted_at']),
  ).execute();
  await live(
    db.schema
      .createIndex('resident_household_idx')
      .on('resident')
      .columns([
        'household_id',
        'relation_to_head',
        'ethnicity_code',
        'org_unit_id',
        'moved_in_on',
        'moved_out_on',
        'deleted_at',
      ]),
  ).execute();
  await db.schema
    .createIndex('resident_org_deleted_idx')
    .on('resident')
    .columns(['org_unit_id', 'deleted_at'])
    .execute();
  await db.schema.createIndex('resident_household_all_idx').on('resident').column('household_id').execute();
  await db.schema.createIndex('resident_dwelling_idx').on('resident').column('dwelling_id').execute();

  await t
    .strict(
      db.schema
        .createTable('floating_resident')
        .addColumn('resident_id', t.id, (c) => c.primaryKey().references('resident.id'))
        .addColumn('arrival_date', t.date)
        .addColumn('origin_address', 'text')
        .addColumn('reason', 'text')
        .addColumn('expected_stay_months', 'integer')
        .addColumn('stall', 'text')
        .addColumn('landlord_name', 'text')
        .addColumn('landlord_phone', 'text'),
    )
    .execute();

  // Every distinct 1- and 2-character substring of a live resident's name, with the org unit and the
  // name itself, so a substring search of any length is an index range scan on both databases
  // (rows are removed when the resident is deleted and written again on restore).
  const gramTable = db.schema
    .createTable('resident_name_gram')
    .addColumn('gram', 'text', (c) => c.notNull())
    .addColumn('org_unit_id', t.id, (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('resident_id', t.id, (c) => c.notNull().references('resident.id'))
    .addPrimaryKeyConstraint('resident_name_gram_pk', ['gram', 'org_unit_id', 'name', 'resident_id']);
  await (t.isPostgres ? gramTable : gramTable.modifyEnd(sql`strict, without rowid`)).execute();
  await db.schema
    .createIndex('resident_name_gram_resident_idx')
    .on('resident_name_gram')
    .column('resident_id')
    .execute();

  await t
    .strict(
      withRecordColumns(
        db.schema
          .createTable('app_user')
          .addColumn('id', t.id, (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('org_unit_id', t.id, (c) => c.notNull().references('org_unit.id'))
          .addColumn('is_disabled', t.bool, (c) => c.notNull().defaultTo(t.falseValue)),
      ),
    )
    .execute();
  await t
    .strict(
      db.schema
        .createTable('user_role')
        .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('user_role_pk', ['user_id', 'role']),
    )
    .execute();
  await t
    .strict(
      db.schema
        .createTable('user_session')
        // SHA-256 of the cookie token: a stolen database does not yield live sessions.
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id'))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('ip', 'text'),
    )
    .execute();
  await db.schema.createIndex('user_session_user_idx').on('user_session').column('user_id').execute();

  await t
    .strict(
      db.schema
        .createTable('change_log')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', t.id, (c) => c.notNull())
        .addColumn('org_unit_id', t.id)
        .addColumn('street_id', t.id)
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('actor_id', t.id)
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('before', 'text')
        .addColumn('after', 'text'),
    )
    .execute();
  await db.schema
    .createIndex('change_log_entity_idx')
    .on('change_log')
    .columns(['entity_type', 'entity_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'change_log',
    'user_session',
    'user_role',
    'app_user',
    'resident_name_gram',
    'floating_resident',
    'resident',
    'household',
    'place',
    'org_unit',
    'ethnic_group',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
