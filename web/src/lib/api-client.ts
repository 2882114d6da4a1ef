import { t } from '@/locales/zh-CN/index.ts';

/** A refused or failed API call: the server's stable code and its Chinese message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | undefined | null | string[]>;

/** `?a=1&b=x,y` from an object, leaving out empty values. */
export function toQueryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function send(path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError(0, 'network', t.errors.network);
  }
  if (!response.ok) {
    let code = 'unexpected';
    let message: string = t.errors.unexpected;
    try {
      const body = (await response.json()) as { error?: { code: string; message: string } };
      if (body.error) ({ code, message } = body.error);
    } catch {
      // Not JSON (a proxy's error page): keep the generic message.
    }
    throw new ApiError(response.status, code, message);
  }
  return response;
}

/** Calls the JSON API; non-2xx answers become an `ApiError` with the server's Chinese message. */
export async function api<T>(
  path: string,
  options: { method?: string; query?: Query; body?: unknown } = {},
): Promise<T> {
  const init: RequestInit = { method: options.method ?? 'GET' };
  if (options.body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(options.body);
  }
  const response = await send(path + toQueryString(options.query), init);
  if (response.status === 204) return null as T;
  return (await response.json()) as T;
}

/** Downloads a file answer and hands it to the browser under the server's file name. */
export async function downloadFile(path: string, query?: Query): Promise<string> {
  const response = await send(path + toQueryString(query), { method: 'GET' });
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const fileName = encoded ? decodeURIComponent(encoded) : (plain ?? 'download');
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return fileName;
}

/** Uploads a file as the raw request body, reporting the share sent (0–1); resolves with the JSON answer. */
export function uploadFile<T>(path: string, file: File, onProgress?: (share: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.setRequestHeader('content-type', 'application/octet-stream');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    request.onerror = () => reject(new ApiError(0, 'network', t.errors.network));
    request.onload = () => {
      let body: { error?: { code: string; message: string } } | undefined;
      try {
        body = JSON.parse(request.responseText) as typeof body;
      } catch {
        body = undefined;
      }
      if (request.status >= 200 && request.status < 300) resolve(body as T);
      else
        reject(
          new ApiError(
            request.status,
            body?.error?.code ?? 'unexpected',
            body?.error?.message ?? t.errors.unexpected,
          ),
        );
    };
    request.send(file);
  });
}
