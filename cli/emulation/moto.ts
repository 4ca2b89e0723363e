/**
 * Starts and stops the moto server, the project's local AWS. Used by the tests' global setup, the
 * demo, the bench and `fitgate audit --local` alike.
 *
 * moto runs under a tiny Python wrapper that exits when its parent dies, so a killed test runner
 * never leaves an orphan server behind.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export const MIN_MOTO_VERSION = '5.2.1';
const INSTALL_HINT = `python3 -m pip install 'moto[server]>=${MIN_MOTO_VERSION}'`;

/** One clear line for a machine without a usable moto. */
export class MotoUnavailableError extends Error {
  constructor(detail: string) {
    super(`moto server is not available (${detail}); install it with: ${INSTALL_HINT}`);
    this.name = 'MotoUnavailableError';
  }
}

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** Wipes every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  readonly python?: string;
  /** Try `pip install` when moto is missing (default true). */
  readonly install?: boolean;
  readonly startTimeoutMs?: number;
  /** Extra environment for the server, e.g. MOTO_IAM_LOAD_MANAGED_POLICIES. */
  readonly env?: Readonly<Record<string, string>>;
}

// Parent-death watchdog: exit as soon as the process that started us is gone.
const WRAPPER = `
import os, sys, threading, time
parent = os.getppid()
def watch():
    while True:
        if os.getppid() != parent:
            os._exit(0)
        time.sleep(0.5)
threading.Thread(target=watch, daemon=True).start()
from moto.server import main
main(sys.argv[1:])
`;

function motoVersion(python: string): string | undefined {
  const probe = spawnSync(python, ['-c', 'import moto.server, flask; import moto; print(moto.__version__)'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (probe.error || probe.status !== 0) return undefined;
  return probe.stdout.trim();
}

function versionAtLeast(actual: string, wanted: string): boolean {
  const a = actual.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const w = wanted.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < w.length; i++) {
    if ((a[i] ?? 0) !== (w[i] ?? 0)) return (a[i] ?? 0) > (w[i] ?? 0);
  }
  return true;
}

/** Finds moto, installing it with pip when allowed; throws MotoUnavailableError with one clear line. */
export function ensureMoto(python = 'python3', install = true): string {
  const which = spawnSync(python, ['--version'], { encoding: 'utf8' });
  if (which.error) throw new MotoUnavailableError(`${python} was not found`);
  let version = motoVersion(python);
  if ((!version || !versionAtLeast(version, MIN_MOTO_VERSION)) && install) {
    spawnSync(
      python,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--retries',
        '0',
        '--timeout',
        '15',
        `moto[server]>=${MIN_MOTO_VERSION}`,
      ],
      {
        stdio: 'ignore',
        timeout: 300_000,
      },
    );
    version = motoVersion(python);
  }
  if (!version) throw new MotoUnavailableError(`${python} cannot import moto.server`);
  if (!versionAtLeast(version, MIN_MOTO_VERSION)) {
    throw new MotoUnavailableError(`found moto ${version}, need ${MIN_MOTO_VERSION} or later`);
  }
  return version;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number, log: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new MotoUnavailableError(`moto exited with code ${child.exitCode}: ${log()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new MotoUnavailableError(`moto did not answer on ${endpoint} within ${timeoutMs} ms: ${log()}`);
}

export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const python = options.python ?? process.env.FITGATE_PYTHON ?? 'python3';
  ensureMoto(python, options.install ?? true);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, ['-c', WRAPPER, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // MOTO_PORT: moto's own ASL interpreter (execute_state_machine) calls the server back on it.
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', MOTO_PORT: String(port), ...options.env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const kill = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  try {
    await waitUntilReady(
      endpoint,
      child,
      options.startTimeoutMs ?? 60_000,
      () => stderr.trim().split('\n').pop() ?? '',
    );
  } catch (error) {
    kill();
    throw error;
  }
  return {
    endpoint,
    port,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed with HTTP ${response.status}`);
    },
    async stop() {
      process.removeListener('exit', kill);
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(kill, 3000).unref();
      });
    },
  };
}

/** The environment that points the AWS SDK (and so every handler) at a local endpoint. */
export function localAwsEnv(endpoint: string, codeDeployEndpoint?: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    ...(codeDeployEndpoint ? { AWS_ENDPOINT_URL_CODEDEPLOY: codeDeployEndpoint } : {}),
  };
}
