/**
 * The Distributed Map, run locally. aws-local-stepfunctions runs inline Map states only (it ignores
 * ItemReader, ResultWriter and the DISTRIBUTED mode), so the runner swaps each Distributed Map for a
 * task whose local handler does what the Map Run does, with the same handlers:
 *
 * - ItemReader: reads the JSON array of items from S3 (`arn:aws:states:::s3:getObject`, InputType JSON);
 * - ItemSelector: evaluated by aws-local-stepfunctions itself, with `$` the Map's input and
 *   `$$.Map.Item.Value` each item;
 * - one child execution per item: the ItemProcessor run as an execution of its own (its own events,
 *   history and state-size limit), at most MaxConcurrency at a time;
 * - ToleratedFailureCount / Percentage (default 0): past them the Map fails with
 *   States.ExceedToleratedFailureThreshold;
 * - ResultWriter: `<Prefix>/<map run id>/manifest.json` and SUCCEEDED_0.json / FAILED_0.json in S3, in the
 *   format Step Functions writes, and the Map's result `{ MapRunArn, ResultWriterDetails }`
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html).
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StateMachine } from 'aws-local-stepfunctions';
import pLimit from 'p-limit';
import type { AslDefinition, AslState } from '../../statemachine/definition.ts';
import { TaskError } from './execution-monitor.ts';

/** The resource of the task that stands for a Distributed Map in the local definition. */
export const LOCAL_MAP_RUN_RESOURCE = 'arn:aws:states:::fitgate-local:mapRun';

interface DistributedMapState {
  readonly ItemReader?: { readonly Parameters?: AslState };
  readonly ItemSelector?: AslState;
  readonly ItemProcessor: { readonly StartAt: string; readonly States: Record<string, AslState> };
  readonly ResultWriter?: { readonly Parameters?: AslState };
  readonly MaxConcurrency?: number;
  readonly MaxConcurrencyPath?: string;
  readonly ToleratedFailureCount?: number;
  readonly ToleratedFailurePercentage?: number;
}

export interface LocalDistributedMap {
  readonly name: string;
  readonly itemSelector: AslState | undefined;
  readonly processor: AslDefinition;
  readonly toleratedFailureCount: number;
  readonly toleratedFailurePercentage: number;
}

function isDistributed(state: AslState): boolean {
  const processor = state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined;
  return state.Type === 'Map' && processor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

/**
 * The definition aws-local-stepfunctions can run: each top-level Distributed Map replaced by a task
 * of the same name, Catch, ResultPath and transitions, whose input carries what the Map Run needs.
 */
export function withLocalMapRuns(
  definition: AslDefinition,
  executionTimeoutSeconds: number,
): { definition: AslDefinition; maps: Map<string, LocalDistributedMap> } {
  const maps = new Map<string, LocalDistributedMap>();
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (!isDistributed(state)) {
      states[name] = state;
      continue;
    }
    const map = state as unknown as DistributedMapState & AslState;
    const { StartAt, States } = map.ItemProcessor;
    maps.set(name, {
      name,
      itemSelector: map.ItemSelector,
      processor: { StartAt, States },
      toleratedFailureCount: map.ToleratedFailureCount ?? 0,
      toleratedFailurePercentage: map.ToleratedFailurePercentage ?? 0,
    });
    const {
      ItemReader: _reader,
      ItemSelector: _selector,
      ItemProcessor: _processor,
      ResultWriter: _writer,
      ItemsPath: _itemsPath,
      MaxConcurrency: _maxConcurrency,
      MaxConcurrencyPath: _maxConcurrencyPath,
      ToleratedFailureCount: _count,
      ToleratedFailurePercentage: _percentage,
      Label: _label,
      Type: _type,
      ...flow
    } = map as Record<string, unknown>;
    states[name] = {
      ...flow,
      Type: 'Task',
      Resource: LOCAL_MAP_RUN_RESOURCE,
      Parameters: {
        'input.$': '$',
        reader: map.ItemReader?.Parameters ?? {},
        writer: map.ResultWriter?.Parameters ?? {},
        ...(map.MaxConcurrencyPath
          ? { 'maxConcurrency.$': map.MaxConcurrencyPath }
          : { maxConcurrency: map.MaxConcurrency ?? 0 }),
      },
      // The Map Run lasts as long as its children; the execution's own timeout bounds it.
      TimeoutSeconds: executionTimeoutSeconds,
    };
  }
  return { definition: { ...definition, States: states }, maps };
}

/** One child execution's record, as ResultWriter writes it. */
export interface ChildExecutionRecord {
  readonly ExecutionArn: string;
  readonly Input: string;
  readonly InputDetails: { readonly Included: true };
  readonly Name: string;
  readonly Output?: string;
  readonly OutputDetails?: { readonly Included: true };
  readonly Error?: string;
  readonly Cause?: string;
  readonly StartDate: string;
  readonly StateMachineArn: string;
  readonly Status: 'SUCCEEDED' | 'FAILED';
  readonly StopDate: string;
}

export interface ChildOutcome {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  readonly error?: { readonly Error: string; readonly Cause: string };
}

export interface MapRunInput {
  readonly input: Record<string, unknown>;
  readonly reader: { readonly Bucket?: string; readonly Key?: string };
  readonly writer: { readonly Bucket?: string; readonly Prefix?: string };
  readonly maxConcurrency: number;
}

