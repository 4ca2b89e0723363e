import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackDriftDetectionStatusCommand,
  type DescribeStackDriftDetectionStatusCommandOutput,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createStackClients } from '../../../functions/checks/stack/clients.ts';
import { rules } from '../../../functions/checks/stack/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { stackResource } from '../../support/deployments.ts';
import { accessDenied } from '../../support/service-errors.ts';

const CHECK = 'cloudformation-stack-drift-detection-check';
const clients = createStackClients();
const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/svc/1';

describe(`${CHECK} (moto)`, () => {
  it('is an ERROR that says the emulator lacks drift detection (moto answers HTTP 500)', async () => {
    const { StackId } = await clients.cloudFormation.send(
      new CreateStackCommand({
        StackName: 'drift-stack',
        TemplateBody: JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } }),
      }),
    );

    const result = await runCheck(CHECK, rules, clients, stackResource(String(StackId)));

    expect(result.status).toBe('ERROR');
    expect(result.message).toMatch(/^the emulator does not implement a call this check needs/);
  });
});

describe(`${CHECK} (SDK mock: moto has no DetectStackDrift)`, () => {
  const cloudFormation = new CloudFormationClient({});
  const mock = mockClient(cloudFormation);
  afterEach(() => mock.reset());

  const status = (
    fields: Partial<DescribeStackDriftDetectionStatusCommandOutput>,
  ): DescribeStackDriftDetectionStatusCommandOutput => ({
    StackId: STACK,
    StackDriftDetectionId: 'drift-1',
    DetectionStatus: 'DETECTION_COMPLETE',
    Timestamp: new Date(),
    $metadata: {},
    ...fields,
  });

  function detection(...answers: DescribeStackDriftDetectionStatusCommandOutput[]) {
    mock.on(DetectStackDriftCommand, { StackName: STACK }).resolves({ StackDriftDetectionId: 'drift-1' });
    const describe = mock.on(DescribeStackDriftDetectionStatusCommand, { StackDriftDetectionId: 'drift-1' });
    for (const answer of answers) describe.resolvesOnce(answer);
  }

  const run = (params = {}) =>
    runCheck(CHECK, rules, { ...clients, cloudFormation }, stackResource(STACK), { params });

  it('passes a stack IN_SYNC with its template', async () => {
    detection(status({ StackDriftStatus: 'IN_SYNC', DriftedStackResourceCount: 0 }));

    const result = await run();

    expect(result).toMatchObject({ status: 'PASS', message: 'the stack matches its template (IN_SYNC)' });
  });

  it('fails a DRIFTED stack with the count of drifted resources', async () => {
    detection(status({ StackDriftStatus: 'DRIFTED', DriftedStackResourceCount: 3 }));

    const result = await run();

    expect(result).toMatchObject({
      status: 'FAIL',
      message: '3 resource(s) drifted from the template',
      evidence: { driftedStackResourceCount: 3 },
    });
  });

  it('waits while detection is in progress, then decides', async () => {
    detection(status({ DetectionStatus: 'DETECTION_IN_PROGRESS' }), status({ StackDriftStatus: 'IN_SYNC' }));

    const result = await run({ maxWaitSeconds: 10 });

    expect(result.status).toBe('PASS');
    expect(mock.commandCalls(DescribeStackDriftDetectionStatusCommand)).toHaveLength(2);
  });

  it('is an ERROR when detection is still running at maxWaitSeconds', async () => {
    detection(status({ DetectionStatus: 'DETECTION_IN_PROGRESS' }));

    const result = await run({ maxWaitSeconds: 0 });

    expect(result).toMatchObject({
      status: 'ERROR',
      message: 'drift detection drift-1 was still in progress after 0 s',
    });
  });

  it('is an ERROR when detection fails, with its reason', async () => {
    detection(
      status({
        DetectionStatus: 'DETECTION_FAILED',
        DetectionStatusReason: 'Failed to detect drift on resource [Fn]: not authorized',
        StackDriftStatus: 'DRIFTED',
      }),
    );

    const result = await run();

    expect(result).toMatchObject({
      status: 'ERROR',
      message: 'drift detection failed: Failed to detect drift on resource [Fn]: not authorized',
    });
  });

  it('is an ERROR when the drift status is UNKNOWN', async () => {
    detection(status({ StackDriftStatus: 'UNKNOWN' }));

    const result = await run();

    expect(result).toMatchObject({ status: 'ERROR', message: 'drift status is UNKNOWN' });
  });

  it('is an ERROR that names the missing permission', async () => {
    mock.onAnyCommand().rejects(accessDenied());

    const result = await run();

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('cloudformation:DetectStackDrift');
  });
});
