import { crc32, deflateSync } from 'node:zlib';

/**
 * A truecolour PNG (8 bits per channel, no interlace) of `width` × `height` pixels drawn by
 * `colourAt`: the demo's photo and the tests' images, made in code rather than shipped as files.
 */
export function encodePng(
  width: number,
  height: number,
  colourAt: (x: number, y: number) => readonly [number, number, number],
): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, RGB, deflate, adaptive filters, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const start = y * (width * 3 + 1); // each row starts with filter type 0 (none)
    for (let x = 0; x < width; x++) rows.set(colourAt(x, y), start + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A pomegranate (石榴) on a warm background: the demo visit's photo. */
export function pomegranatePng(size = 96): Buffer {
  const c = size / 2;
  return encodePng(size, size, (x, y) => {
    const d = Math.hypot(x - c, y - c * 1.08);
    if (d < size * 0.34) return [196, 30, 58];
    if (y < size * 0.22 && Math.abs(x - c) < size * 0.08) return [120, 140, 60];
    return [250, 236, 214];
  });
}
