import { backupErrors, type BackupErrorCode } from './messages.zh-CN.ts';

/** A refused or failed backup or restore: `message` is the Chinese a person reads, `detail` precise English for the log. */
export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
    readonly detail?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'BackupError';
  }
}

type MessageArgs<C extends BackupErrorCode> = Parameters<(typeof backupErrors)[C]>;

/** A `BackupError` with the Chinese message for `code`. */
export function backupError<C extends BackupErrorCode>(
  code: C,
  args: MessageArgs<C>,
  detail?: string,
  options?: ErrorOptions,
): BackupError {
  const message = (backupErrors[code] as (...values: unknown[]) => string)(...args);
  return new BackupError(code, message, detail, options);
}
