import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, link, mkdir, rename, rm, stat, symlink, unlink } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { DatastoreError, InvalidInputError } from '../errors/index.js';

/** How ingest places a file: the modes of daf_butler's `butler ingest-files -t`. */
export const TRANSFER_MODES = ['auto', 'copy', 'move', 'symlink', 'relsymlink', 'hardlink', 'link', 'direct'] as const;
/** One transfer mode. */
export type TransferMode = (typeof TRANSFER_MODES)[number];

/** Checks a transfer mode given by the user. */
export function parseTransferMode(value: string): TransferMode {
  if (!(TRANSFER_MODES as readonly string[]).includes(value)) {
    throw new InvalidInputError(`Transfer mode "${value}" is not one of ${TRANSFER_MODES.join(', ')}.`);
  }
  return value as TransferMode;
}

/** A temporary name next to `dest`, so the final rename is atomic. */
export function tempPathFor(dest: string): string {
  return `${dest}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Places `source` at `dest` using `mode` (not `direct`/`auto`: resolved by the caller). The
 * file appears at `dest` only complete (temp name + rename); an existing `dest` is an error.
 */
export async function transferFile(source: string, dest: string, mode: Exclude<TransferMode, 'direct' | 'auto'>): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  if (await exists(dest)) {
    throw new DatastoreError(`Datastore file "${dest}" already exists.`, { path: dest, hint: 'Remove the old dataset first, or ingest into another run.' });
  }
  const tmp = tempPathFor(dest);
  try {
    switch (mode) {
      case 'copy':
        await copyFile(source, tmp);
        break;
      case 'move':
        await moveFile(source, tmp);
        break;
      case 'symlink':
        await symlink(resolve(source), tmp);
        break;
      case 'relsymlink':
        await symlink(relative(dirname(dest), resolve(source)), tmp);
        break;
      case 'hardlink':
        await link(source, tmp);
        break;
      case 'link':
        await link(source, tmp).catch(() => symlink(resolve(source), tmp));
        break;
    }
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof DatastoreError) throw err;
    throw new DatastoreError(`Cannot ${mode} "${source}" to "${dest}": ${(err as Error).message}`, { path: source, cause: err });
  }
}

async function moveFile(source: string, dest: string): Promise<void> {
  try {
    await rename(source, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(source, dest);
    await unlink(source);
  }
}

/** Whether a path exists (without following a final symlink). */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** SHA-256 of a file, hex. */
export async function checksumFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
