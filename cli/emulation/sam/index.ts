/**
 * SAM templates in the emulator: what CloudFormation does with `Transform: AWS::Serverless-2016-10-31`
 * before it creates anything, done locally. Local artifacts are staged into the emulator's S3 as
 * `sam package` stages them (package.ts), then AWS's own SAM translator expands the template
 * (translator.ts) with the emulator's account, region and partition as pseudo parameters. What
 * comes out is a plain CloudFormation template: the deploy helper creates it like any other, and
 * reports what moto cannot create in `skipped`.
 *
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/transform-aws-serverless.html
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../../functions/shared/clients.ts';
import { ensureBucket } from '../staging.ts';
import type { CfnTemplate } from '../template.ts';
import { packageLocalArtifacts, type StagedArtifact } from './package.ts';
import { SamTransformError, translateSam } from './translator.ts';

export type { StagedArtifact } from './package.ts';
export { SamTransformError, samTranslatorVersion } from './translator.ts';

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** The transforms a template declares (Transform is a name or a list of names). */
export function transformsOf(template: CfnTemplate): string[] {
  const declared = template.Transform;
  if (declared === undefined) return [];
  return (Array.isArray(declared) ? declared : [declared]).map(String);
}

export function isSamTemplate(template: CfnTemplate): boolean {
  return transformsOf(template).includes(SAM_TRANSFORM);
}

export interface SamContext {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  /** Stack parameter values; the translator fills in the template's defaults. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The folder local artifact paths are relative to (the template file's). */
  readonly baseDir: string;
}

export interface SamTransformResult {
  readonly template: CfnTemplate;
  readonly translatorVersion: string;
  readonly staged: readonly StagedArtifact[];
}

/** The partition of a region, as CloudFormation's AWS::Partition answers it. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/** Where staged artifacts go: one bucket per account and region, like `sam deploy`'s managed bucket. */
export function stagingBucketName(accountId: string, region: string): string {
  return `fitgate-sam-artifacts-${accountId}-${region}`;
}

function containsKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((item) => containsKey(item, key));
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([name, item]) => name === key || containsKey(item, key));
}

/** The processed template of a SAM template, its local artifacts staged into the emulator's S3. */
export async function transformSamTemplate(
  template: CfnTemplate,
  context: SamContext,
): Promise<SamTransformResult> {
  const others = transformsOf(template).filter((name) => name !== SAM_TRANSFORM);
  if (others.length > 0) {
    throw new SamTransformError(
      `the emulator runs only the ${SAM_TRANSFORM} transform; the template also declares ${others.join(', ')}`,
    );
  }
  if (containsKey(template, 'Fn::Transform')) {
    throw new SamTransformError(
      'Fn::Transform (AWS::Include or a macro) cannot run in the emulator; inline the snippet it includes',
    );
  }
  const bucket = stagingBucketName(context.accountId, context.region);
  let s3: S3Client | undefined;
  const { template: packaged, staged } = await packageLocalArtifacts(template, {
    baseDir: context.baseDir,
    bucket,
    prefix: context.stackName,
    upload: async (key, body) => {
      if (!s3) {
        s3 = createS3Client(context.region);
        await ensureBucket(s3, bucket, context.region);
      }
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
  });
  const { template: processed, version } = await translateSam({
    template: packaged,
    parameters: context.parameters,
    region: context.region,
    accountId: context.accountId,
    partition: partitionOf(context.region),
  });
  return { template: processed, translatorVersion: version, staged };
}

/** The deploy helper's SAM step: the expanded template of a SAM template, undefined for any other. */
export async function expandSam(
  template: CfnTemplate,
  context: SamContext,
): Promise<SamTransformResult | undefined> {
  return isSamTemplate(template) ? transformSamTemplate(template, context) : undefined;
}
