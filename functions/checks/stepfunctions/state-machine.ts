import { DescribeStateMachineCommand, type DescribeStateMachineCommandOutput } from '@aws-sdk/client-sfn';
import type { CheckContext } from '../types.ts';
import type { StepFunctionsClients } from './clients.ts';

/**
 * One DescribeStateMachine per work item for the configuration checks. METADATA_ONLY leaves out the
 * definition, so a machine encrypted with a customer managed key needs no kms:Decrypt for them.
 */
export function describeStateMachineMetadata({
  resource,
  clients,
  memo,
}: CheckContext<StepFunctionsClients>): Promise<DescribeStateMachineCommandOutput> {
  return memo(`state-machine:metadata:${resource.physicalId}`, () =>
    clients.sfn.send(
      new DescribeStateMachineCommand({
        stateMachineArn: resource.physicalId,
        includedData: 'METADATA_ONLY',
      }),
    ),
  );
}