/** Evaluates the ItemSelector for every item with the engine itself (an inline Map of Pass states). */
async function selectItems(
  itemSelector: AslState | undefined,
  input: Record<string, unknown>,
  items: readonly unknown[],
): Promise<unknown[]> {
  if (!itemSelector) return [...items];
  const ITEMS = '__fitgateLocalItems';
  const selector = new StateMachine(
    {
      StartAt: 'Select',
      States: {
        Select: {
          Type: 'Map',
          ItemsPath: `$.${ITEMS}`,
          ItemSelector: itemSelector,
          ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    } as never,
    { validationOptions: { noValidate: true } },
  );
  return (await selector.run({ ...input, [ITEMS]: items } as never).result) as unknown[];
}

async function readItems(s3: S3Client, reader: MapRunInput['reader']): Promise<unknown[]> {
  if (!reader.Bucket || !reader.Key)
    throw new TaskError('States.ItemReaderFailed', 'ItemReader needs Bucket and Key');
  let text: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: reader.Bucket, Key: reader.Key }));
    text = (await object.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    throw new TaskError('States.ItemReaderFailed', `s3://${reader.Bucket}/${reader.Key}: ${String(error)}`);
  }
  const items = JSON.parse(text) as unknown;
  if (!Array.isArray(items)) {
    throw new TaskError('States.ItemReaderFailed', `s3://${reader.Bucket}/${reader.Key} is not a JSON array`);
  }
  return items;
}

async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<number> {
  const body = JSON.stringify(value);
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
  );
  return Buffer.byteLength(body, 'utf8');
}

/** Runs a Map Run: reads the items, runs one child execution each, writes the results. */
export async function runMapRun(
  map: LocalDistributedMap,
  run: MapRunInput,
  context: {
    readonly s3: S3Client;
    readonly executionArn: string;
    readonly stateMachineArn: string;
    readonly runChild: (input: unknown, name: string) => Promise<ChildOutcome>;
  },
): Promise<unknown> {
  const items = await readItems(context.s3, run.reader);
  const inputs = await selectItems(map.itemSelector, run.input, items);
  const mapRunId = randomUUID();
  const mapRunArn = `${context.stateMachineArn.replace(':stateMachine:', ':mapRun:')}/${map.name}:${mapRunId}`;
  const limit = pLimit(run.maxConcurrency > 0 ? run.maxConcurrency : Number.POSITIVE_INFINITY);
  const records = await Promise.all(
    inputs.map((input, index) =>
      limit(async (): Promise<ChildExecutionRecord> => {
        const name = `${mapRunId.slice(0, 8)}-${index}`;
        const startDate = new Date().toISOString();
        const outcome = await context.runChild(input, name);
        return {
          ExecutionArn: `${context.executionArn.replace(':execution:', ':execution:')}/${map.name}:${name}`,
          Input: JSON.stringify(input),
          InputDetails: { Included: true },
          Name: name,
          ...(outcome.status === 'SUCCEEDED'
            ? { Output: JSON.stringify(outcome.output ?? null), OutputDetails: { Included: true } }
            : { Error: outcome.error?.Error, Cause: outcome.error?.Cause }),
          StartDate: startDate,
          StateMachineArn: mapRunArn,
          Status: outcome.status,
          StopDate: new Date().toISOString(),
        };
      }),
    ),
  );
  const succeeded = records.filter((record) => record.Status === 'SUCCEEDED');
  const failed = records.filter((record) => record.Status === 'FAILED');
  let resultWriterDetails: { Bucket: string; Key: string } | undefined;
  if (run.writer.Bucket) {
    const prefix = run.writer.Prefix ? `${run.writer.Prefix.replace(/\/$/, '')}/` : '';
    const files = {
      FAILED: [] as { Key: string; Size: number }[],
      PENDING: [],
      SUCCEEDED: [] as { Key: string; Size: number }[],
    };
    for (const [status, group] of [
      ['SUCCEEDED', succeeded],
      ['FAILED', failed],
    ] as const) {
      if (group.length === 0) continue;
      const key = `${prefix}${mapRunId}/${status}_0.json`;
      files[status].push({ Key: key, Size: await putJson(context.s3, run.writer.Bucket, key, group) });
    }
    const manifestKey = `${prefix}${mapRunId}/manifest.json`;
    await putJson(context.s3, run.writer.Bucket, manifestKey, {
      DestinationBucket: run.writer.Bucket,
      MapRunArn: mapRunArn,
      ResultFiles: files,
    });
    resultWriterDetails = { Bucket: run.writer.Bucket, Key: manifestKey };
  }
  const tolerated = Math.max(
    map.toleratedFailureCount,
    Math.floor((map.toleratedFailurePercentage / 100) * records.length),
  );
  if (failed.length > tolerated) {
    throw new TaskError(
      'States.ExceedToleratedFailureThreshold',
      `The specified tolerated failure threshold was exceeded: ${failed.length} of ${records.length} child executions failed (first: ${failed[0]?.Error ?? ''})`,
    );
  }
  return resultWriterDetails
    ? { MapRunArn: mapRunArn, ResultWriterDetails: resultWriterDetails }
    : records.map((record) => (record.Output ? JSON.parse(record.Output) : null));
}
