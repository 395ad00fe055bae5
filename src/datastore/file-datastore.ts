import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { DatastoreError } from '../errors/index.js';
import { FileTemplates, type TemplateFields } from './file-template.js';
import { resolveInside } from './safe-path.js';
import { checksumFile, exists, transferFile, type TransferMode } from './transfer.js';

/** Where a stored file is and what it is. */
export interface FileArtifact {
  /** Relative to the datastore root, or absolute for `direct` ingest. */
  readonly path: string;
  readonly formatter: string;
  readonly storageClass: string;
  readonly fileSize: number | null;
  readonly checksum: string | null;
}

/** A placed file and how to take it back if the registry transaction fails. */
export interface PlacedArtifact {
  readonly artifact: FileArtifact;
  undo(): Promise<void>;
}

/** Options of {@link FileDatastore}. */
export interface FileDatastoreOptions {
  root: string;
  templates?: Readonly<Record<string, string>>;
}

/** Files of datasets under one root directory, named by file templates. */
export class FileDatastore {
  readonly root: string;
  private readonly templates: FileTemplates;

  constructor(options: FileDatastoreOptions) {
    this.root = resolve(options.root);
    this.templates = new FileTemplates(options.templates);
  }

  /** The relative path a dataset's file gets (with `extension`, e.g. `.fits`). */
  pathFor(fields: TemplateFields, storageClass: string, extension: string): string {
    const rel = this.templates.select(fields.datasetType, storageClass).format(fields) + extension;
    resolveInside(this.root, rel);
    return rel;
  }

  /** Absolute path of a stored artifact (relative ones are confined to the root). */
  absolutePath(path: string): string {
    return isAbsolute(path) ? path : resolveInside(this.root, path);
  }

  /** Ingests an existing file with one of the transfer modes. */
  async ingest(options: { source: string; fields: TemplateFields; storageClass: string; formatter: string; mode: TransferMode }): Promise<PlacedArtifact> {
    const source = resolve(options.source);
    let info;
    try {
      info = await stat(source);
    } catch (err) {
      throw new DatastoreError(`Cannot ingest "${options.source}": ${(err as Error).message}`, { path: options.source, cause: err });
    }
    if (!info.isFile()) throw new DatastoreError(`Cannot ingest "${options.source}": not a regular file.`, { path: options.source });
    const inside = source.startsWith(this.root + sep);
    let mode = options.mode;
    if (mode === 'auto') mode = inside ? 'direct' : 'copy';
    const checksum = await checksumFile(source);
    if (mode === 'direct') {
      const path = inside ? relative(this.root, source) : source;
      return { artifact: { path, formatter: options.formatter, storageClass: options.storageClass, fileSize: info.size, checksum }, undo: async () => {} };
    }
    const ext = extensionOf(source);
    const rel = this.pathFor(options.fields, options.storageClass, ext);
    const dest = resolveInside(this.root, rel);
    await transferFile(source, dest, mode);
    const undo = mode === 'move' ? () => moveBack(dest, source) : () => rm(dest, { force: true });
    return { artifact: { path: rel, formatter: options.formatter, storageClass: options.storageClass, fileSize: info.size, checksum }, undo };
  }

  /** Writes bytes as a new dataset file, atomically (temp file + rename). */
  async write(options: { fields: TemplateFields; storageClass: string; formatter: string; extension: string; bytes: Uint8Array }): Promise<PlacedArtifact> {
    const rel = this.pathFor(options.fields, options.storageClass, options.extension);
    const dest = resolveInside(this.root, rel);
    await writeAtomic(dest, options.bytes);
    return {
      artifact: { path: rel, formatter: options.formatter, storageClass: options.storageClass, fileSize: options.bytes.byteLength, checksum: null },
      undo: () => rm(dest, { force: true }),
    };
  }

  /** Removes stored files (relative paths only: `direct` files belong to the user). */
  async removeFiles(paths: readonly string[]): Promise<number> {
    let removed = 0;
    for (const p of paths) {
      if (isAbsolute(p)) continue;
      const full = resolveInside(this.root, p);
      if (await exists(full)) removed += 1;
      await rm(full, { force: true });
    }
    return removed;
  }

  /** Copies a stored file to `destDir/relPath`, refusing to overwrite unless `clobber`. */
  async retrieve(path: string, destDir: string, relPath: string, clobber: boolean): Promise<string> {
    const dest = resolveInside(destDir, relPath);
    if (!clobber && (await exists(dest))) {
      throw new DatastoreError(`"${dest}" already exists.`, { path: dest, hint: 'Pass --clobber to overwrite, or choose another destination.' });
    }
    await mkdir(dirname(dest), { recursive: true });
    const tmp = `${dest}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await copyFile(this.absolutePath(path), tmp);
    await rename(tmp, dest);
    return dest;
  }
}

const madeDirs = new Set<string>();

/**
 * Writes a file so that it appears only complete: temp name in the same directory, then rename.
 * `tempTag` names the temp file (`<dest>.tmp-<tag>`) so that a later run can remove what a
 * killed writer left without listing the directory; a random tag otherwise.
 */
export async function writeAtomic(dest: string, bytes: Uint8Array | string, tempTag?: string): Promise<void> {
  const dir = dirname(dest);
  const tmp = tempPath(dest, tempTag ?? `${process.pid}-${randomBytes(4).toString('hex')}`);
  // Directories made once are remembered (a process writes many files into few directories);
  // one removed since is made again.
  for (let attempt = 0; ; attempt++) {
    try {
      if (!madeDirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        madeDirs.add(dir);
      }
      await writeFile(tmp, bytes);
      await rename(tmp, dest);
      return;
    } catch (err) {
      await rm(tmp, { force: true });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && madeDirs.delete(dir) && attempt === 0) continue;
      throw new DatastoreError(`Cannot write "${dest}": ${(err as Error).message}`, { path: dest, cause: err });
    }
  }
}

/**
 * {@link writeAtomic} without the thread pool: for processes that write many small files one
 * after the other (batch jobs), where a round trip per call costs more than the write.
 */
export function writeAtomicSync(dest: string, bytes: Uint8Array | string, tempTag?: string): void {
  const dir = dirname(dest);
  const tmp = tempPath(dest, tempTag ?? `${process.pid}-${randomBytes(4).toString('hex')}`);
  for (let attempt = 0; ; attempt++) {
    try {
      if (!madeDirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        madeDirs.add(dir);
      }
      writeFileSync(tmp, bytes);
      renameSync(tmp, dest);
      return;
    } catch (err) {
      rmSync(tmp, { force: true });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && madeDirs.delete(dir) && attempt === 0) continue;
      throw new DatastoreError(`Cannot write "${dest}": ${(err as Error).message}`, { path: dest, cause: err });
    }
  }
}

/** The temp name {@link writeAtomic} uses for `dest` with a given tag. */
export function tempPath(dest: string, tempTag: string): string {
  return `${dest}.tmp-${tempTag}`;
}

async function moveBack(dest: string, source: string): Promise<void> {
  await mkdir(dirname(source), { recursive: true });
  await rename(dest, source).catch(async () => {
    await copyFile(dest, source);
    await rm(dest, { force: true });
  });
}

function extensionOf(path: string): string {
  const m = /(\.[A-Za-z0-9]+(\.(gz|fz|bz2))?)$/.exec(path);
  return m?.[1] ?? '';
}
