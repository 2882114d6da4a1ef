import type { ZodFastifySchemaValidationError } from 'fastify-type-provider-zod';
import { errorMessages, fieldLabels, genericFieldMessage, type ErrorCode } from '../locales/zh-CN.ts';

function isErrorCode(key: string): key is ErrorCode {
  return Object.hasOwn(errorMessages, key);
}

/**
 * Turns zod validation issues into one stable code and a Chinese sentence naming each field:
 * a shared schema's message key (e.g. `id_number_check_digit`) becomes the code itself.
 */
export function describeValidationErrors(issues: readonly ZodFastifySchemaValidationError[]): {
  code: ErrorCode;
  message: string;
} {
  let code: ErrorCode = 'invalid_input';
  const parts = issues.slice(0, 5).map((issue) => {
    const path = issue.instancePath.split('/').filter(Boolean);
    const field = [...path].reverse().find((p) => Number.isNaN(Number(p))) ?? '';
    const label = fieldLabels[field] ?? field;
    const key = issue.message ?? '';
    if (isErrorCode(key)) {
      if (code === 'invalid_input') code = key;
      return errorMessages[key];
    }
    const zodCode = issue.keyword;
    const prefix = label ? `${label}` : '请求';
    if (zodCode === 'invalid_type' && key.endsWith('received undefined')) return `${prefix}为必填项`;
    const params = (issue.params ?? {}) as {
      origin?: string;
      minimum?: number | bigint;
      maximum?: number | bigint;
    };
    if (zodCode === 'too_small' && params.origin === 'string' && Number(params.minimum) === 1)
      return `${prefix}不能为空`;
    if (zodCode === 'too_small' && params.origin === 'string')
      return `${prefix}至少需要 ${params.minimum} 个字符`;
    if (zodCode === 'too_big' && params.origin === 'string') return `${prefix}最多 ${params.maximum} 个字符`;
    if (zodCode === 'too_small' || zodCode === 'too_big') return `${prefix}的长度或数值超出允许范围`;
    if (zodCode === 'invalid_value' || zodCode === 'invalid_enum_value') return `${prefix}的取值无效`;
    if (zodCode === 'unrecognized_keys') return `${prefix}包含不允许提交的字段`;
    return `${prefix}${genericFieldMessage}`;
  });
  return { code, message: [...new Set(parts)].join('；') };
}
