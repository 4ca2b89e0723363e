/** State machines for the Step Functions checks; moto's CloudFormation keeps only name, definition and role. */
import {
  CreateStateMachineCommand,
  type CreateStateMachineCommandInput,
  type SFNClient,
} from '@aws-sdk/client-sfn';

export const PASS_DEFINITION = JSON.stringify({
  Comment: 'Charge the order',
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:charge',
        'Payload.$': '$',
        'TaskToken.$': '$$.Task.Token',
      },
      End: true,
    },
  },
});

export const stateMachineResource = (arn: string) => ({
  logicalId: 'OrderFlow',
  physicalId: arn,
  type: 'AWS::StepFunctions::StateMachine',
});

export async function createStateMachine(
  sfn: SFNClient,
  name: string,
  settings: Partial<CreateStateMachineCommandInput> = {},
): Promise<string> {
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({
      name,
      definition: PASS_DEFINITION,
      roleArn: 'arn:aws:iam::123456789012:role/order-flow',
      ...settings,
    }),
  );
  return String(stateMachineArn);
}
