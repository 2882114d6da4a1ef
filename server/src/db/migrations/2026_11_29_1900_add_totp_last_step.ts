import type { Kysely } from 'kysely';

// Frozen in time: this file must not import application code. The TOTP time step of the last code a
// user signed in with: a code is accepted once, never again within its window (RFC 6238 §5.2).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').addColumn('totp_last_step', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').dropColumn('totp_last_step').execute();
}
