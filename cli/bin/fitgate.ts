#!/usr/bin/env node
/**
 * The `fitgate` command: parse, dispatch, and map every outcome to an exit code. 0 Succeeded,
 * 1 Failed, 2 a usage or infrastructure error, always one line on stderr, never a stack trace.
 */

// The handlers' structured logs must never reach stdout, which carries only the result. Set before
// any handler module (and its logger) is loaded, which is why the commands are imported below.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

const { describeError, EXIT_ERROR, UsageError } = await import('../errors.ts');

const USAGE = `usage: fitgate <command> [options]

commands:
  audit     audit one stack with the fitness gate (in the cloud, or --local)
  predict   predict a release's fitness from its template or CDK assembly, before it is deployed
  checks    list the check catalog
  history   list the gate's past executions for a stack
  demo      run the evolution demo on the local emulator (no AWS account)

fitgate <command> --help shows a command's options.`;

function fail(error: unknown): never {
  process.stderr.write(`fitgate: ${describeError(error)}\n`);
  process.exit(EXIT_ERROR);
}

// Last resort: whatever escapes still ends as one line and exit 2.
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

async function dispatch(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'audit': {
      const { AUDIT_HELP, parseAuditArgs, runAudit } = await import('../commands/audit.ts');
      const options = parseAuditArgs(rest);
      if (options === 'help') return help(AUDIT_HELP);
      return runAudit(options);
    }
    case 'predict': {
      const { PREDICT_HELP, parsePredictArgs, runPredict } = await import('../commands/predict.ts');
      const options = parsePredictArgs(rest);
      if (options === 'help') return help(PREDICT_HELP);
      return runPredict(options);
    }
    case 'checks': {
      const { CHECKS_HELP, parseChecksArgs, runChecks } = await import('../commands/checks.ts');
      const options = parseChecksArgs(rest);
      if (options === 'help') return help(CHECKS_HELP);
      return runChecks(options);
    }
    case 'history': {
      const { HISTORY_HELP, parseHistoryArgs, runHistory } = await import('../commands/history.ts');
      const options = parseHistoryArgs(rest);
      if (options === 'help') return help(HISTORY_HELP);
      return runHistory(options);
    }
    case 'demo': {
      const { DEMO_HELP, parseDemoArgs, runDemo } = await import('../commands/demo.ts');
      const options = parseDemoArgs(rest);
      if (options === 'help') return help(DEMO_HELP);
      return runDemo(options);
    }
    case 'help':
    case '--help':
    case '-h':
      return help(USAGE);
    case undefined:
      throw new UsageError(
        'no command given; usage: fitgate audit|predict|checks|history|demo [options] (fitgate --help)',
      );
    default:
      throw new UsageError(
        `unknown command ${command}; usage: fitgate audit|predict|checks|history|demo [options] (fitgate --help)`,
      );
  }
}

function help(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

/**
 * Once the result is written nothing may keep the process alive: every SDK call is bounded, and a
 * handle that still lingers (a socket of a service that never answered) gets this long.
 */
const EXIT_GRACE_MS = 2_000;

try {
  const code = await dispatch(process.argv.slice(2));
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
} catch (error) {
  fail(error);
}
