/**
 * Coverage of a template, before anything is deployed (`fitgate checks --coverage TEMPLATE`): which
 * resources the gate would judge and by which checks, directly or through which parent, with the
 * same rules a deployed stack's coverage uses (functions/checks/coverage.ts). Resources whose
 * Condition is false with the parameters' defaults are left out; a Condition that cannot be decided
 * without a parameter value keeps its resource in, with a note.
 */
import {
  type CoverageResource,
  checksOfType,
  coverageOf,
  type JudgedResource,
  judgeResources,
} from '../functions/checks/coverage.ts';
import type { Coverage } from '../statemachine/state.ts';
import { isSamTemplate, partitionOf } from './emulation/sam/index.ts';
import { packageLocalArtifacts } from './emulation/sam/package.ts';
import { translateSam } from './emulation/sam/translator.ts';
import { type CfnTemplate, IntrinsicResolver } from './emulation/template.ts';

export interface TemplateCoverage {
  readonly resources: readonly JudgedResource[];
  /** Every entry of every set: a template has no state limit to respect. */
  readonly coverage: Coverage;
  readonly notes: readonly string[];
}

const PLACEHOLDER_STACK = {
  stackName: 'template',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/template/0',
  region: 'us-east-1',
  accountId: '123456789012',
};

/**
 * A SAM template as CloudFormation processes it on deploy: AWS's SAM translator expands it, so the
 * coverage is that of the resources the stack will hold (functions, roles, permissions, APIs), not
 * of AWS::Serverless::* types no check runs on. Local artifacts are named as `sam package` would
 * name them, never uploaded. Undefined for a template without the SAM transform.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/transform-aws-serverless.html
 */
export async function processedSamTemplate(
  template: CfnTemplate,
  baseDir: string,
  parameters: Readonly<Record<string, string>> = {},
): Promise<{ template: CfnTemplate; note: string } | undefined> {
  if (!isSamTemplate(template)) return undefined;
  const { template: packaged } = await packageLocalArtifacts(template, {
    baseDir,
    bucket: 'fitgate-coverage-placeholder',
    prefix: PLACEHOLDER_STACK.stackName,
    upload: async () => {},
  });
  const { template: processed, version } = await translateSam({
    template: packaged,
    parameters,
    region: PLACEHOLDER_STACK.region,
    accountId: PLACEHOLDER_STACK.accountId,
    partition: partitionOf(PLACEHOLDER_STACK.region),
  });
  return {
    template: processed,
    note: `a SAM template: the resources above are those AWS’s SAM translator (${version}) makes of it, as CloudFormation does on deploy`,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function templateCoverage(
  template: CfnTemplate,
  parameters: Readonly<Record<string, string>> = {},
): TemplateCoverage {
  const resolver = new IntrinsicResolver(template, { ...PLACEHOLDER_STACK, parameters });
  const notes: string[] = [];
  const undecided: string[] = [];
  let notCreated = 0;
  const resources: CoverageResource[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!isRecord(resource)) continue;
    try {
      if (!resolver.isResourceEnabled(logicalId)) {
        notCreated += 1;
        continue;
      }
    } catch {
      undecided.push(logicalId);
    }
    resources.push({
      logicalId,
      type: typeof resource.Type === 'string' ? resource.Type : undefined,
      prefix: '',
      ...(isRecord(resource.Properties) ? { properties: resource.Properties } : {}),
    });
  }
  if (notCreated > 0)
    notes.push(`${notCreated} resources left out: their Condition is false with the parameters' defaults`);
  if (undecided.length > 0)
    notes.push(`counted although their Condition needs a parameter value to decide: ${undecided.join(', ')}`);
  const transforms = [template.Transform].flat().filter((t): t is string => typeof t === 'string');
  if (transforms.length > 0)
    notes.push(
      `the template declares Transform ${transforms.join(', ')}: CloudFormation expands it on deploy, so the types above are those before expansion`,
    );
  if (resources.some((r) => r.type === 'AWS::CloudFormation::Stack'))
    notes.push("nested stacks' own templates are not read here: run this on each of them");
  const judged = judgeResources(resources, (resource) => checksOfType(resource.type));
  return { resources: judged, coverage: coverageOf(judged, Number.POSITIVE_INFINITY), notes };
}
