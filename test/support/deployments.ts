/**
 * A CodeDeploy Lambda deployment for the deployment checks: registered with the loopback CodeDeploy
 * stand-in (moto has no CodeDeploy deployments), plus the AWS/Lambda metrics of its versions put into
 * moto, and the answers of a mocked Invoke (moto runs no Lambda code).
 */
import { type CloudWatchClient, type Dimension, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { InvokeCommandOutput } from '@aws-sdk/client-lambda';
import type { CodeDeployStandIn } from '../../cli/emulation/codedeploy-standin.ts';
import { STACK_RESOURCE_TYPE } from '../../functions/checks/types.ts';
import { TEST_STACK } from './check-harness.ts';

export const stackResource = (stackId: string = TEST_STACK.stackId) => ({
  logicalId: TEST_STACK.stackName,
  physicalId: stackId,
  type: STACK_RESOURCE_TYPE,
});

export interface RegisteredDeployment {
  readonly deploymentId: string;
  readonly functionName: string;
}

let registered = 0;

/** Registers a deployment shifting `functionName`'s alias `live` from version 1 to version 2 (created now by default). */
export function registerDeployment(
  standIn: CodeDeployStandIn,
  functionName: string,
  versions: { currentVersion?: string; targetVersion?: string; createTime?: Date } = {},
): RegisteredDeployment {
  registered += 1;
  const deploymentId = `d-CHECKS${String(registered).padStart(4, '0')}`;
  standIn.addDeployment({
    deploymentId,
    applicationName: `${functionName}-app`,
    deploymentGroupName: `${functionName}-group`,
    appSpec: {
      functionName,
      alias: 'live',
      currentVersion: versions.currentVersion ?? '1',
      targetVersion: versions.targetVersion ?? '2',
    },
    hookExecutionIds: [`hook-${registered}`],
    ...(versions.createTime ? { createTime: versions.createTime } : {}),
  });
  return { deploymentId, functionName };
}

export function versionDimensions(functionName: string, version: string, alias = 'live'): Dimension[] {
  return [
    { Name: 'FunctionName', Value: functionName },
    { Name: 'Resource', Value: `${functionName}:${alias}` },
    { Name: 'ExecutedVersion', Value: version },
  ];
}

export function aliasDimensions(functionName: string, alias = 'live'): Dimension[] {
  return [
    { Name: 'FunctionName', Value: functionName },
    { Name: 'Resource', Value: `${functionName}:${alias}` },
  ];
}

/** Puts one datapoint (`minutesAgo` minutes back) of an AWS/Lambda metric. */
export async function putLambdaMetric(
  cloudWatch: CloudWatchClient,
  metricName: string,
  dimensions: Dimension[],
  value: number,
  minutesAgo = 2,
) {
  await cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/Lambda',
      MetricData: [
        {
          MetricName: metricName,
          Dimensions: dimensions,
          Value: value,
          Unit: metricName === 'Duration' ? 'Milliseconds' : 'Count',
          Timestamp: new Date(Date.now() - minutesAgo * 60_000),
        },
      ],
    }),
  );
}

/** What a mocked Lambda Invoke answers. */
export function invokeAnswer(
  payload: unknown,
  extra: Partial<InvokeCommandOutput> = {},
): Partial<InvokeCommandOutput> {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return {
    StatusCode: 200,
    ExecutedVersion: '2',
    Payload: new TextEncoder().encode(text) as InvokeCommandOutput['Payload'],
    ...extra,
  };
}
