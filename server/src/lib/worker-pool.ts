import { Worker } from 'node:worker_threads';
import { currentRowScope, runInRowScope, type RowScope } from '../db/row-security.ts';
import { AppError } from '../errors.ts';
import type { ErrorCode } from '../locales/zh-CN.ts';

/** What a worker answers for one task; long tasks may send `progress` messages before the answer. */
export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WorkerError }
  | { id: number; progress: number };

export interface WorkerError {
  status?: number;
  code?: ErrorCode;
  message: string;
}

export function toWorkerError(error: unknown): WorkerError {
  if (error instanceof AppError) return { status: error.status, code: error.code, message: error.message };
  return { message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

/** A task as a worker receives it: with the row scope of the work that sent it. */
export interface WorkerMessage<Task> {
  id: number;
  task: Task;
  rowScope: RowScope | undefined;
}

/** Runs `work` for a message in the row scope the task was sent from (db/row-security.ts). */
export function inSenderScope<T>(message: WorkerMessage<unknown>, work: () => T): T {
  return runInRowScope(message.rowScope, work);
}

/**
 * Runs tasks on one worker thread, started on first use and restarted if it dies, so heavy SQL
 * aggregates never block the event loop that answers every other request.
 */
export class WorkerPool<Task> {
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<
    number,
    {
      resolve: (v: unknown) => void;
      reject: (e: unknown) => void;
      onProgress?: ((done: number) => void) | undefined;
    }
  >();

  constructor(
    private readonly script: URL,
    private readonly workerData: unknown,
  ) {}

  run<T>(task: Task, onProgress?: (done: number) => void): Promise<T> {
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      // The task runs in the row scope of whoever sent it, as it would in this thread.
      worker.postMessage({ id, task, rowScope: currentRowScope() } satisfies WorkerMessage<Task>);
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    // The sources are TypeScript: the worker loads them through tsx, as the main thread does.
    const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), {
      workerData: { entry: this.script.href, data: this.workerData },
    });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      if ('progress' in reply) {
        pending.onProgress?.(reply.progress);
        return;
      }
      this.#pending.delete(reply.id);
      if (reply.ok) pending.resolve(reply.value);
      else if (reply.error.status && reply.error.code)
        pending.reject(new AppError(reply.error.status, reply.error.code));
      else pending.reject(new Error(`worker task failed: ${reply.error.message}`));
    });
    const failAll = (error: unknown) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const { reject } of this.#pending.values()) reject(error);
      this.#pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }
}
