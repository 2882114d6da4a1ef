import { fieldKeysOf, installFieldKeys } from '../src/lib/field-crypto.ts';
import { keyringOf } from '../src/lib/keys.ts';

/** The master key tests seal fields with; CLI processes started by tests get it too (test/cli.ts). */
export const TEST_MASTER_KEY = 'mysJSQadbLyh0jwDz7qlo6800G2NThq3eQUAQPxAlNM=';

export const testKeyring = () => keyringOf(Buffer.from(TEST_MASTER_KEY, 'base64'), 'test');

/** Installs the test key as the process's field keys (every test file, through the vitest setup). */
export function installTestFieldKeys(): void {
  installFieldKeys(fieldKeysOf(testKeyring()));
}
