/** Where a command writes: the result on stdout, progress, notes and errors on stderr. */
import { constants } from 'node:fs';
import { access, mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CliError } from './errors.ts';

export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface CommandIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
}

export const processIo: CommandIo = { stdout: process.stdout, stderr: process.stderr };

/** What a file-system error code means, in the user's words. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such directory, and it cannot be created there',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the name is too long',
};

function cannotWrite(path: string, error: unknown): CliError {
  const code = (error as { code?: string }).code ?? '';
  const reason = REASONS[code] ?? (error instanceof Error ? error.message : String(error));
  return new CliError(`cannot write ${path}: ${reason}${code && REASONS[code] ? ` (${code})` : ''}`, {
    cause: error,
  });
}

/**
 * Creates the missing directories of a path one level at a time. `mkdir({ recursive: true })`
 * spins forever under some pseudo file systems (a path below /proc), so it is not used.
 */
async function makeParents(path: string): Promise<void> {
  const missing: string[] = [];
  let directory = dirname(resolve(path));
  for (;;) {
    try {
      if (!(await stat(directory)).isDirectory()) {
        throw Object.assign(new Error(`${directory} is not a directory`), { code: 'ENOTDIR' });
      }
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      missing.unshift(directory);
      const parent = dirname(directory);
      if (parent === directory) break;
      directory = parent;
    }
  }
  for (const folder of missing) await mkdir(folder);
}

/**
 * Checks, before any work is done, that a result file can be written: its folder exists or can be
 * made, and the file can be opened for writing. A file this check creates is removed again, so a
 * failed run leaves nothing behind.
 */
export async function ensureWritable(path: string): Promise<void> {
  try {
    await makeParents(path);
    const existed = await access(path, constants.F_OK).then(
      () => true,
      () => false,
    );
    const handle = await open(path, 'a');
    await handle.close();
    if (!existed) await rm(path, { force: true });
  } catch (error) {
    throw cannotWrite(path, error);
  }
}

/** Writes a result file, creating its folder. */
export async function writeResultFile(path: string, text: string): Promise<void> {
  try {
    await makeParents(path);
    await writeFile(path, text, 'utf8');
  } catch (error) {
    throw cannotWrite(path, error);
  }
}
