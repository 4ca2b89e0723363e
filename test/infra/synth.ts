/**
 * Synthesis for the infra tests: no Docker, no credentials, a fresh output directory per app.
 * Bundling 16 functions takes about a minute, so tests skip it (CDK then uses placeholder assets)
 * through the `aws:cdk:bundling-stacks` context; bundling.test.ts bundles for real.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FitnessGate, type FitnessGateProps } from '../../infra/lib/fitness-gate.ts';
import { SampleServiceStack, type SampleServiceStackProps } from '../../infra/lib/sample-service-stack.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The context of cdk.json, so tests synthesize what `npm run synth` does. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

export function newApp(options: { bundle?: boolean } = {}): App {
  return new App({
    outdir: mkdtempSync(path.join(tmpdir(), 'fitgate-cdk-')),
    context: { ...cdkJsonContext(), ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
}

export function sampleStack(props: SampleServiceStackProps = {}): {
  app: App;
  stack: SampleServiceStack;
  template: Template;
} {
  const app = newApp();
  const stack = new SampleServiceStack(app, 'FitgateSample', props);
  return { app, stack, template: Template.fromStack(stack) };
}

/** A stack with one function, its live alias and a deployment group, and a gate. */
export function gateStack(props: FitnessGateProps = {}) {
  const app = newApp();
  const stack = new Stack(app, 'Service');
  const fn = new lambda.Function(stack, 'Api', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
  const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
  const group = new codedeploy.LambdaDeploymentGroup(stack, 'Deployment', { alias });
  const gate = new FitnessGate(stack, 'FitnessGate', props);
  return { app, stack, gate, group };
}

export type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }
>;

export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** The logical id CloudFormation gets for a construct's default resource. */
export function logicalIdOf(stack: Stack, constructPath: string): string {
  const construct = stack.node
    .findAll()
    .find((node) => node.node.path === `${stack.node.path}/${constructPath}`);
  const resource = construct?.node.defaultChild ?? construct;
  if (!resource) throw new Error(`no construct at ${constructPath}`);
  return stack.getLogicalId(resource as never);
}

export interface CfnLintMatch {
  readonly Level: 'Error' | 'Warning' | 'Informational';
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location: { readonly Path: readonly (string | number)[] };
}

const CFN_LINT_HINT =
  'cfn-lint (AWS CloudFormation Linter, Python) is required by the infra tests: install it with `python3 -m pip install cfn-lint`';

/** The cfn-lint command line: the `cfn-lint` script, else the Python module; a clear failure otherwise. */
export function cfnLintCommand(): readonly string[] {
  for (const command of [['cfn-lint'], ['python3', '-m', 'cfnlint']]) {
    const [bin, ...args] = command as [string, ...string[]];
    const probe = spawnSync(bin, [...args, '--version'], { encoding: 'utf8' });
    if (probe.status === 0) return command;
  }
  throw new Error(CFN_LINT_HINT);
}

/** Runs cfn-lint on synthesized templates; returns every match (errors, warnings, informational). */
export function cfnLint(templateFiles: readonly string[]): CfnLintMatch[] {
  const [bin, ...args] = cfnLintCommand() as [string, ...string[]];
  const run = spawnSync(bin, [...args, '--format', 'json', '--', ...templateFiles], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // Exit codes are a bit field of the levels found (2 errors, 4 warnings, 8 informational); 1 is a crash.
  if (run.status === null || (run.status & 1) === 1 || run.stdout.trim() === '') {
    if (run.stdout.trim() === '' && run.status === 0) return [];
    throw new Error(`cfn-lint did not run (exit ${run.status}): ${run.stderr.slice(0, 2000)}`);
  }
  return JSON.parse(run.stdout) as CfnLintMatch[];
}

export interface StatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
  readonly Sid?: string;
}

export function actionsOf(statement: StatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** The statements of one AWS::IAM::Policy resource. */
export function statementsOf(policy: Resources[string] | undefined): StatementJson[] {
  const document = policy?.Properties?.PolicyDocument as { Statement?: StatementJson[] } | undefined;
  return document?.Statement ?? [];
}

/** Every AWS::IAM::Policy attached to exactly this role, by logical id. */
export function policiesOfRole(template: Template, roleId: string): Resources {
  return Object.fromEntries(
    Object.entries(resourcesOf(template, 'AWS::IAM::Policy')).filter(
      ([, policy]) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]),
    ),
  );
}

/** Every statement granted to the role of a construct path (e.g. `FitnessGate/SafetyNet/Role`). */
export function statementsOfRole(template: Template, roleId: string): StatementJson[] {
  return Object.values(policiesOfRole(template, roleId)).flatMap(statementsOf);
}

/** The environment variables of a Lambda function resource. */
export function variablesOf(fn: Resources[string] | undefined): Record<string, unknown> {
  const environment = fn?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined;
  return environment?.Variables ?? {};
}

const SAM_TRANSFORM_SCRIPT = `
import json, sys
from cfnlint.decode import decode
from cfnlint.template.transforms._sam import Transform
template, matches = decode(sys.argv[1])
if matches:
    sys.exit('cannot read ' + sys.argv[1] + ': ' + '; '.join(str(match) for match in matches))
transform = Transform(sys.argv[1], template, 'us-east-1')
errors = transform.transform_template()
if errors:
    sys.exit('SAM transform failed: ' + '; '.join(str(error) for error in errors))
print(json.dumps(transform.template(), default=str))
`;

/** The CloudFormation template AWS SAM makes of a SAM template: the translator cfn-lint bundles. */
export function samTransform(templateFile: string): {
  Resources: Resources;
  Outputs?: Record<string, unknown>;
} {
  cfnLintCommand();
  const run = spawnSync('python3', ['-c', SAM_TRANSFORM_SCRIPT, templateFile], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0)
    throw new Error(`SAM transform of ${templateFile} failed: ${run.stderr.slice(0, 2000)}`);
  return JSON.parse(run.stdout) as { Resources: Resources; Outputs?: Record<string, unknown> };
}
