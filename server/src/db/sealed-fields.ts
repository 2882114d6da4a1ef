import { maskPhone } from '@shiliuzi/shared/masking';
import type { Kysely } from 'kysely';
import {
  idNumberIndex,
  installedFieldKeys,
  phoneIndex,
  seal,
  sealedKeyId,
  unseal,
  UnsealError,
  type FieldErrorLog,
  type FieldKeys,
  type SealedColumn,
} from '../lib/field-crypto.ts';
import { sealedFieldMessages } from '../locales/zh-CN.ts';
import type { Executor } from './database.ts';
import { dialectOf } from './dialect-of.ts';
import { runAsSystem } from './row-security.ts';
import type { DB } from './schema.ts';

// Brings every sealed column to the current master key before the server answers anything: values
// still in plaintext (written before field encryption existed) are sealed, values sealed under an
// earlier master key (after a rotation, with SHILIUZI_OLD_KEY_FILES) are re-sealed, and the blind
// indexes and masked phones derived from them are written anew. Each table is done in one
// transaction with its `field_encryption` row, so a table is either wholly done or untouched, and a
// second process starting at the same time waits and then finds nothing left to do.

/** A sealed column of a table, by its camelCase name, and what is derived from its clear value. */
interface SealedColumnSpec {
  column: string;
  sealed: SealedColumn;
  derive?: (clear: string, keys: FieldKeys) => Record<string, string>;
}

interface SealedTableSpec {
  /** The table as `field_encryption` names it (snake_case). */
  name: string;
  table: keyof DB;
  /** The primary key the values are bound to. */
  key: string;
  columns: SealedColumnSpec[];
}

export const sealedTables: readonly SealedTableSpec[] = [
  {
    name: 'resident',
    table: 'resident',
    key: 'id',
    columns: [
      {
        column: 'idNumber',
        sealed: 'resident.id_number',
        derive: (clear, keys) => ({ idNumberHash: idNumberIndex(clear, keys) }),
      },
      {
        column: 'phone',
        sealed: 'resident.phone',
        derive: (clear, keys) => ({ phoneHash: phoneIndex(clear, keys), phoneMasked: maskPhone(clear) }),
      },
    ],
  },
  {
    name: 'floating_resident',
    table: 'floatingResident',
    key: 'residentId',
    columns: [{ column: 'landlordPhone', sealed: 'floating_resident.landlord_phone' }],
  },
  {
    name: 'place',
    table: 'place',
    key: 'id',
    columns: [{ column: 'landlordPhone', sealed: 'place.landlord_phone' }],
  },
  {
    name: 'dispute',
    table: 'dispute',
    key: 'id',
    columns: [
      { column: 'summary', sealed: 'dispute.summary' },
      { column: 'followUp', sealed: 'dispute.follow_up' },
    ],
  },
  {
    name: 'dispute_step',
    table: 'disputeStep',
    key: 'id',
    columns: [{ column: 'notes', sealed: 'dispute_step.notes' }],
  },
  {
    name: 'petition',
    table: 'petition',
    key: 'id',
    columns: [
      { column: 'subject', sealed: 'petition.subject' },
      { column: 'requesterName', sealed: 'petition.requester_name' },
    ],
  },
  {
    name: 'petition_event',
    table: 'petitionEvent',
    key: 'id',
    columns: [{ column: 'notes', sealed: 'petition_event.notes' }],
  },
  {
    name: 'change_log',
    table: 'changeLog',
    key: 'id',
    columns: [
      { column: 'before', sealed: 'change_log.before' },
      { column: 'after', sealed: 'change_log.after' },
    ],
  },
  {
    name: 'import_batch',
    table: 'importBatch',
    key: 'id',
    columns: [{ column: 'report', sealed: 'import_batch.report' }],
  },
  {
    name: 'app_user',
    table: 'appUser',
    key: 'id',
    columns: [
      { column: 'totpSecret', sealed: 'app_user.totp_secret' },
      { column: 'totpPendingSecret', sealed: 'app_user.totp_pending_secret' },
    ],
  },
];

/** Rows read per query while sealing. */
const BATCH_ROWS = 1000;

