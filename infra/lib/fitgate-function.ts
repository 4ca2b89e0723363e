/**
 * The one place that holds fitgate's Lambda runtime defaults: Node.js 22 on ARM, ESM bundled
 * locally by esbuild (no Docker), class names kept for Step Functions Retry/Catch, source maps,
 * active tracing, a log group of its own with retention, and a role of its own that can write only
 * to that log group (no AWS managed policy). Callers' props win over the defaults.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The repository root, from this module's own location (never the working directory). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** esbuild resolves dependencies from the project that holds this lock file. */
export const LOCK_FILE = path.join(PROJECT_ROOT, 'package-lock.json');

/** ESM bundles have no `require`; some dependencies still call it, so the bundle defines one. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as fitgateCreateRequire } from 'node:module'; const require = fitgateCreateRequire(import.meta.url);";

export const DEFAULT_RUNTIME = lambda.Runtime.NODEJS_22_X;
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

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
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: FitgateFunctionProps) {
    super(scope, id);
    const { logRetention, logRemovalPolicy, bundling, environment, ...functionProps } = props;

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

    this.function = new NodejsFunction(this, 'Function', {
      runtime: DEFAULT_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(60),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      ...functionProps,
      handler: props.handler ?? 'handler',
      entry: props.entry,
      depsLockFilePath: props.depsLockFilePath ?? LOCK_FILE,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...environment },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        keepNames: true,
        sourceMap: true,
        // File and line numbers in stack traces without shipping the sources a second time.
        sourcesContent: false,
        minify: true,
        target: 'node22',
        // Ship the SDK versions the tests ran against rather than the runtime's own copy.
        bundleAwsSDK: true,
        forceDockerBundling: false,
        ...bundling,
      },
    });
  }
}
