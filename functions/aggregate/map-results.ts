/**
 * The Distributed Map's outcomes, read back from what its ResultWriter wrote to S3: a manifest that
 * lists the result files, each a JSON array of child executions whose `Output` is the outcome
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { MapOutcome, MapResultsLocation, WorkItem } from '../../statemachine/state.ts';
import { InvalidInputError } from '../shared/errors.ts';

interface ResultFile {
  readonly Key: string;
}

interface Manifest {
  readonly ResultFiles?: {
    readonly SUCCEEDED?: readonly ResultFile[];
    readonly FAILED?: readonly ResultFile[];
  };
}

interface ChildExecution {
  readonly Status?: string;
  readonly Input?: string;
  readonly Output?: string;
  readonly Error?: string;
}

export function isMapResultsLocation(value: unknown): value is MapResultsLocation {
  const details = (value as MapResultsLocation | undefined)?.ResultWriterDetails;
  return typeof details?.Bucket === 'string' && typeof details.Key === 'string';
}

async function readJson<T>(s3: S3Client, bucket: string, key: string): Promise<T> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse((await object.Body?.transformToString('utf8')) ?? 'null') as T;
}

/** A child execution that failed (past the Map's tolerance it never gets here) is its item's failure. */
function failedOutcome(child: ChildExecution): MapOutcome {
  const input = JSON.parse(child.Input ?? '{}') as { workItem?: WorkItem };
  if (!input.workItem) throw new InvalidInputError('a failed child execution has no work item in its input');
  const { family, resource } = input.workItem;
  return { family, resource, error: { Error: child.Error ?? 'States.TaskFailed' } };
}

/** Every outcome the Map wrote; fewer than the plan's items means results were lost, and the gate fails closed. */
export async function readMapResults(
  s3: S3Client,
  location: MapResultsLocation,
  itemCount: number | undefined,
): Promise<MapOutcome[]> {
  const { Bucket, Key } = location.ResultWriterDetails;
  const manifest = await readJson<Manifest>(s3, Bucket, Key);
  const outcomes: MapOutcome[] = [];
  for (const file of manifest.ResultFiles?.SUCCEEDED ?? []) {
    for (const child of await readJson<ChildExecution[]>(s3, Bucket, file.Key)) {
      outcomes.push(JSON.parse(child.Output ?? 'null') as MapOutcome);
    }
  }
  for (const file of manifest.ResultFiles?.FAILED ?? []) {
    for (const child of await readJson<ChildExecution[]>(s3, Bucket, file.Key))
      outcomes.push(failedOutcome(child));
  }
  if (itemCount !== undefined && outcomes.length !== itemCount) {
    throw new InvalidInputError(
      `the Map's results in s3://${Bucket}/${Key} hold ${outcomes.length} outcomes for ${itemCount} work items`,
    );
  }
  return outcomes;
}
