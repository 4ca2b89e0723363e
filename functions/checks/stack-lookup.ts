/**
 * What a check may need from the audited stack itself, when a resource's physical id does not say
 * everything (a stage's API, a rule's event bus): the template as declared and ListStackResources,
 * each read once per work item through `memo`. The family's clients must include CloudFormation.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  DescribeStacksCommand,
  GetTemplateCommand,
  paginateListStackResources,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { errorName } from '../shared/errors.ts';
// The one CloudFormation template reader (short-form tags included).
import { parseTemplate } from '../shared/template.ts';
import type { CheckContext } from './types.ts';

type LookupContext = Pick<
  CheckContext<{ readonly cloudFormation: CloudFormationClient }>,
  'stack' | 'memo' | 'clients'
>;

/** `{"Ref": "X"}` → `X`. */
export function refTarget(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  return typeof ref === 'string' ? ref : undefined;
}

/** The stack's template; undefined when it cannot be read as a template (the caller falls back). */
export function stackTemplate({ stack, memo, clients }: LookupContext) {
  return memo(`template:${stack.stackName}`, async () => {
    const { TemplateBody } = await clients.cloudFormation.send(
      new GetTemplateCommand({ StackName: stack.stackName, TemplateStage: 'Processed' }),
    );
    try {
      return parseTemplate(TemplateBody ?? '', `template of ${stack.stackName}`);
    } catch (error) {
      if (errorName(error) === 'TemplateError') return undefined;
      throw error;
    }
  });
}

/** The rows of one stack's ListStackResources (paginated). */
export function stackResources(
  { clients, memo }: Pick<LookupContext, 'clients' | 'memo'>,
  stackName: string,
): Promise<StackResourceSummary[]> {
  return memo(`stack-resources:${stackName}`, async () => {
    const summaries: StackResourceSummary[] = [];
    for await (const page of paginateListStackResources(
      { client: clients.cloudFormation },
      { StackName: stackName },
    )) {
      summaries.push(...(page.StackResourceSummaries ?? []));
    }
    return summaries;
  });
}

/** The stack's parameter values (DescribeStacks), read once per work item. */
export function stackParameters({ stack, memo, clients }: LookupContext): Promise<Record<string, string>> {
  return memo(`stack-parameters:${stack.stackName}`, async () => {
    const { Stacks = [] } = await clients.cloudFormation.send(
      new DescribeStacksCommand({ StackName: stack.stackName }),
    );
    return Object.fromEntries(
      (Stacks[0]?.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']),
    );
  });
}

/**
 * A property of the context's resource as declared in the template: a literal, or a Ref resolved to
 * another resource's physical id or to a parameter's value; undefined when the template does not say.
 */
export async function declaredReference(
  context: LookupContext & Pick<CheckContext<unknown>, 'resource'>,
  property: string,
): Promise<string | undefined> {
  const declared = (await stackTemplate(context))?.Resources[context.resource.logicalId];
  if (declared?.Type !== context.resource.type) return undefined;
  const value = declared.Properties?.[property];
  if (typeof value === 'string') return value;
  const logicalId = refTarget(value);
  if (!logicalId) return undefined;
  const template = await stackTemplate(context);
  if (template?.Parameters?.[logicalId] !== undefined)
    return (await stackParameters(context))[logicalId] || undefined;
  const rows = await stackResources(context, context.stack.stackName);
  return rows.find((row) => row.LogicalResourceId === logicalId)?.PhysicalResourceId || undefined;
}
