// What kind of image a file is, read from its first bytes (its "magic number"), never from its
// name or the type a browser claims: a page or an SVG renamed .jpg is not a photo.

/** The photo formats a visit accepts. */
export const photoContentTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoContentType = (typeof photoContentTypes)[number];

/** Bytes needed to tell the three apart (WebP: "RIFF", a size, "WEBP"). */
export const IMAGE_SNIFF_BYTES = 12;

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((byte, i) => bytes[at + i] === byte);

/** JPEG, PNG or WebP by the file's first bytes; `undefined` for anything else (or too few bytes). */
export function sniffImageType(bytes: Uint8Array): PhotoContentType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // "RIFF" <4-byte size> "WEBP"
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return 'image/webp';
  return undefined;
}

/** The file extension that goes with a photo type. */
export const photoExtensions: Readonly<Record<PhotoContentType, string>> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
};

/**
 * A name to keep and offer for download: no folders, no control or reserved characters, at most
 * 80 characters, and the extension of the type the bytes really are ("报告.html" holding a JPEG is
 * offered as "报告.jpg").
 */
export function photoFileName(
  original: string | undefined,
  type: PhotoContentType,
  /** The name of a photo that came without one (in the user's language). */
  fallbackStem: string,
): string {
  const base = (original ?? '')
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
    .trim();
  const stem = base.replace(/\.[^.]*$/, '').slice(0, 80) || fallbackStem;
  return stem + photoExtensions[type];
}