/** Thrown when the database holds values under a master key that was not supplied. */
export class SealedFieldsKeyError extends Error {
  constructor(readonly keyId: string) {
    super(sealedFieldMessages.unknownKey(keyId));
    this.name = 'SealedFieldsKeyError';
  }
}

export interface SealingResult {
  /** Tables sealed or re-sealed now. */
  tables: number;
  /** Rows whose values were sealed or re-sealed. */
  rows: number;
  /** Values that could not be opened (logged; left as they were and shown as 【无法解密】). */
  unreadable: number;
}

/**
 * Seals what is not yet under the current key (see the comment at the top). Throws
 * SealedFieldsKeyError when a value is under a master key that is not loaded.
 */
export async function sealOutstandingFields(
  db: Executor,
  log: FieldErrorLog,
  keys: FieldKeys = installedFieldKeys(),
): Promise<SealingResult> {
  // Every row of every org unit, whoever started it (PostgreSQL: past the row-security wall).
  return runAsSystem(() => sealAll(db, log, keys));
}

async function sealAll(db: Executor, log: FieldErrorLog, keys: FieldKeys): Promise<SealingResult> {
  const result: SealingResult = { tables: 0, rows: 0, unreadable: 0 };
  const states = await db.selectFrom('fieldEncryption').selectAll().execute();
  const current = keys.current.keyId;
  for (const spec of sealedTables) {
    if (states.find((s) => s.tableName === spec.name)?.keyId === current) continue;
    const done = await db.transaction().execute((trx) => sealTable(trx, spec, keys, log));
    if (done) {
      result.tables += 1;
      result.rows += done.rows;
      result.unreadable += done.unreadable;
    }
  }
  return result;
}

async function sealTable(
  trx: Executor,
  spec: SealedTableSpec,
  keys: FieldKeys,
  log: FieldErrorLog,
): Promise<{ rows: number; unreadable: number } | undefined> {
  const current = keys.current.keyId;
  // PostgreSQL: the row lock makes a second process wait; SQLite's transaction holds the write lock.
  const state = await trx
    .selectFrom('fieldEncryption')
    .select('keyId')
    .where('tableName', '=', spec.name)
    .$if(dialectOf(trx).name === 'postgres', (qb) => qb.forUpdate())
    .executeTakeFirst();
  if (state?.keyId === current) return undefined;
  // The tables differ; every column read or written here is text keyed by the spec's names.
  const tables = trx as unknown as Kysely<Record<string, Record<string, string | null>>>;
  let rows = 0;
  let unreadable = 0;
  let after: string | undefined;
  for (;;) {
    const batch: Record<string, string | null>[] = await tables
      .selectFrom(spec.table)
      .select([spec.key, ...spec.columns.map((c) => c.column)])
      .$if(after !== undefined, (qb) => qb.where(spec.key, '>', after!))
      .orderBy(spec.key)
      .limit(BATCH_ROWS)
      .execute();
    for (const row of batch) {
      const rowId = row[spec.key]!;
      const patch: Record<string, string> = {};
      for (const column of spec.columns) {
        const stored = row[column.column] ?? null;
        if (stored === null) continue;
        const keyId = sealedKeyId(stored);
        if (keyId === current) continue;
        let clear: string;
        if (keyId === undefined) {
          clear = stored; // plaintext from before field encryption
        } else {
          try {
            clear = unseal(column.sealed, rowId, stored, keys);
          } catch (error) {
            if (!(error instanceof UnsealError)) throw error;
            if (error.problem === 'unknown_key') throw new SealedFieldsKeyError(keyId);
            log({ column: column.sealed, rowId, keyId }, `cannot re-seal: ${error.message}`);
            unreadable += 1;
            continue;
          }
        }
        patch[column.column] = seal(column.sealed, rowId, clear, keys);
        Object.assign(patch, column.derive?.(clear, keys));
      }
      if (Object.keys(patch).length > 0) {
        await tables.updateTable(spec.table).set(patch).where(spec.key, '=', rowId).execute();
        rows += 1;
      }
    }
    if (batch.length < BATCH_ROWS) break;
    after = batch[batch.length - 1]![spec.key]!;
  }
  await trx
    .updateTable('fieldEncryption')
    .set({ keyId: current })
    .where('tableName', '=', spec.name)
    .execute();
  return { rows, unreadable };
}
