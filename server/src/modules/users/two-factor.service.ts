import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Executor } from '../../db/database.ts';
import { defaultLoginPolicy, type LoginPolicy } from '../../config.ts';
import { invalidInput, unauthenticated } from '../../errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { openField, seal } from '../../lib/field-crypto.ts';
import { nowIso } from '../../lib/ids.ts';
import { userRepository } from './user.repository.ts';
import { forgetSession, hashToken, recordFailedSignIn } from './user.service.ts';

/** The name authenticator apps show for the account. */
const ISSUER = '石榴籽';
const RECOVERY_CODES = 10;

/** TOTP as RFC 6238 and authenticator apps expect it: SHA-1, 6 digits, 30-second steps. */
function totpOf(secret: string, username: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: username,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
}

/** The time step of a code of now, the step before or the step after (clocks drift); undefined when it is none. */
function stepOfCode(secret: string, username: string, code: string): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const totp = totpOf(secret, username);
  const delta = totp.validate({ token: code, window: 1 });
  return delta === null ? undefined : totp.counter() + delta;
}

/** Recovery codes are compared without case, spaces or dashes. */
const normalRecoveryCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();
const hashRecoveryCode = (code: string) =>
  createHash('sha256').update(normalRecoveryCode(code)).digest('hex');

async function requireUser(db: Executor, actor: Actor) {
  const row = actor.userId === null ? undefined : await userRepository.findUserById(db, actor.userId);
  if (!row) throw unauthenticated();
  return row;
}

/** Starts enrolment: a new secret, kept as pending until a code from it is confirmed. */
async function startEnrolment(db: Executor, actor: Actor): Promise<{ secret: string; uri: string }> {
  const row = await requireUser(db, actor);
  const secret = new Secret({ size: 20 }).base32;
  // Stored sealed (field-level encryption under the `totp` subkey), like the confirmed secret.
  await userRepository.setTotpPendingSecret(db, row.id, seal('app_user.totp_pending_secret', row.id, secret));
  return { secret, uri: totpOf(secret, row.username).toString() };
}

/**
 * Confirms enrolment with a code from the app: the secret becomes the user's, new recovery codes are
 * made (shown this once), and the session's second step is done.
 */
async function confirmEnrolment(
  db: Executor,
  actor: Actor,
  token: string,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const row = await requireUser(db, actor);
  if (!row.totpPendingSecret) throw invalidInput('totp_not_started');
  const secret = openField('app_user.totp_pending_secret', row.id, row.totpPendingSecret);
  const step = stepOfCode(secret, row.username, code.trim());
  if (step === undefined) throw invalidInput('totp_code_wrong');
  const recoveryCodes = Array.from({ length: RECOVERY_CODES }, () => {
    const raw = randomBytes(5).toString('hex').toUpperCase();
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await userRepository.enableTotp(
    db,
    row.id,
    seal('app_user.totp_secret', row.id, secret),
    recoveryCodes.map(hashRecoveryCode),
    nowIso(),
  );
  await userRepository.useTotpStep(db, row.id, step);
  await userRepository.clearSecondFactor(db, hashToken(token));
  forgetSession(token);
  return { recoveryCodes };
}

/**
 * The second sign-in step: a code from the app, or one of the recovery codes (each works once).
 * Wrong codes count toward the same lockout as wrong passwords.
 */
async function verifySecondFactor(
  db: Executor,
  actor: Actor,
  token: string,
  code: string,
  policy: Pick<LoginPolicy, 'maxFailures' | 'lockMinutes'> = defaultLoginPolicy,
): Promise<void> {
  const row = await requireUser(db, actor);
  if (!row.totpSecret) throw invalidInput('totp_not_enrolled');
  const typed = code.trim();
  let ok: boolean;
  if (/^\d{6}$/.test(typed)) {
    // A code works once: one already used (or older than the last used) is refused like a wrong one.
    const step = stepOfCode(openField('app_user.totp_secret', row.id, row.totpSecret), row.username, typed);
    ok = step !== undefined && (await userRepository.useTotpStep(db, row.id, step));
  } else {
    ok = await userRepository.useRecoveryCode(db, row.id, hashRecoveryCode(typed), nowIso());
  }
  if (!ok) {
    await recordFailedSignIn(db, row.username, policy);
    throw invalidInput('totp_code_wrong');
  }
  await userRepository.clearSecondFactor(db, hashToken(token));
  forgetSession(token);
}

export const twoFactorService = Object.freeze({ startEnrolment, confirmEnrolment, verifySecondFactor });
