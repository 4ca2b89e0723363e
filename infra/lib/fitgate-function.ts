/**
 * The one place that holds fitgate's Lambda runtime defaults: Node.js 22 on ARM, ESM bundled by
 * esbuild (no Docker), class names kept for Step Functions Retry/Catch, source maps, active tracing,
 * a log group of its own with retention, and a role of its own that can write only to that log group
 * (no AWS managed policy). Callers' props win over the defaults.
 *
 * Where the code comes from: the installed package ships every handler pre-bundled
 * (`assets/<handler dir>/index.mjs`, built once by `npm run build` with LAMBDA_BUNDLE), so a user's
 * synth needs neither esbuild nor Docker; inside this repository, where no assets are shipped, the
 * handler is bundled from source by NodejsFunction with the same options.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The repository root (or the package's dist/), from this module's own location, never the working directory. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** esbuild resolves dependencies from the project that holds this lock file. */
export const LOCK_FILE = path.join(PROJECT_ROOT, 'package-lock.json');
/** The Lambda handlers: one `handler.ts` per function directory. */
export const FUNCTIONS_DIR = path.join(PROJECT_ROOT, 'functions');
/** Pre-bundled handlers, present in the installed package only (scripts/build.ts writes them). */
export const ASSETS_DIR = path.join(PROJECT_ROOT, 'assets');
/** The file name of a bundled handler, in an asset and in NodejsFunction's output alike. */
export const BUNDLE_FILE = 'index.mjs';

/** ESM bundles have no `require`; some dependencies still call it, so the bundle defines one. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as fitgateCreateRequire } from 'node:module'; const require = fitgateCreateRequire(import.meta.url);";

/** How every handler is bundled, at pack time (scripts/build.ts) and from source (NodejsFunction). */
export const LAMBDA_BUNDLE = {
  format: 'esm',
  target: 'node22',
  platform: 'node',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  keepNames: true,
  minify: true,
  sourceMap: true,
  // File and line numbers in stack traces without shipping the sources a second time.
  sourcesContent: false,
} as const;

export const DEFAULT_RUNTIME = lambda.Runtime.NODEJS_22_X;
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/**
 * The asset directory of a handler: its directory under functions/ (`hook`, `checks/s3`, …). An
 * entry outside functions/ has no pre-bundled asset.
 */
export function assetDirOf(entry: string): string | undefined {
  const relative = path.relative(FUNCTIONS_DIR, path.dirname(entry));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return path.join(ASSETS_DIR, relative);
}

export interface FitgateFunctionProps extends Omit<NodejsFunctionProps, 'entry' | 'role' | 'logGroup'> {
  /** The handler module (absolute path); it exports `handler`. */
  readonly entry: string;
  /** Retention of the function's own log group. @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log group when the stack goes. @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/** A fitgate Lambda function with its own role and log group. */
export class FitgateFunction extends Construct implements iam.IGrantable {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: FitgateFunctionProps) {
    super(scope, id);
    const { logRetention, logRemovalPolicy, bundling, environment, entry, ...functionProps } = props;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logRetention ?? DEFAULT_LOG_RETENTION,
      removalPolicy: logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `fitgate ${id}: least-privilege execution role`,
    });
    this.grantPrincipal = this.role;
    // Instead of AWSLambdaBasicExecutionRole (logs in every group of the account): only its own group.
    this.logGroup.grantWrite(this.role);

    const common = {
      runtime: DEFAULT_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(60),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      ...functionProps,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...environment },
    };
    const assetDir = assetDirOf(entry);
    if (assetDir && existsSync(path.join(assetDir, BUNDLE_FILE))) {
      // The installed package: the bundle built at pack time, as is.
      this.function = new lambda.Function(this, 'Function', {
        ...common,
        handler: `index.${props.handler ?? 'handler'}`,
        code: lambda.Code.fromAsset(assetDir),
      });
    } else if (existsSync(entry)) {
      // This repository: bundle the source with esbuild, locally.
      this.function = new NodejsFunction(this, 'Function', {
        ...common,
        handler: props.handler ?? 'handler',
        entry,
        depsLockFilePath: props.depsLockFilePath ?? LOCK_FILE,
        bundling: {
          format: OutputFormat.ESM,
          mainFields: [...LAMBDA_BUNDLE.mainFields],
          banner: LAMBDA_BUNDLE.banner,
          keepNames: LAMBDA_BUNDLE.keepNames,
          sourceMap: LAMBDA_BUNDLE.sourceMap,
          sourcesContent: LAMBDA_BUNDLE.sourcesContent,
          minify: LAMBDA_BUNDLE.minify,
          target: LAMBDA_BUNDLE.target,
          // Ship the SDK versions the tests ran against rather than the runtime's own copy.
          bundleAwsSDK: true,
          forceDockerBundling: false,
          ...bundling,
        },
      });
    } else {
      throw new Error(
        `fitgate ${id}: no pre-bundled code in ${assetDir ?? ASSETS_DIR} and no source at ${entry}; the fitgate package is incomplete, reinstall it (npm install fitgate)`,
      );
    }
  }
}
