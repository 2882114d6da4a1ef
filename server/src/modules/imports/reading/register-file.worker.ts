import { parentPort, workerData } from 'node:worker_threads';
import { fromFieldKeysMessage, installFieldKeys } from '../../../lib/field-crypto.ts';
import { sealIdentity } from '../../residents/sealed-identity.ts';
import { isImportFileError } from './file-format.ts';
import { openRegisterFile } from './register-file.ts';
import {
  READ_AHEAD_BATCHES,
  ROWS_PER_BATCH,
  type ReaderMessage,
  type ReaderThreadData,
  type ThreadRow,
} from './register-file.thread.ts';

const { filePath, options, sealWith } = (workerData as { data: ReaderThreadData }).data;
if (sealWith) installFieldKeys(fromFieldKeysMessage(sealWith));
const port = parentPort!;
const send = (message: ReaderMessage) => port.postMessage(message);

// Batches the consumer has room for; each batch it takes gives one back.
let credits = READ_AHEAD_BATCHES;
let wake: (() => void) | undefined;
port.on('message', ({ credit }: { credit: number }) => {
  credits += credit;
  wake?.();
  wake = undefined;
});

async function sendRows(rows: ThreadRow[]): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits -= 1;
  send({ kind: 'rows', rows });
}

try {
  const file = await openRegisterFile(filePath, options);
  send({ kind: 'format', format: file.format });
  let batch: ThreadRow[] = [];
  for await (const row of file.rows) {
    const { idNumber = null, phone = null } = row.values;
    batch.push(sealWith ? { ...row, sealed: sealIdentity({ idNumber, phone }) } : row);
    if (batch.length === ROWS_PER_BATCH) {
      await sendRows(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await sendRows(batch);
  send({ kind: 'end', blankRows: file.blankRows(), layouts: file.layouts() });
} catch (error) {
  send({
    kind: 'error',
    ...(isImportFileError(error) ? { fileError: { problem: error.problem, details: error.details } } : {}),
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
}
port.close();
