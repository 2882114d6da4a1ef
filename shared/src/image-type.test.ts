import { describe, expect, it } from 'vitest';
import { photoFileName, sniffImageType } from './image-type.ts';

const bytes = (...values: (number | string)[]) =>
  new Uint8Array(values.flatMap((v) => (typeof v === 'string' ? [...Buffer.from(v, 'latin1')] : [v])));

describe('image type by content', () => {
  it('knows JPEG, PNG and WebP by their first bytes', () => {
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF'))).toBe('image/jpeg');
    expect(sniffImageType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13))).toBe('image/png');
    expect(sniffImageType(bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '))).toBe('image/webp');
  });

  it('refuses a page, an SVG, a GIF, a RIFF that is not WebP and a file too short to tell', () => {
    for (const text of ['<!DOCTYPE html><html>', '<svg xmlns="http://www.w3.org/2000/svg">', 'GIF89a....'])
      expect(sniffImageType(bytes(text))).toBeUndefined();
    expect(sniffImageType(bytes('RIFF', 0x24, 0, 0, 0, 'WAVEfmt '))).toBeUndefined();
    expect(sniffImageType(bytes(0xff, 0xd8))).toBeUndefined();
    expect(sniffImageType(new Uint8Array())).toBeUndefined();
  });
});

describe('photo file names', () => {
  it('keeps the name without folders and gives it the extension of the real type', () => {
    expect(photoFileName('C:\\照片\\入户慰问.JPG', 'image/jpeg', '照片')).toBe('入户慰问.jpg');
    expect(photoFileName('../../etc/报告.html', 'image/png', '照片')).toBe('报告.png');
    expect(photoFileName('a"b<c>.webp', 'image/webp', '照片')).toBe('abc.webp');
    expect(photoFileName(undefined, 'image/jpeg', '照片')).toBe('照片.jpg');
  });
});
