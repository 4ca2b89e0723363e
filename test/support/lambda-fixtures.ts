/**
 * Lambda functions in moto for the check tests, created through the API (moto runs no code, so a
 * tiny in-memory package is enough). moto refuses a function whose role does not exist in IAM.
 */
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  type CreateFunctionCommandInput,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { nodeHandlerZip } from './lambda-zip.ts';

export const EXECUTION_ROLE_NAME = 'fitgate-test-function-role';

const LAMBDA_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** The ARN of a role Lambda can assume, created on first use (moto starts each test file empty). */
export async function executionRoleArn(iam = new IAMClient({})): Promise<string> {
  try {
    const existing = await iam.send(new GetRoleCommand({ RoleName: EXECUTION_ROLE_NAME }));
    if (existing.Role?.Arn) return existing.Role.Arn;
  } catch (error) {
    if ((error as Error).name !== 'NoSuchEntity' && (error as Error).name !== 'NoSuchEntityException')
      throw error;
  }
  const created = await iam.send(
    new CreateRoleCommand({ RoleName: EXECUTION_ROLE_NAME, AssumeRolePolicyDocument: LAMBDA_TRUST_POLICY }),
  );
  if (!created.Role?.Arn) throw new Error('CreateRole returned no role ARN');
  return created.Role.Arn;
}

/** A nodejs22.x zip function named `functionName`; `overrides` set any other CreateFunction field. */
export async function createTestFunction(
  lambda: LambdaClient,
  functionName: string,
  overrides: Partial<CreateFunctionCommandInput> = {},
): Promise<FunctionConfiguration> {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName: functionName,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: await executionRoleArn(),
      Code: { ZipFile: nodeHandlerZip() },
      ...overrides,
    }),
  );
}

export const functionResource = (functionName: string) => ({
  logicalId: 'Function',
  physicalId: functionName,
  type: 'AWS::Lambda::Function',
});
