/**
 * Least-privilege policies for the check Lambdas, generated from the registry: a family's role gets
 * exactly the actions its checks declare (`iamActionsFor`), never a wildcard action. Resources are
 * narrowed where the action allows it and the target is known at synth time; read-only describe
 * calls on resources of any name keep Resource "*".
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { iamActionsFor } from '../../functions/checks/registry.ts';
import type { Family } from '../../functions/checks/types.ts';

/** A resource pattern and why a wildcard in it cannot be avoided (for the cdk-nag suppression). */
export interface ScopedResource {
  readonly arn: string;
  readonly whyWildcard?: string;
}

/**
 * The stack names a list of guarded stacks covers: each name or `*` pattern, and its nested stacks,
 * which CloudFormation names `<parent>-<LogicalId>-<suffix>`.
 */
export function guardedNamePatterns(guarded: readonly string[]): string[] {
  const patterns = guarded.flatMap((name) => (name.endsWith('*') ? [name] : [name, `${name}-*`]));
  return [...new Set(patterns)];
}

/** ARNs of the guarded stacks and of their nested stacks. */
export function guardedStackArns(scope: IConstruct, guarded: readonly string[]): string[] {
  const stack = Stack.of(scope);
  return guardedNamePatterns(guarded).map((name) =>
    stack.formatArn({
      service: 'cloudformation',
      resource: 'stack',
      resourceName: `${name}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    }),
  );
}

const WHY_STACK_ARN =
  'CloudFormation stack ARNs end in a stack id unknown at synth time; the pattern names the guarded stack and its nested stacks only';
const WHY_DESCRIBE =
  'Read-only describe calls on the resources of the guarded stack, whose names are known only at audit time (or an action without resource-level permissions)';

interface Narrowing {
  readonly resources: (scope: IConstruct, guarded: readonly string[]) => readonly ScopedResource[];
  readonly conditions?: (guarded: readonly string[]) => Record<string, unknown>;
}

/** Actions whose resources can be narrowed; every other declared action is a read-only describe call. */
const NARROWED: Readonly<Record<string, Narrowing>> = {
  // API Gateway authorizes every read as apigateway:GET on the resource path; this region only.
  'apigateway:GET': {
    resources: (scope) => [
      {
        arn: `arn:${Stack.of(scope).partition}:apigateway:${Stack.of(scope).region}::/*`,
        whyWildcard:
          'apigateway:GET is authorized on REST paths (/restapis/<id>/...), whose ids are known only at audit time; this region only',
      },
    ],
  },
  'cloudformation:DescribeStacks': {
    resources: (scope, guarded) =>
      guardedStackArns(scope, guarded).map((arn) => ({ arn, whyWildcard: WHY_STACK_ARN })),
  },
  'cloudformation:DetectStackDrift': {
    resources: (scope, guarded) =>
      guardedStackArns(scope, guarded).map((arn) => ({ arn, whyWildcard: WHY_STACK_ARN })),
  },
  // The smoke test invokes the deployment's target version: only functions of the guarded stack,
  // recognised by the tag CloudFormation puts on every function it creates.
  'lambda:InvokeFunction': {
    resources: (scope) => [
      {
        arn: Stack.of(scope).formatArn({
          service: 'lambda',
          resource: 'function',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
        whyWildcard:
          'the deployment target (function and version) is known only at deployment time; the aws:cloudformation:stack-name tag condition limits it to the guarded stack',
      },
    ],
    conditions: (guarded) => ({
      StringLike: { 'aws:ResourceTag/aws:cloudformation:stack-name': guardedNamePatterns(guarded) },
    }),
  },
};

/** The statements of one family's auditor policy, with the reason for every wildcard resource. */
export function auditorStatements(
  scope: IConstruct,
  family: Family,
  guarded: readonly string[],
): { statements: iam.PolicyStatement[]; wildcardReasons: Map<string, string> } {
  return statementsForActions(scope, iamActionsFor(family), guarded);
}

/**
 * The statements that grant declared read-only actions, narrowed as the built-ins' are: what a
 * family's checks declare, or what a user-defined check function declares.
 */
export function statementsForActions(
  scope: IConstruct,
  actions: readonly string[],
  guarded: readonly string[],
): { statements: iam.PolicyStatement[]; wildcardReasons: Map<string, string> } {
  const wildcardReasons = new Map<string, string>();
  const statements: iam.PolicyStatement[] = [];

  const describeActions = actions.filter((action) => NARROWED[action] === undefined);
  if (describeActions.length > 0) {
    statements.push(
      new iam.PolicyStatement({ sid: 'ReadOnlyDescribe', actions: [...describeActions], resources: ['*'] }),
    );
    wildcardReasons.set('*', WHY_DESCRIBE);
  }
  for (const action of actions) {
    const narrowing = NARROWED[action];
    if (narrowing === undefined) continue;
    const scoped = narrowing.resources(scope, guarded);
    for (const resource of scoped) {
      if (resource.whyWildcard) wildcardReasons.set(resource.arn, resource.whyWildcard);
    }
    statements.push(
      new iam.PolicyStatement({
        sid: action.replace(/[^A-Za-z0-9]/g, ''),
        actions: [action],
        resources: scoped.map((resource) => resource.arn),
        ...(narrowing.conditions ? { conditions: narrowing.conditions(guarded) } : {}),
      }),
    );
  }
  return { statements, wildcardReasons };
}
