/**
 * A role's policy set: inline policies (ListRolePolicies → GetRolePolicy, where CDK's AWS::IAM::Policy
 * lands) and attached managed policies (ListAttachedRolePolicies → GetPolicy → GetPolicyVersion).
 * Permission boundaries only limit, so they are not read. Each call is shared by the checks of one item.
 */
import {
  type AttachedPolicy,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from '@aws-sdk/client-iam';
import { type PolicyDocument, type PolicyStatement, parsePolicy } from '../evaluators/policy.ts';
import type { CheckContext } from '../types.ts';
import type { IamClients } from './clients.ts';

export interface RolePolicy {
  readonly name: string;
  readonly kind: 'inline' | 'aws-managed' | 'customer-managed';
  readonly arn?: string;
  readonly document: PolicyDocument;
}

/** A statement of a role policy, named for evidence (`policy#Sid` or `policy#index`). */
export interface NamedStatement {
  readonly where: string;
  readonly statement: PolicyStatement;
}

type IamContext = CheckContext<IamClients>;

const AWS_MANAGED_ARN = /^arn:aws[a-z-]*:iam::aws:policy\//;

export function isAwsManaged(policyArn: string): boolean {
  return AWS_MANAGED_ARN.test(policyArn);
}

export function attachedPolicies({ resource, clients, memo }: IamContext): Promise<AttachedPolicy[]> {
  return memo(`attached-policies:${resource.physicalId}`, async () => {
    const attached: AttachedPolicy[] = [];
    for await (const page of paginateListAttachedRolePolicies(
      { client: clients.iam },
      { RoleName: resource.physicalId },
    )) {
      attached.push(...(page.AttachedPolicies ?? []));
    }
    return attached;
  });
}

export function inlinePolicies({ resource, clients, memo }: IamContext): Promise<RolePolicy[]> {
  return memo(`inline-policies:${resource.physicalId}`, async () => {
    const names: string[] = [];
    for await (const page of paginateListRolePolicies(
      { client: clients.iam },
      { RoleName: resource.physicalId },
    )) {
      names.push(...(page.PolicyNames ?? []));
    }
    return Promise.all(
      names.map(async (name): Promise<RolePolicy> => {
        const { PolicyDocument } = await clients.iam.send(
          new GetRolePolicyCommand({ RoleName: resource.physicalId, PolicyName: name }),
        );
        return { name, kind: 'inline', document: parsePolicy(PolicyDocument ?? '{}') };
      }),
    );
  });
}

/** The default version of every attached managed policy (optionally only some of them). */
export async function managedPolicies(
  context: IamContext,
  include: (policyArn: string) => boolean = () => true,
): Promise<RolePolicy[]> {
  const { clients, memo } = context;
  const attached = (await attachedPolicies(context)).filter(
    (policy) => policy.PolicyArn && include(policy.PolicyArn),
  );
  return Promise.all(
    attached.map((policy) => {
      const arn = String(policy.PolicyArn);
      return memo(`managed-policy:${arn}`, async (): Promise<RolePolicy> => {
        const { Policy } = await clients.iam.send(new GetPolicyCommand({ PolicyArn: arn }));
        const { PolicyVersion } = await clients.iam.send(
          new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: Policy?.DefaultVersionId }),
        );
        return {
          name: policy.PolicyName ?? arn,
          kind: isAwsManaged(arn) ? 'aws-managed' : 'customer-managed',
          arn,
          document: parsePolicy(PolicyVersion?.Document ?? '{}'),
        };
      });
    }),
  );
}

/** Every Allow statement of the given policies, named for evidence. */
export function allowStatements(policies: readonly RolePolicy[]): NamedStatement[] {
  return policies.flatMap((policy) =>
    policy.document.Statement.map((statement, index) => ({
      where: `${policy.name}#${statement.Sid ?? index}`,
      statement,
    })).filter(({ statement }) => statement.Effect === 'Allow'),
  );
}
