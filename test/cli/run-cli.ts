/** Runs the real `fitgate` bin in a child process, as a user would, and collects what it printed. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../cli/bin/fitgate.ts', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `env` is layered over this process's environment (which points the SDK at the test's moto); a
 * value of undefined removes the variable. POWERTOOLS_LOG_LEVEL is removed, so the test sees
 * whether the CLI itself keeps handler logs off stdout.
 */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; timeoutMs?: number; cwd?: string } = {},
): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({
    ...process.env,
    POWERTOOLS_LOG_LEVEL: undefined,
    ...options.env,
  })) {
    if (value !== undefined) env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** An error run: exit 2, nothing on stdout, exactly one line on stderr, no stack trace. */
export function errorLine(run: CliRun): string {
  const lines = run.stderr.split('\n').filter(Boolean);
  if (run.code !== 2 || run.stdout !== '' || lines.length !== 1 || /^\s+at /m.test(run.stderr)) {
    throw new Error(
      `expected exit 2 with one stderr line, got ${run.code}:\nstdout: ${run.stdout}\nstderr: ${run.stderr}`,
    );
  }
  return lines[0] ?? '';
}
