/**
 * A state machine's definition as CloudFormation builds it, for moto, whose CloudFormation reads
 * DefinitionString only (a Definition object, a DefinitionS3Location and DefinitionSubstitutions
 * leave the state machine with an empty definition). Each state machine is sent with one
 * DefinitionString: the object as JSON, or the S3 object (JSON or YAML) read from the emulator's S3,
 * its `${key}` placeholders replaced by the substitutions' values (CloudFormation resolves those
 * values at deploy time, so the string becomes an Fn::Join of the literal parts and the values;
 * moto's Fn::Sub would also rewrite the definition's own `$$.` paths).
 *
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parse as parseYaml } from 'yaml';
import { errorMessage } from '../../../functions/shared/errors.ts';
import type { CfnTemplate } from '../template.ts';
import { isRecord, text } from './values.ts';

const STATE_MACHINE = 'AWS::StepFunctions::StateMachine';
const PLACEHOLDER = /\$\{([^}]+)\}/g;

/** The definition text split around its `${key}` placeholders, joined with the substitutions' values. */
export function substituteDefinition(definition: string, substitutions: Record<string, unknown>): unknown {
  const parts: unknown[] = [];
  let last = 0;
  for (const match of definition.matchAll(PLACEHOLDER)) {
    const key = match[1] as string;
    if (!(key in substitutions)) continue;
    parts.push(definition.slice(last, match.index));
    const value = substitutions[key];
    parts.push(typeof value === 'object' && value !== null ? value : String(value));
    last = (match.index ?? 0) + match[0].length;
  }
  if (parts.length === 0) return definition;
  parts.push(definition.slice(last));
  return { 'Fn::Join': ['', parts.filter((part) => part !== '')] };
}

async function readDefinition(s3: S3Client, location: Record<string, unknown>): Promise<string> {
  const object = await s3.send(
    new GetObjectCommand({
      Bucket: text(location.Bucket),
      Key: text(location.Key),
      VersionId: text(location.Version),
    }),
  );
  const body = (await object.Body?.transformToString()) ?? '';
  // Step Functions takes JSON; an S3 definition may be YAML.
  return JSON.stringify(parseYaml(body));
}

/** A copy of the template whose state machines carry their definitions as DefinitionString. */
export async function withInlineDefinitions(template: CfnTemplate, s3: S3Client): Promise<CfnTemplate> {
  if (!Object.values(template.Resources).some((resource) => resource.Type === STATE_MACHINE)) return template;
  const inlined = structuredClone(template) as CfnTemplate;
  for (const [logicalId, resource] of Object.entries(inlined.Resources)) {
    const properties = resource.Properties;
    if (resource.Type !== STATE_MACHINE || !properties) continue;
    let definition = properties.DefinitionString;
    if (isRecord(properties.Definition)) definition = JSON.stringify(properties.Definition);
    if (definition === undefined && isRecord(properties.DefinitionS3Location)) {
      try {
        definition = await readDefinition(s3, properties.DefinitionS3Location);
      } catch (error) {
        throw new Error(
          `${logicalId}: DefinitionS3Location s3://${text(properties.DefinitionS3Location.Bucket)}/${text(properties.DefinitionS3Location.Key)} cannot be read: ${errorMessage(error)}`,
          { cause: error },
        );
      }
    }
    if (typeof definition !== 'string') continue;
    if (isRecord(properties.DefinitionSubstitutions)) {
      properties.DefinitionString = substituteDefinition(definition, properties.DefinitionSubstitutions);
      delete properties.DefinitionSubstitutions;
    } else {
      properties.DefinitionString = definition;
    }
    delete properties.Definition;
    delete properties.DefinitionS3Location;
  }
  return inlined;
}
