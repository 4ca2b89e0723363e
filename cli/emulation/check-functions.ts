/**
 * User-defined check functions run locally: `fitgate audit --local --check-handler ID=PATH` names
 * the module whose exported `handler` stands for the Lambda the FitnessGate registers under ID. The
 * custom family's real handler invokes it through `localInvoker`, as it invokes the Lambda in the
 * cloud: the input and the answer cross a JSON boundary, a throw is the function's error, and an
 * answer later than the timeout is a timeout. Loading problems are one-line errors.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type CheckFunctionAnswer,
  type CustomClients,
  UnregisteredCheckFunctionError,
} from '../../functions/checks/custom/clients.ts';
import { isUserCheckId } from '../../functions/checks/user-defined.ts';
import { errorMessage, errorName } from '../../functions/shared/errors.ts';

/** A local check handler that cannot be used: a bad spec, a missing file, no `handler` export. */
export class CheckHandlerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckHandlerError';
  }
}

export type LocalCheckHandler = (event: unknown, context: unknown) => unknown;

export interface LocalCheckFunction {
  readonly path: string;
  readonly handler: LocalCheckHandler;
}

/** `acme/coverage=./checks/coverage.ts` → its id and path. */
export function parseCheckHandlerSpec(spec: string): { id: string; path: string } {
  const at = spec.indexOf('=');
  const id = spec.slice(0, Math.max(0, at)).trim();
  const path = spec.slice(at + 1).trim();
  if (at <= 0 || !path) {
    throw new CheckHandlerError(
      `--check-handler ${JSON.stringify(spec)} must be ID=PATH, e.g. acme/coverage=./checks/coverage.ts`,
    );
  }
  if (!isUserCheckId(id)) {
    throw new CheckHandlerError(
      `--check-handler ${id}: a check function's id is <namespace>/<name>, e.g. acme/coverage`,
    );
  }
  return { id, path };
}

/** Imports each handler module; `cwd` resolves relative paths. */
export async function loadCheckHandlers(
  specs: readonly string[],
  cwd = process.cwd(),
): Promise<Record<string, LocalCheckFunction>> {
  const loaded: Record<string, LocalCheckFunction> = {};
  for (const spec of specs) {
    const { id, path } = parseCheckHandlerSpec(spec);
    if (loaded[id]) throw new CheckHandlerError(`--check-handler ${id} is given twice`);
    const file = isAbsolute(path) ? path : resolve(cwd, path);
    const found = await stat(file).catch(() => undefined);
    if (!found?.isFile()) throw new CheckHandlerError(`--check-handler ${id}: no such file ${path}`);
    let module: { handler?: unknown; default?: { handler?: unknown } };
    try {
      module = (await import(pathToFileURL(file).href)) as typeof module;
    } catch (error) {
      throw new CheckHandlerError(
        `--check-handler ${id}: ${path} does not load (${errorName(error)}: ${errorMessage(error).split('\n')[0]?.slice(0, 160)})`,
      );
    }
    const handler = module.handler ?? module.default?.handler;
    if (typeof handler !== 'function') {
      throw new CheckHandlerError(`--check-handler ${id}: ${path} exports no function named handler`);
    }
    loaded[id] = { path, handler: handler as LocalCheckHandler };
  }
  return loaded;
}

/** The check functions a configuration declares and no handler is given for (a local run needs all). */
export function missingCheckHandlers(
  declared: readonly { readonly id: string }[],
  handlers: Readonly<Record<string, unknown>>,
): string[] {
  return declared.map((fn) => fn.id).filter((id) => !(id in handlers));
}

/** What crosses Lambda's JSON boundary: a copy, `undefined` becoming null as Lambda returns it. */
function overJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
}

/** The custom family's clients for a local run: each check id invokes its local handler. */
export function localInvoker(
  handlers: Readonly<Record<string, LocalCheckFunction>>,
  timeoutMs = 80_000,
): CustomClients {
  return {
    describe: (checkId) => handlers[checkId]?.path ?? 'no local handler',
    invoke: async (checkId, input): Promise<CheckFunctionAnswer> => {
      const local = handlers[checkId];
      if (!local) {
        throw new UnregisteredCheckFunctionError(
          `check function ${checkId} has no local handler: pass --check-handler ${checkId}=PATH`,
        );
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error(`no answer after ${timeoutMs} ms`), { name: 'TimeoutError' })),
          timeoutMs,
        );
      });
      try {
        const answer = await Promise.race([
          Promise.resolve().then(() =>
            local.handler(overJson(input), {
              functionName: checkId,
              getRemainingTimeInMillis: () => timeoutMs,
            }),
          ),
          timeout,
        ]);
        return { kind: 'answer', payload: overJson(answer) };
      } catch (error) {
        if (errorName(error) === 'TimeoutError') throw error;
        return { kind: 'threw', error: errorName(error), message: errorMessage(error) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
