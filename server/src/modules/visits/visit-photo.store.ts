import { createHash, randomUUID } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_PHOTO_MAX_BYTES } from '@shiliuzi/shared/casework-visits';
import { IMAGE_SNIFF_BYTES, sniffImageType, type PhotoContentType } from '@shiliuzi/shared/image-type';
import { invalidInput } from '../../errors.ts';
import { photoMessages } from '../../locales/zh-CN.ts';

/** A photo received in full and checked, waiting in the incoming folder for its row to commit. */
export interface ReceivedPhoto {
  tempPath: string;
  contentType: PhotoContentType;
  size: number;
  sha256: string;
  /** Where it went once kept (set by `keep`), so that a failed commit can take it away again. */
  keptPath?: string;
}

/** Leftovers of uploads that never finished (a crash mid-upload) go after this long. */
const INCOMING_TTL_MS = 60 * 60 * 1000;

const storageKeyPattern = /^\d{4}\/[0-9a-f-]{36}$/;

/**
 * The photos of visits on disk, under `dir` (`<dataDir>/attachments`): `<yyyy>/<id>`, never in a
 * folder the web server serves. An upload streams to `dir/.incoming` (same file system, so keeping
 * it is a rename), is counted as it comes (refused past `maxBytes`), and is refused unless its first
 * bytes are those of a JPEG, PNG or WebP; a refused upload leaves nothing behind.
 */
export function createPhotoStore(dir: string, maxBytes: number = DEFAULT_PHOTO_MAX_BYTES) {
  const incoming = path.join(dir, '.incoming');
  mkdirSync(incoming, { recursive: true });
  for (const name of readdirSync(incoming)) {
    const file = path.join(incoming, name);
    if (Date.now() - statSync(file).mtimeMs > INCOMING_TTL_MS) rmSync(file, { force: true });
  }

  const pathOf = (storageKey: string) => {
    // Keys are written by the service only; anything else would be a path out of the folder.
    if (!storageKeyPattern.test(storageKey)) throw new Error(`bad photo storage key ${storageKey}`);
    return path.join(dir, storageKey);
  };

  /** Streams the body to the incoming folder, checking its size and its type by content. */
  function receive(body: Readable): Promise<ReceivedPhoto> {
    const tempPath = path.join(incoming, randomUUID());
    const out = createWriteStream(tempPath, { flags: 'wx' });
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    let contentType: PhotoContentType | undefined;
    return new Promise<ReceivedPhoto>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        body.off('data', onData);
        // The rest of a refused body is read and dropped (never the connection cut), so the
        // client still gets the answer.
        body.resume();
        out.destroy();
        rm(tempPath, { force: true }).then(
          () => reject(error),
          () => reject(error),
        );
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes)
          return fail(invalidInput('visit_photo_too_large', photoMessages.tooLarge(maxBytes)));
        if (contentType === undefined) {
          head = Buffer.concat([head, chunk]);
          if (head.length >= IMAGE_SNIFF_BYTES) {
            contentType = sniffImageType(head);
            if (!contentType) return fail(invalidInput('visit_photo_type'));
          }
        }
        hash.update(chunk);
        if (!out.write(chunk)) {
          body.pause();
          out.once('drain', () => body.resume());
        }
      };
      body.on('data', onData);
      body.once('error', fail);
      out.once('error', fail);
      body.once('end', () => {
        if (settled) return;
        if (size === 0) return fail(invalidInput('visit_photo_empty'));
        contentType ??= sniffImageType(head);
        if (!contentType) return fail(invalidInput('visit_photo_type'));
        const type = contentType;
        out.end(() => {
          if (settled) return;
          settled = true;
          resolve({ tempPath, contentType: type, size, sha256: hash.digest('hex') });
        });
      });
    });
  }

  /** Moves a received photo to its place for good. */
  async function keep(photo: ReceivedPhoto, storageKey: string): Promise<void> {
    const target = pathOf(storageKey);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(photo.tempPath, target);
    photo.keptPath = target;
  }

  /** Takes a received photo away again, wherever it is (its row did not commit). */
  async function discard(photo: ReceivedPhoto): Promise<void> {
    await rm(photo.tempPath, { force: true });
    if (photo.keptPath) await rm(photo.keptPath, { force: true });
  }

  /** Keeps bytes made by the server itself (the demo's photo), checked like an upload. */
  async function keepBytes(bytes: Buffer, storageKey: string) {
    const photo = await receive(Readable.from([bytes]));
    await keep(photo, storageKey);
    return photo;
  }

  return {
    dir,
    maxBytes,
    receive,
    keep,
    keepBytes,
    discard,
    /** The stored file, to stream back. */
    open: (storageKey: string) => createReadStream(pathOf(storageKey)),
    /** Removes a stored file for good (retention); answers whether there was one. */
    async remove(storageKey: string): Promise<boolean> {
      const file = pathOf(storageKey);
      const existed = existsSync(file);
      await rm(file, { force: true });
      return existed;
    },
  };
}

export type PhotoStore = ReturnType<typeof createPhotoStore>;
