/** IAM roles with inline and attached policies, for the IAM checks. */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  type IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';

export type Statement = Record<string, unknown>;

export interface RoleFixture {
  readonly inline?: Readonly<Record<string, Statement[]>>;
  readonly customer?: Readonly<Record<string, Statement[]>>;
  readonly awsManaged?: readonly string[];
}

export const roleResource = (roleName: string) => ({
  logicalId: 'HandlerRole',
  physicalId: roleName,
  type: 'AWS::IAM::Role',
});

const document = (statements: Statement[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

export async function createRole(
  iam: IAMClient,
  roleName: string,
  fixture: RoleFixture = {},
): Promise<string> {
  await iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: document([
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]),
    }),
  );
  for (const [name, statements] of Object.entries(fixture.inline ?? {})) {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: name,
        PolicyDocument: document(statements),
      }),
    );
  }
  for (const [name, statements] of Object.entries(fixture.customer ?? {})) {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: `${roleName}-${name}`, PolicyDocument: document(statements) }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: Policy?.Arn }));
  }
  for (const name of fixture.awsManaged ?? []) {
    await iam.send(
      new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: `arn:aws:iam::aws:policy/${name}` }),
    );
  }
  return roleName;
}

export const readTable: Statement = {
  Sid: 'ReadOrders',
  Effect: 'Allow',
  Action: ['dynamodb:GetItem', 'dynamodb:Query'],
  Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',
};
