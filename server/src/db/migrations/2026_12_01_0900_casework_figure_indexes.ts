import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code. Indexes for the casework figures
// (statistics/casework-statistics.repository.ts) of a street: each holds every column its query
// reads, so the figures are counted from the index without visiting the table. Where a new index
// starts with the columns of an old one, it replaces it (every query the old one served, the new
// one serves too).

/** [name, table, columns, live rows only] of the indexes added, and the indexes they replace. */
const added: [string, string, string[], boolean][] = [
  // Visits by purpose in a period: (unit, date) as before, plus the purpose and the deleted mark.
  ['visit_org_date_purpose_idx', 'visit', ['org_unit_id', 'visited_on', 'purpose', 'deleted_at'], false],
  // Must-visits as they stood on a date: the three dates of every live task of a unit.
  [
    'must_visit_task_org_due_idx',
    'must_visit_task',
    ['org_unit_id', 'due_on', 'event_on', 'done_on', 'deleted_at'],
    false,
  ],
  // Pairing compliance: the unit's pairings active on a date, their households, the members, the
  // visits to either, and each visit's date (live visits) are read from indexes only.
  [
    'pairing_org_period_idx',
    'pairing',
    [
      'org_unit_id',
      'started_on',
      'ended_on',
      'household_id',
      'cadre_id',
      'frequency_days',
      'deleted_at',
      'id',
    ],
    false,
  ],
  ['visit_subject_household_visit_idx', 'visit_subject', ['household_id', 'visit_id'], false],
  ['visit_subject_resident_visit_idx', 'visit_subject', ['resident_id', 'visit_id'], false],
  ['resident_household_member_idx', 'resident', ['household_id', 'id'], false],
  ['visit_live_id_date_idx', 'visit', ['id', 'visited_on', 'deleted_at'], true],
  // Pairing coverage: whether a household is live and in the unit, and whether it has a live
  // pairing on a date.
  ['household_live_id_idx', 'household', ['id', 'org_unit_id', 'deleted_at'], true],
  [
    'pairing_household_period_idx',
    'pairing',
    ['household_id', 'started_on', 'ended_on', 'deleted_at'],
    false,
  ],
];
const replaced: [string, string, string[]][] = [
  ['visit_org_date_idx', 'visit', ['org_unit_id', 'visited_on']],
  ['pairing_org_idx', 'pairing', ['org_unit_id']],
  ['must_visit_task_org_idx', 'must_visit_task', ['org_unit_id', 'due_on']],
  ['visit_subject_household_idx', 'visit_subject', ['household_id']],
  ['visit_subject_resident_idx', 'visit_subject', ['resident_id']],
  ['resident_household_all_idx', 'resident', ['household_id']],
  ['pairing_household_idx', 'pairing', ['household_id', 'started_on']],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, columns, live] of added) {
    const index = db.schema.createIndex(name).on(table).columns(columns);
    await (live ? index.where(sql.ref('deleted_at'), 'is', null) : index).execute();
  }
  for (const [name] of replaced) await db.schema.dropIndex(name).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name, table, columns] of replaced) {
    await db.schema.createIndex(name).on(table).columns(columns).execute();
  }
  for (const [name] of added) await db.schema.dropIndex(name).execute();
}
