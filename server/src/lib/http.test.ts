import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from './http.ts';

describe('attachmentDisposition', () => {
  it('carries the Chinese file name as RFC 5987 UTF-8 and an ASCII fallback', () => {
    const header = attachmentDisposition('云朵社区基本情况（2026-11-29）.docx', 'YD-basic-2026-11-29.docx');
    expect(header).toBe(
      `attachment; filename="YD-basic-2026-11-29.docx"; filename*=UTF-8''` +
        '%E4%BA%91%E6%9C%B5%E7%A4%BE%E5%8C%BA%E5%9F%BA%E6%9C%AC%E6%83%85%E5%86%B5%EF%BC%882026-11-29%EF%BC%89.docx',
    );
    const encoded = header.split("filename*=UTF-8''")[1]!;
    expect(decodeURIComponent(encoded)).toBe('云朵社区基本情况（2026-11-29）.docx');
  });

  it('percent-encodes what RFC 5987 does not allow bare, and keeps the fallback a plain quoted string', () => {
    const header = attachmentDisposition(`a'(b)*.docx`, 'x"y\\z-名.docx');
    expect(header).toContain(`filename*=UTF-8''a%27%28b%29%2A.docx`);
    expect(header).toContain('filename="x_y_z-_.docx"');
  });
});
