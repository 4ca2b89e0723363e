/**
 * No SDK client may hang: every client the Lambdas and the CLI create is bounded, and a call that
 * runs out of time fails with a TimeoutError naming the service, the operation and the endpoint.
 * Tested against real black holes on loopback.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDynamoDbClient,
  createS3Client,
  createSfnClient,
  type HttpTimeouts,
  TIMEOUTS,
} from '../../functions/shared/clients.ts';
import { PROJECT_ROOT } from '../infra/synth.ts';
import {
  type BlackHole,
  silentEndpoint,
  stallingEndpoint,
  unacceptingEndpoint,
} from '../support/black-hole.ts';

const SHORT: HttpTimeouts = { connectionMs: 300, requestMs: 600, maxAttempts: 2 };
const holes: BlackHole[] = [];
let silent: BlackHole;
let stalling: BlackHole;
let unaccepting: BlackHole;

beforeAll(async () => {
  silent = await silentEndpoint();
  stalling = await stallingEndpoint();
  unaccepting = await unacceptingEndpoint();
  holes.push(silent, stalling, unaccepting);
});

afterAll(async () => {
  await Promise.all(holes.map((hole) => hole.close()));
});

/** Points one service at an endpoint for the clients created inside `body`. */
async function withEndpoint<T>(variable: string, endpoint: string, body: () => Promise<T>): Promise<T> {
  const before = process.env[variable];
  process.env[variable] = endpoint;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env[variable];
    else process.env[variable] = before;
  }
}

async function failure(call: () => Promise<unknown>): Promise<{ error: Error; ms: number }> {
  const started = performance.now();
  try {
    await call();
  } catch (error) {
    return { error: error as Error, ms: performance.now() - started };
  }
  throw new Error('the call did not fail');
}

describe('a client pointed at a black hole', () => {
  it('gives up on a server that accepts and never answers, naming service, operation and endpoint', async () => {
    const { error, ms } = await withEndpoint('AWS_ENDPOINT_URL_S3', silent.endpoint, () =>
      failure(() => createS3Client(undefined, SHORT).send(new ListBucketsCommand({}))),
    );

    expect(error.name).toBe('TimeoutError');
    expect(error.message).toBe(
      `S3 ListBuckets: no answer within 600 ms from ${new URL(silent.endpoint).host}, 2 attempts`,
    );
    expect(ms).toBeLessThan(5_000);
  });

  it('gives up on a port that never accepts the connection', async () => {
    const { error } = await withEndpoint('AWS_ENDPOINT_URL_DYNAMODB', unaccepting.endpoint, () =>
      failure(() => createDynamoDbClient(SHORT).send(new ListTablesCommand({}))),
    );

    expect(error.name).toBe('TimeoutError');
    expect(error.message).toMatch(/^DynamoDB ListTables: no connection within 300 ms from 127\.0\.0\.1:\d+/);
  });

  it('gives up on a response whose body never ends', async () => {
    const { error } = await withEndpoint('AWS_ENDPOINT_URL_SFN', stalling.endpoint, () =>
      failure(() => createSfnClient(SHORT).send(new ListStateMachinesCommand({}))),
    );

    expect(error.name).toBe('TimeoutError');
    expect(error.message).toMatch(/^SFN ListStateMachines: no answer within 600 ms from 127\.0\.0\.1:\d+/);
  });

  it('still answers normally through the same factories (moto)', async () => {
    await expect(createDynamoDbClient().send(new ListTablesCommand({}))).resolves.toMatchObject({
      TableNames: expect.any(Array),
    });
  });
});

describe('every client the gate and the CLI create', () => {
  it('is made by functions/shared/clients.ts or with its clientConfig, never bare', () => {
    const sources = ['functions', 'cli'].flatMap((dir) =>
      readdirSync(path.join(PROJECT_ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .map((file) => path.join(dir, file)),
    );
    const bare = sources
      .filter((file) => file !== path.join('functions', 'shared', 'clients.ts'))
      .flatMap((file) =>
        readFileSync(path.join(PROJECT_ROOT, file), 'utf8')
          .split('\n')
          .filter((line) => /new [A-Za-z0-9]*Client\(/.test(line) && !line.includes('clientConfig('))
          .map((line) => `${file}: ${line.trim()}`),
      );
    expect(bare).toEqual([]);
  });

  it('has budgets that fit the functions that spend them', () => {
    const worstCall = (budget: HttpTimeouts) => (budget.maxAttempts ?? 3) * budget.requestMs;
    // A check, ListResources or Aggregate Lambda runs 100 s, inside the tasks' 120 s.
    expect(worstCall(TIMEOUTS.task)).toBeLessThan(100_000 / 2);
    expect(worstCall(TIMEOUTS.invoke)).toBeLessThan(100_000);
    // The hook (60 s): StartExecution and CreateSchedule, or StartExecution and the Failed report.
    expect(2 * worstCall(TIMEOUTS.reporter)).toBeLessThan(60_000);
    // The deadline function (60 s): DescribeExecution, StopExecution and the report.
    expect(3 * worstCall(TIMEOUTS.reporter)).toBeLessThan(60_000);
    for (const budget of Object.values(TIMEOUTS)) {
      expect(budget.connectionMs).toBeLessThanOrEqual(budget.requestMs);
    }
  });
});
