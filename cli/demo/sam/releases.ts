/**
 * The demo's releases written in SAM, as a SAM team writes the sample service: each release is the
 * CloudFormation release of the same number (../releases.ts: buckets, tables, key, bucket policies,
 * log groups, alarms) with the compute and the API written as SAM resources, which AWS's SAM
 * translator expands when the release deploys:
 *
 * - Globals.Function: runtime, memory, timeout, the RELEASE variable and `AutoPublishAlias: live`
 * - myFirstFunction / mySecondFunction: AWS::Serverless::Function, code in functions/ (CodeUri, staged
 *   like `sam package`), an Api event on ServiceApi, and a DeploymentPreference (Linear10PercentEvery1Minute
 *   and Canary10Percent5Minutes, as infra/lib/sample-service-stack.ts) whose Hooks name fitgate's
 *   CodeDeployHook_* functions; from v3 on, its error alarm rolls the deployment back
 * - ServiceApi: AWS::Serverless::Api, stage Prod; from v3 on with tracing and throttling
 *
 * The logical ids of the functions, their roles (SAM's `<function>Role`) and the API stay those of
 * the CloudFormation releases, so findings read the same in both demos.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CfnResource, CfnTemplate } from '../../emulation/template.ts';
import { FUNCTIONS, type Release, releases, type ServiceFunction } from '../releases.ts';

/** Where the SAM releases' CodeUri paths start. */
export const SAM_DEMO_DIR = fileURLToPath(new URL('.', import.meta.url));

/**
 * fitgate's CodeDeploy hooks, by the names SAM's DeploymentPreference.Hooks give them: SAM's default
 * CodeDeploy role (AWSCodeDeployRoleForLambda) may invoke only functions named CodeDeployHook_*.
 */
export const SAM_HOOKS = {
  PreTraffic: 'CodeDeployHook_fitgate-PreTraffic',
  PostTraffic: 'CodeDeployHook_fitgate-PostTraffic',
} as const;

const SERVICE: Readonly<Record<ServiceFunction, { route: string; codeUri: string; deployment: string }>> = {
  myFirstFunction: { route: '/first', codeUri: 'functions/first', deployment: 'Linear10PercentEvery1Minute' },
  mySecondFunction: { route: '/second', codeUri: 'functions/second', deployment: 'Canary10Percent5Minutes' },
};

/** What SAM writes for the service: the functions, their roles, permissions and the REST API. */
function isServiceCompute(logicalId: string, resource: CfnResource): boolean {
  if (resource.Type.startsWith('AWS::ApiGateway::') || resource.Type.startsWith('AWS::Lambda::')) return true;
  return FUNCTIONS.some((name) => logicalId === `${name}Role`);
}

function samFunction(name: ServiceFunction, alarmed: boolean): CfnResource {
  const { route, codeUri, deployment } = SERVICE[name];
  return {
    Type: 'AWS::Serverless::Function',
    Properties: {
      CodeUri: codeUri,
      Events: {
        Api: { Type: 'Api', Properties: { RestApiId: { Ref: 'ServiceApi' }, Path: route, Method: 'ANY' } },
      },
      DeploymentPreference: {
        Type: deployment,
        Hooks: { ...SAM_HOOKS },
        ...(alarmed ? { Alarms: [{ Ref: `${name}Errors` }] } : {}),
      },
    },
  };
}

/** The SAM template of release `version`, from the CloudFormation release of that number. */
export function samReleaseTemplate(base: CfnTemplate, version: number): CfnTemplate {
  const stage = base.Resources.ApiStage?.Properties ?? {};
  const resources: Record<string, CfnResource> = Object.fromEntries(
    Object.entries(base.Resources).filter(([logicalId, resource]) => !isServiceCompute(logicalId, resource)),
  );
  resources.ServiceApi = {
    Type: 'AWS::Serverless::Api',
    Properties: {
      StageName: stage.StageName ?? 'Prod',
      Description: 'Sample service: /first and /second, each on its function’s live alias',
      ...(stage.TracingEnabled !== undefined ? { TracingEnabled: stage.TracingEnabled } : {}),
      ...(stage.MethodSettings !== undefined ? { MethodSettings: stage.MethodSettings } : {}),
    },
  };
  for (const name of FUNCTIONS) resources[name] = samFunction(name, resources[`${name}Errors`] !== undefined);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Description: `fitgate demo: the sample service in SAM, release v${version}`,
    Globals: {
      Function: {
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        MemorySize: 256,
        Timeout: 10,
        AutoPublishAlias: 'live',
        Environment: { Variables: { RELEASE: String(version) } },
      },
    },
    Resources: resources,
  };
}

/** The five releases in SAM; each function's code is its functions/ folder's index.js. */
export function samReleases(): Release[] {
  const code = Object.fromEntries(
    FUNCTIONS.map((name) => [
      name,
      readFileSync(new URL(`${SERVICE[name].codeUri}/index.js`, import.meta.url), 'utf8'),
    ]),
  );
  return releases().map((release) => ({
    ...release,
    template: samReleaseTemplate(release.template, release.version),
    code,
  }));
}
