/** Where a command writes: the result on stdout, progress, notes and errors on stderr. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
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

/** Writes a result file, creating its folder. */
export async function writeResultFile(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, 'utf8');
  } catch (error) {
    const code =
      (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
    throw new CliError(`cannot write ${path} (${code})`, { cause: error });
  }
}
