/**
 * fitgate as its users meet it: `npm pack` of this repository, then fresh CDK apps in a temporary
 * directory that `npm install` the tarball and synthesize. Shared by the consumer-app tests
 * (test/package/consumer.test.ts) and the synth benchmark (bench/synth.ts).
 *
 * Installs reuse the npm cache `npm ci` filled and pin every version, so they are quick and the
 * registry is asked only for what the cache lacks.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoPackage = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

/** The versions the repository itself is tested with (package.json devDependencies). */
export const AWS_CDK_LIB = repoPackage.devDependencies['aws-cdk-lib'] ?? '2.275.0';
export const CONSTRUCTS = repoPackage.devDependencies.constructs ?? '10.8.1';
export const TYPES_NODE = repoPackage.devDependencies['@types/node'] ?? '22.20.5';
/** tsx, as an app that runs its TypeScript without compiling would install it. */
export const TSX = '4.23.15';

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs a command with this process's Node 22 first on PATH; never throws. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      ...env,
    },
  });
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? String(result.error ?? ''),
    ms: performance.now() - started,
  };
}

/** A command that must succeed: its output, or an error with the command's own words. */
export function must(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Run {
  const result = run(command, args, cwd, env);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stderr.slice(-4000)}\n${result.stdout.slice(-2000)}`,
    );
  }
  return result;
}

/** `npm pack` of the repository (prepack builds dist/); the tarball's path. */
export function packFitgate(destination: string): string {
  mkdirSync(destination, { recursive: true });
  const packed = must('npm', ['pack', '--json', '--pack-destination', destination], REPO_ROOT);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string }[];
  if (!info) throw new Error('npm pack reported no tarball');
  return path.join(destination, info.filename);
}

/** A fresh project directory that installs the tarball and the given pinned dependencies. */
export function installProject(
  dir: string,
  tarball: string,
  dependencies: Readonly<Record<string, string>>,
  options: { type?: 'module' | 'commonjs'; extraArgs?: readonly string[] } = {},
): Run {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name: path.basename(dir),
        private: true,
        type: options.type ?? 'module',
        dependencies: { fitgate: `file:${tarball}`, ...dependencies },
      },
      null,
      2,
    )}\n`,
  );
  return run('npm', ['install', '--prefer-offline', '--loglevel=error', ...(options.extraArgs ?? [])], dir);
}

export type AppModule = 'esm' | 'cjs';

/**
 * The sample service as a user's CDK app: two buckets, two tables, two functions on `live` aliases
 * behind API Gateway, deployed linear and canary by CodeDeploy, and (with the gate) the five lines
 * the README shows. Valid TypeScript and JavaScript alike; `cjs` writes `require`.
 */
export function serviceApp(options: {
  module: AppModule;
  gate: boolean;
  /** Where FitnessGate comes from. @default 'fitgate', the installed package */
  gateFrom?: string;
  stackName?: string;
}): string {
  const modules: [string, string][] = [
    ['cdk', 'aws-cdk-lib'],
    ['apigateway', 'aws-cdk-lib/aws-apigateway'],
    ['codedeploy', 'aws-cdk-lib/aws-codedeploy'],
    ['dynamodb', 'aws-cdk-lib/aws-dynamodb'],
    ['iam', 'aws-cdk-lib/aws-iam'],
    ['lambda', 'aws-cdk-lib/aws-lambda'],
    ['s3', 'aws-cdk-lib/aws-s3'],
  ];
  const imports = modules.map(([name, specifier]) =>
    options.module === 'esm'
      ? `import * as ${name} from '${specifier}';`
      : `const ${name} = require('${specifier}');`,
  );
  if (options.gate) {
    const from = options.gateFrom ?? 'fitgate';
    imports.push(
      options.module === 'esm'
        ? `import { FitnessGate } from '${from}';`
        : `const { FitnessGate } = require('${from}');`,
    );
  }
  return `${imports.join('\n')}

const app = new cdk.App();
const stack = new cdk.Stack(app, '${options.stackName ?? 'ConsumerService'}');
const buckets = ['Encrypted', 'Plain'].map((name) => new s3.Bucket(stack, name + 'Bucket', {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
}));
const tables = ['Encrypted', 'Plain'].map((name) => new dynamodb.Table(stack, name + 'Table', {
  partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
}));
const api = new apigateway.RestApi(stack, 'SampleApi', { cloudWatchRole: false, deployOptions: { stageName: 'prod' } });
const application = new codedeploy.LambdaApplication(stack, 'SampleApplication');
const configs = [
  codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
  codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
];
const groups = ['myFirstFunction', 'mySecondFunction'].map((name, index) => {
  const fn = new lambda.Function(stack, name, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "' + name + '" });'),
    environment: { BUCKET_NAME: buckets[index].bucketName, TABLE_NAME: tables[index].tableName },
  });
  buckets[index].grantRead(fn);
  tables[index].grantReadData(fn);
  const alias = new lambda.Alias(stack, name + 'Live', { aliasName: 'live', version: fn.currentVersion });
  api.root.addResource(name).addMethod('GET', new apigateway.LambdaIntegration(alias));
  return new codedeploy.LambdaDeploymentGroup(stack, name + 'Deployment', {
    application,
    alias,
    deploymentConfig: configs[index],
  });
});
${
  options.gate
    ? `
const gate = new FitnessGate(stack, 'FitnessGate', { policy: { minFitness: 60 } });
for (const group of groups) gate.guard(group);
gate.grantStartAudit(new iam.Role(stack, 'Auditor', { assumedBy: new iam.AccountRootPrincipal() }));
`
    : ''
}
app.synth();
`;
}

/** Bytes under a directory. */
export function directorySize(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((total, entry) => total + statSync(path.join(entry.parentPath, entry.name)).size, 0);
}
