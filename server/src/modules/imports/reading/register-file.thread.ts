/**
 * The reading half of an import on its own thread: parsing and mapping a large register costs as much CPU as
 * writing it, so the two run side by side. Given the field keys, the thread also seals each row's ID number
 * and phone for the resident it may become (`sealIdentity`), work the writing thread is then spared. Rows
 * come back in batches, a few batches ahead of the consumer (bounded memory); a file the reader refuses
 * throws the same `ImportFileError` as `openRegisterFile`.
 */
import { Worker } from 'node:worker_threads';
import type { FieldKeysMessage } from '../../../lib/field-crypto.ts';
import type { SealedIdentity } from '../../residents/sealed-identity.ts';
import type { FileFormat } from './file-format.ts';
import { ImportFileError } from './file-format.ts';
import type { SheetLayout } from './layout.ts';
import type { OpenRegisterFileOptions, RegisterFile } from './register-file.ts';
import type { MappedRow } from './row-mapper.ts';

/** A mapped row, with its identity sealed ahead when the thread was given the field keys. */
export type ThreadRow = MappedRow & { sealed?: SealedIdentity };

/** What the reading thread sends. */
export type ReaderMessage =
  | { kind: 'format'; format: FileFormat }
  | { kind: 'rows'; rows: ThreadRow[] }
  | { kind: 'end'; blankRows: number; layouts: SheetLayout[] }
  | { kind: 'error'; fileError?: Pick<ImportFileError, 'problem' | 'details'>; message: string };

export interface ReaderThreadData {
  filePath: string;
  options: OpenRegisterFileOptions;
  sealWith: FieldKeysMessage | undefined;
}

/** Batches the reader may send ahead of the consumer. */
export const READ_AHEAD_BATCHES = 4;
export const ROWS_PER_BATCH = 500;

export type ThreadRegisterFile = Pick<RegisterFile, 'format' | 'blankRows' | 'layouts'> & {
  rows: AsyncIterable<ThreadRow>;
};

function toError(message: Extract<ReaderMessage, { kind: 'error' }>): Error {
  return message.fileError
    ? new ImportFileError(message.fileError.problem, message.fileError.details)
    : new Error(`register reader failed: ${message.message}`);
}

/** `openRegisterFile` on a worker thread: resolves once the file's format is known (or rejects as it would). */
export async function openRegisterFileOnThread(
  filePath: string,
  options: OpenRegisterFileOptions = {},
  /** The keys to seal each row's identity with (subkeys only); rows come unsealed without them. */
  sealWith?: FieldKeysMessage,
): Promise<ThreadRegisterFile> {
  const worker = new Worker(new URL('../../../lib/ts-worker.mjs', import.meta.url), {
    workerData: {
      entry: new URL('./register-file.worker.ts', import.meta.url).href,
      data: { filePath, options, sealWith } satisfies ReaderThreadData,
    },
    // Its live data is small (what it has seen, to find repeated rows: ~20 MiB for 200,000 rows); without a
    // limit V8 lets the heap of a thread that allocates this fast grow far beyond it.
    resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 192 },
  });
  const inbox: ReaderMessage[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const deliver = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (message: ReaderMessage) => {
    inbox.push(message);
    deliver();
  });
  worker.on('error', (error) => {
    failure = error;
    deliver();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`register reader exited with code ${code}`);
    deliver();
  });

  const next = async (): Promise<ReaderMessage> => {
    while (inbox.length === 0) {
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    return inbox.shift()!;
  };

  const first = await next().catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  if (first.kind === 'error') {
    await worker.terminate();
    throw toError(first);
  }
  if (first.kind !== 'format') throw new Error(`register reader sent ${first.kind} first`);

  let blankRows = 0;
  let layouts: SheetLayout[] = [];
  async function* rows(): AsyncGenerator<ThreadRow> {
    try {
      for (;;) {
        const message = await next();
        if (message.kind === 'rows') {
          worker.postMessage({ credit: 1 });
          yield* message.rows;
        } else if (message.kind === 'end') {
          blankRows = message.blankRows;
          layouts = message.layouts;
          return;
        } else if (message.kind === 'error') {
          throw toError(message);
        }
      }
    } finally {
      // Done, failed, or abandoned by the consumer (its transaction failed): the thread goes either way.
      await worker.terminate();
    }
  }
  return { format: first.format, rows: rows(), blankRows: () => blankRows, layouts: () => layouts };
}
