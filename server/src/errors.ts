import { errorMessages, type ErrorCode } from './locales/zh-CN.ts';

/** An error the client is meant to see: HTTP status, stable snake_case code, Chinese message. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message?: string,
  ) {
    super(message ?? errorMessages[code]);
    this.name = 'AppError';
  }
}

export const invalidInput = (code: ErrorCode = 'invalid_input', message?: string) =>
  new AppError(400, code, message);
export const unauthenticated = (code: ErrorCode = 'unauthenticated') => new AppError(401, code);
export const forbidden = (code: ErrorCode = 'forbidden') => new AppError(403, code);
export const notFound = (code: ErrorCode = 'not_found') => new AppError(404, code);
export const conflict = (code: ErrorCode) => new AppError(409, code);

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
