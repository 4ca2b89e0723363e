/**
 * Resources the deploy helper created through the service APIs, listed by ListStackResources locally.
 *
 * moto's CloudFormation silently skips the types it does not implement (alarms, API Gateway stages,
 * Secrets Manager secrets, HTTP APIs, global tables…): its ListStackResources then answers a blank row
 * for each. The deploy helper creates those resources through the service APIs instead, and records
 * them here, so that the local ListResources sees the stack as CloudFormation would list it on AWS and
 * a local audit audits what a cloud audit audits.
 *
 * The overlay lives in the emulation layer only. The Lambda code is the cloud's: locally its
 * CloudFormation client carries a middleware (withStackResourceOverlay) that answers
 * ListStackResources as one page, moto's rows with each recorded resource in the place of one blank
 * row. The record is kept in moto itself (one S3 object per stack), so a deploy in one process and an
 * audit in another agree, a redeployed stack (new stack id) ignores an old record, and a moto reset
 * forgets it. It is never read against a real AWS endpoint.
 */
import {
  type CloudFormationClient,
  ListStackResourcesCommand,
  type ListStackResourcesCommandOutput,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { clientConfig, TIMEOUTS, usesLocalEndpoint } from '../../functions/shared/clients.ts';
import { isAwsError } from '../../functions/shared/errors.ts';

export const OVERLAY_BUCKET = 'fitgate-emulation-stack-resources';

export interface OverlayResource {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
}

interface OverlayRecord {
  readonly stackId: string;
  readonly resources: readonly OverlayResource[];
}

const keyOf = (stackName: string) => `stacks/${stackName}.json`;

/**
 * The record lives in moto, at AWS_ENDPOINT_URL itself: an S3-only endpoint of the environment (a
 * test's hung S3, say) is no place for it.
 */
export function overlayStore(): S3Client {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  return new S3Client({ ...clientConfig(TIMEOUTS.task), endpoint, forcePathStyle: true });
}

/** `arn:aws:cloudformation:r:a:stack/<name>/<id>` or a plain name → the stack name. */
export function stackNameOf(stack: string): string {
  return /^arn:[^:]+:cloudformation:[^:]*:[^:]*:stack\/([^/]+)\//.exec(stack)?.[1] ?? stack;
}

/** Records what the deploy helper created for a stack (replacing any earlier record of that name). */
export async function recordStackResources(
  stackId: string,
  resources: readonly OverlayResource[],
  s3: S3Client = overlayStore(),
): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: OVERLAY_BUCKET }));
  } catch (error) {
    if (!isAwsError(error, 'BucketAlreadyOwnedByYou', 'BucketAlreadyExists')) throw error;
  }
  const record: OverlayRecord = { stackId, resources };
  await s3.send(
    new PutObjectCommand({
      Bucket: OVERLAY_BUCKET,
      Key: keyOf(stackNameOf(stackId)),
      Body: JSON.stringify(record),
      ContentType: 'application/json',
    }),
  );
}

/** The recorded resources of a stack (by name or id); none when nothing was recorded for this stack id. */
export async function recordedStackResources(
  stack: string,
  s3: S3Client = overlayStore(),
): Promise<OverlayResource[]> {
  let text: string;
  try {
    const { Body } = await s3.send(
      new GetObjectCommand({ Bucket: OVERLAY_BUCKET, Key: keyOf(stackNameOf(stack)) }),
    );
    text = (await Body?.transformToString()) ?? '';
  } catch (error) {
    if (isAwsError(error, 'NoSuchBucket', 'NoSuchKey', 'NotFound')) return [];
    throw error;
  }
  const record = JSON.parse(text) as OverlayRecord;
  // A stack of the same name deployed again without the helper is another stack.
  if (stack.startsWith('arn:') && record.stackId !== stack) return [];
  return [...record.resources];
}

/** moto's rows with the recorded resources: each one in the place of a blank row, none listed twice. */
export function overlayRows(
  rows: readonly StackResourceSummary[],
  recorded: readonly OverlayResource[],
): StackResourceSummary[] {
  const listed = new Set(rows.map((row) => row.LogicalResourceId).filter(Boolean));
  const added = recorded.filter((resource) => !listed.has(resource.logicalId));
  let blanksToReplace = added.length;
  const kept = rows.filter((row) => {
    const blank = !row.LogicalResourceId && !row.ResourceType;
    if (blank && blanksToReplace > 0) {
      blanksToReplace -= 1;
      return false;
    }
    return true;
  });
  const now = new Date();
  return [
    ...kept,
    ...added.map(
      (resource): StackResourceSummary => ({
        LogicalResourceId: resource.logicalId,
        PhysicalResourceId: resource.physicalId,
        ResourceType: resource.type,
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: now,
      }),
    ),
  ];
}

type Handler = (args: { input: Record<string, unknown> }) => Promise<{ output: unknown }>;

/**
 * The CloudFormation client of the local ListResources: ListStackResources answers every page at once,
 * overlaid with the recorded resources. Only on a local endpoint; against AWS the client is unchanged.
 */
export function withStackResourceOverlay(
  client: CloudFormationClient,
  s3: () => S3Client = overlayStore,
): CloudFormationClient {
  if (!usesLocalEndpoint()) return client;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { StackName?: string; NextToken?: string };
      if (context.commandName !== ListStackResourcesCommand.name || input.NextToken || !input.StackName) {
        return next(args);
      }
      const rows: StackResourceSummary[] = [];
      let first: ListStackResourcesCommandOutput | undefined;
      let token: string | undefined;
      do {
        const page = await (next as unknown as Handler)({ ...args, input: { ...input, NextToken: token } });
        const output = page.output as ListStackResourcesCommandOutput;
        first ??= output;
        rows.push(...(output.StackResourceSummaries ?? []));
        token = output.NextToken;
      } while (token);
      const recorded = await recordedStackResources(input.StackName, s3());
      return {
        output: { ...first, StackResourceSummaries: overlayRows(rows, recorded), NextToken: undefined },
        response: undefined,
      } as never;
    },
    { step: 'initialize', name: 'fitgateStackResourceOverlay', override: true },
  );
  return client;
}
