/**
 * The contract between the gate and a user's check function, as zod schemas: what the function
 * receives (the work item and what every check needs: CustomCheckInput) and what it must answer (a
 * check result: CheckAnswer). docs/schemas/*.schema.json are generated from these
 * (`npm run docs:schemas`; a unit test fails when they are stale), so a function in any runtime can
 * validate against them.
 */
import {
  literal,
  looseObject,
  object,
  record,
  string,
  toJSONSchema,
  union,
  unknown,
  enum as zodEnum,
} from 'zod';
import type { CustomCheckInput } from '../../../statemachine/state.ts';
import { TRIGGERS } from '../../../statemachine/state.ts';
import { paramValueSchema } from '../user-defined.ts';

const resourceSchema = object({
  logicalId: string().describe('The logical id, prefixed by its nested stacks (Child/Bucket)'),
  physicalId: string().describe('The physical id (a name or an ARN, as ListStackResources gives it)'),
  type: string().describe('The CloudFormation type; AWS::CloudFormation::Stack for a stack-wide check'),
  samResourceId: string().optional().describe('The SAM resource it was generated from'),
});

/** What a check function receives: one work item (one check on one resource) and its context. */
export const customCheckInputSchema = object({
  checkId: string().describe('The check this invocation answers for (the id it was registered with)'),
  workItem: object({
    family: string().describe("The check's id: a user-defined check function is a family of its own"),
    resource: resourceSchema,
  }),
  stack: object({
    stackName: string(),
    stackId: string(),
    accountId: string(),
    region: string(),
    releaseId: string().optional(),
  }),
  trigger: zodEnum(TRIGGERS),
  deployment: union([
    object({ deploymentId: string(), hookExecutionId: string().optional() }),
    literal(null),
  ]).describe('The CodeDeploy deployment being gated; null for an ad-hoc or predict run'),
  params: record(string(), paramValueSchema).describe('The params of the check declaration'),
}).meta({
  title: 'fitgate check function input',
  description: 'What the gate invokes a user-defined check function with (docs/fitness-functions.md).',
});

export const CHECK_ANSWER_STATUSES = ['PASS', 'FAIL', 'NOT_APPLICABLE', 'ERROR'] as const;
export const MAX_ANSWER_MESSAGE = 1000;
export const MAX_ANSWER_EVIDENCE_BYTES = 8 * 1024;

/** What a check function answers: one check result. Other keys are ignored. */
export const checkAnswerSchema = looseObject({
  status: zodEnum(CHECK_ANSWER_STATUSES).describe('The verdict; ERROR when the function could not decide'),
  message: string()
    .min(1)
    .describe(`One line a person reads in the report (longer than ${MAX_ANSWER_MESSAGE} characters is cut)`),
  evidence: record(string(), unknown())
    .optional()
    .describe(`Facts behind the verdict, never secrets; at most ${MAX_ANSWER_EVIDENCE_BYTES} bytes of JSON`),
}).meta({
  title: 'fitgate check function answer',
  description:
    'What a user-defined check function returns: the check-result contract (docs/fitness-functions.md).',
});

/** The JSON Schemas of docs/schemas/, by file name. */
export function contractJsonSchemas(): Record<string, Record<string, unknown>> {
  return {
    'check-function-input.schema.json': toJSONSchema(customCheckInputSchema, { io: 'output' }),
    'check-function-answer.schema.json': toJSONSchema(checkAnswerSchema, { io: 'input' }),
  };
}

/** The files' text, two-space JSON as Biome formats it. */
export function contractSchemaFiles(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(contractJsonSchemas()).map(([file, schema]) => [
      file,
      `${JSON.stringify(schema, null, 2)}\n`,
    ]),
  );
}

/** The TypeScript contract as the schema's type: a compile error when the two drift apart. */
export function asContract(input: CustomCheckInput): ReturnType<typeof customCheckInputSchema.parse> {
  return input;
}
