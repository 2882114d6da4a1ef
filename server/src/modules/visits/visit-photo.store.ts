import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_PHOTO_MAX_BYTES } from '@shiliuzi/shared/casework-visits';
import { IMAGE_SNIFF_BYTES, sniffImageType, type PhotoContentType } from '@shiliuzi/shared/image-type';
import { AppError, invalidInput } from '../../errors.ts';
import { installedFieldKeys } from '../../lib/field-crypto.ts';
import {
  fileSealer,
  isSealedFile,
  openSealedFile,
  SealedFileError,
  sealedFileKeyId,
  sealFile,
  SEALED_FILE_HEADER_BYTES,
} from '../../lib/file-crypto.ts';
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

/** Logs what the store could not do, precisely (the user sees a Chinese message). */
export type PhotoStoreLog = (context: Record<string, unknown>, message: string) => void;

/**
 * The photos of visits on disk, under `dir` (`<dataDir>/attachments`): `<yyyy>/<id>`, never in a
 * folder the web server serves. An upload streams to `dir/.incoming` (same file system, so keeping
 * it is a rename), is counted as it comes (refused past `maxBytes`), and is refused unless its first
 * bytes are those of a JPEG, PNG or WebP; a refused upload leaves nothing behind. Every file is
 * encrypted as it is written (lib/file-crypto.ts, the master key's `attachment` subkey): no
 * plaintext photo touches the disk, not even in the incoming folder.
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
    const sealer = fileSealer(installedFieldKeys());
    out.write(sealer.header);
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
        // The file is opened asynchronously: removing it before the stream has closed could run
        // ahead of the open and leave the file behind, so the removal waits for the close.
        const removeFile = () =>
          rm(tempPath, { force: true }).then(
            () => reject(error),
            () => reject(error),
          );
        if (out.closed) void removeFile();
        else out.once('close', () => void removeFile());
        out.destroy();
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
        if (!out.write(sealer.update(chunk))) {
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
        out.end(sealer.final(), () => {
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

  /**
   * The stored photo's bytes, decrypted and checked. A file under a key not provided, or changed on
   * disk, is refused with a Chinese message and logged with its storage key; a plaintext file from
   * before photos were encrypted is answered as it is (`sealOutstanding` encrypts it at start).
   */
  async function read(storageKey: string, log?: PhotoStoreLog): Promise<Buffer> {
    const bytes = await readFile(pathOf(storageKey));
    if (!isSealedFile(bytes)) return bytes;
    try {
      return openSealedFile(bytes, installedFieldKeys());
    } catch (error) {
      if (!(error instanceof SealedFileError)) throw error;
      log?.(
        { storageKey, problem: error.problem, keyId: error.keyId },
        `visit photo unreadable: ${error.message}`,
      );
      throw new AppError(500, 'visit_photo_unreadable');
    }
  }

  /**
   * Encrypts, under the current key, every kept photo that is not yet: plaintext files from before
   * photos were encrypted, and files of an earlier master key (still readable through
   * SHILIUZI_OLD_KEY_FILES). Each is rewritten through the incoming folder and renamed over the old
   * one, so a crash leaves the old file or the new one. Run at start, like the sealing of fields.
   */
  async function sealOutstanding(log?: PhotoStoreLog): Promise<{ files: number; unreadable: number }> {
    const keys = installedFieldKeys();
    let files = 0;
    let unreadable = 0;
    for (const year of await readdir(dir, { withFileTypes: true })) {
      if (!year.isDirectory() || !/^\d{4}$/.test(year.name)) continue;
      for (const name of await readdir(path.join(dir, year.name))) {
        const storageKey = `${year.name}/${name}`;
        if (!storageKeyPattern.test(storageKey)) continue;
        const file = pathOf(storageKey);
        const head = Buffer.alloc(SEALED_FILE_HEADER_BYTES);
        const handle = await open(file, 'r');
        try {
          await handle.read(head, 0, head.length, 0);
        } finally {
          await handle.close();
        }
        if (sealedFileKeyId(head) === keys.current.keyId) continue;
        const bytes = await readFile(file);
        let plaintext: Buffer;
        try {
          plaintext = isSealedFile(bytes) ? openSealedFile(bytes, keys) : bytes;
        } catch (error) {
          if (!(error instanceof SealedFileError)) throw error;
          log?.(
            { storageKey, problem: error.problem, keyId: error.keyId },
            `visit photo left as it is: ${error.message}`,
          );
          unreadable++;
          continue;
        }
        const temp = path.join(incoming, randomUUID());
        await writeFile(temp, sealFile(plaintext, keys), { flag: 'wx' });
        const written = await open(temp, 'r+');
        try {
          await written.sync();
        } finally {
          await written.close();
        }
        await rename(temp, file);
        files++;
      }
    }
    return { files, unreadable };
  }

  return {
    dir,
    maxBytes,
    receive,
    keep,
    keepBytes,
    discard,
    read,
    sealOutstanding,
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
