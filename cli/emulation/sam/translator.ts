/**
 * Runs AWS's SAM translator (the Python package aws-sam-translator, which cfn-lint installs) as a
 * subprocess: translate.py beside this file reads the request on stdin and answers JSON on stdout.
 * The Python is FITGATE_PYTHON (default python3), the one the moto launcher uses.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CfnTemplate } from '../template.ts';

export const TRANSLATE_SCRIPT = fileURLToPath(new URL('./translate.py', import.meta.url));
export const SAM_PACKAGE = 'aws-sam-translator';
const TIMEOUT_MS = 60_000;

/** The SAM transform could not run or rejected the template; the message is one line. */
export class SamTransformError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SamTransformError';
  }
}

export interface TranslateRequest {
  readonly template: CfnTemplate;
  /** Stack parameter values (with defaults filled in by the translator). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
}

interface TranslatorAnswer {
  readonly template?: CfnTemplate;
  readonly version?: string;
  readonly error?: string;
  readonly kind?: 'invalid' | 'missing' | 'internal';
}

export function samPython(env: NodeJS.ProcessEnv = process.env): string {
  return env.FITGATE_PYTHON || 'python3';
}

function missingTranslator(python: string, detail: string): SamTransformError {
  return new SamTransformError(
    `the SAM transform needs the Python package ${SAM_PACKAGE}, which ${python} cannot run (${detail}); install it with: ${python} -m pip install ${SAM_PACKAGE} (cfn-lint brings it too)`,
  );
}

async function runTranslator(
  args: readonly string[],
  input: string,
  python: string,
): Promise<TranslatorAnswer> {
  const child = spawn(python, [TRANSLATE_SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  const exit = new Promise<{ code: number | null; spawnError?: NodeJS.ErrnoException }>((resolve) => {
    child.once('error', (spawnError: NodeJS.ErrnoException) => resolve({ code: null, spawnError }));
    child.once('close', (code) => resolve({ code }));
  });
  // A child that dies before reading its input must not crash the parent with EPIPE.
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  const { code, spawnError } = await exit;
  clearTimeout(timer);
  if (spawnError) {
    throw missingTranslator(
      python,
      spawnError.code === 'ENOENT' ? `${python} was not found` : spawnError.message,
    );
  }
  let answer: TranslatorAnswer;
  try {
    answer = JSON.parse(stdout) as TranslatorAnswer;
  } catch {
    const last = stderr.trim().split('\n').pop() ?? '';
    throw new SamTransformError(
      `the SAM translator answered no JSON (exit ${code ?? 'killed'})${last ? `: ${last}` : ''}`,
    );
  }
  if (answer.kind === 'missing') throw missingTranslator(python, `no module named ${answer.error}`);
  if (answer.error !== undefined) {
    const what =
      answer.kind === 'invalid' ? 'the SAM transform rejected the template' : 'the SAM translator failed';
    throw new SamTransformError(`${what}: ${answer.error}`);
  }
  return answer;
}

/** The installed translator's version; throws SamTransformError (one line naming the package) without it. */
export async function samTranslatorVersion(python = samPython()): Promise<string> {
  const answer = await runTranslator(['--version'], '', python);
  return answer.version ?? 'unknown';
}

/** The processed template, as CloudFormation's AWS::Serverless-2016-10-31 transform makes it. */
export async function translateSam(
  request: TranslateRequest,
  python = samPython(),
): Promise<{ template: CfnTemplate; version: string }> {
  const answer = await runTranslator([], JSON.stringify(request), python);
  if (!answer.template) throw new SamTransformError('the SAM translator answered without a template');
  return { template: answer.template, version: answer.version ?? 'unknown' };
}
