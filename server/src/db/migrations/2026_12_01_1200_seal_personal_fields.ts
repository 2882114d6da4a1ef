import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code. Field-level encryption at rest: ID
// numbers, phones, dispute and petition text, TOTP secrets, history snapshots and import reports are
// stored sealed (AES-256-GCM, keys outside the database). A migration has no keys, so it only makes
// room: blind-index columns for the lookups by ID number and phone (the one-live-person-per-ID rule
// moves onto the ID number's), the masked phone lists show, and `field_encryption`, one row per
// table saying which master key its values are sealed under (null: not yet, e.g. plaintext written
// before this migration). The server seals or re-seals a table whose row does not name its current
// key before it answers anything (db/sealed-fields.ts). On PostgreSQL that table is behind the
// row-security wall of 2026_12_01_0900_row_level_security like the others: only the system (the
// start-up sealing) reads or changes it.

const APP_ROLE = 'shiliuzi_app';

const sealedTables = [
  'resident',
  'floating_resident',
  'place',
  'dispute',
  'dispute_step',
  'petition',
  'petition_event',
  'change_log',
  'import_batch',
  'app_user',
];

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const column of ['id_number_hash', 'phone_hash', 'phone_masked']) {
    await db.schema.alterTable('resident').addColumn(column, 'text').execute();
  }
  await db.schema.dropIndex('resident_id_number_live_idx').execute();
  // One live resident per ID number, now by its keyed hash (null until the table is sealed).
  await db.schema
    .createIndex('resident_id_number_hash_live_idx')
    .on('resident')
    .column('id_number_hash')
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
  await db.schema.createIndex('resident_phone_hash_idx').on('resident').column('phone_hash').execute();

  const table = db.schema
    .createTable('field_encryption')
    .addColumn('table_name', 'text', (c) => c.primaryKey())
    .addColumn('key_id', 'text');
  await (isPostgres ? table : table.modifyEnd(sql`strict`)).execute();
  await db
    .insertInto('field_encryption')
    .values(sealedTables.map((name) => ({ table_name: name, key_id: null })))
    .execute();
  if (isPostgres) {
    const system = '(select shiliuzi_is_system())';
    await sql.raw(`grant select, update on field_encryption to ${APP_ROLE}`).execute(db);
    await sql.raw('alter table field_encryption enable row level security').execute(db);
    await sql.raw('alter table field_encryption force row level security').execute(db);
    await sql
      .raw(
        `create policy field_encryption_system on field_encryption for all using (${system}) with check (${system})`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  // Sealed values stay sealed: going down does not decrypt them.
  await db.schema.dropTable('field_encryption').execute(); // its grant and policy go with it
  await db.schema.dropIndex('resident_phone_hash_idx').execute();
  await db.schema.dropIndex('resident_id_number_hash_live_idx').execute();
  for (const column of ['id_number_hash', 'phone_hash', 'phone_masked']) {
    await db.schema.alterTable('resident').dropColumn(column).execute();
  }
  await db.schema
    .createIndex('resident_id_number_live_idx')
    .on('resident')
    .column('id_number')
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
}
