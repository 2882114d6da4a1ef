/**
 * The master key a benchmark run seals fields with: random per run, installed in this process on
 * import and handed to the seeding child (`SeedJob.masterKey`), as the CLI installs the configured one.
 * Embedded databases are encrypted with its `database` subkey, as the app's are.
 */
import { fieldKeysOf, installFieldKeys } from '../server/src/lib/field-crypto.ts';
import { generateMasterKey, keyringOf } from '../server/src/lib/keys.ts';

export const benchMasterKey = generateMasterKey();

/** The key the app would encrypt its embedded database with under this master key (hex, as the CLI derives it). */
export function benchDatabaseKey(masterKey = benchMasterKey): string {
  return keyringOf(Buffer.from(masterKey, 'base64'), 'bench').deriveKey('database').toString('hex');
}

/** Installs the field keys of a master key given as base64. */
export function installBenchFieldKeys(masterKey: string): void {
  installFieldKeys(fieldKeysOf(keyringOf(Buffer.from(masterKey, 'base64'), 'bench')));
}

installBenchFieldKeys(benchMasterKey);
