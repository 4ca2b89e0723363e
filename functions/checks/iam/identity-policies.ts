/**
 * The policies of one IAM resource of the stack, each call shared by the checks of one work item:
 * - a role, user or group: its inline policies (List…Policies → Get…Policy; CDK's AWS::IAM::Policy
 *   lands here) and its attached managed policies (ListAttached…Policies → GetPolicy → GetPolicyVersion);
 * - a customer managed policy (AWS::IAM::ManagedPolicy, physical id = its ARN): its default version,
 *   attached or not, as AWS Config evaluates AWS::IAM::Policy.
 * Permission boundaries only limit, so an entity's boundary is not read. IAM returns documents
 * URL-encoded; parsePolicy decodes them and names the document in any error.
 */
import {
  type AttachedPolicy,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  type IAMClient,
  type Policy as ManagedPolicyInfo,
  paginateListAttachedGroupPolicies,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupPolicies,
  paginateListRolePolicies,
  paginateListUserPolicies,
} from '@aws-sdk/client-iam';
import { MalformedDataError } from '../evaluators/malformed.ts';
import { type Policy, parsePolicy, type Statement } from '../evaluators/policy.ts';
import type { CheckContext } from '../types.ts';
import type { IamClients } from './clients.ts';

export const IAM_ROLE = 'AWS::IAM::Role';
export const IAM_USER = 'AWS::IAM::User';
export const IAM_GROUP = 'AWS::IAM::Group';
export const IAM_MANAGED_POLICY = 'AWS::IAM::ManagedPolicy';

export type EntityKind = 'role' | 'user' | 'group';

export interface IdentityPolicy {
  readonly name: string;
  readonly kind: 'inline' | 'aws-managed' | 'customer-managed';
  readonly arn?: string;
  readonly document: Policy;
}

/** A statement of a policy, named for evidence (`policy#Sid` or `policy#index`). */
export interface NamedStatement {
  readonly where: string;
  readonly statement: Statement;
}

type IamContext = Pick<CheckContext<IamClients>, 'resource' | 'clients' | 'memo'>;

const AWS_MANAGED_ARN = /^arn:aws[a-z-]*:iam::aws:policy\//;

export function isAwsManaged(policyArn: string): boolean {
  return AWS_MANAGED_ARN.test(policyArn);
}

/** The entity kind of a resource type; undefined for a managed policy. */
export function entityKind(resourceType: string): EntityKind | undefined {
  if (resourceType === IAM_ROLE) return 'role';
  if (resourceType === IAM_USER) return 'user';
  if (resourceType === IAM_GROUP) return 'group';
  return undefined;
}

interface EntityApi {
  listInline(client: IAMClient, name: string): AsyncIterable<{ PolicyNames?: string[] }>;
  listAttached(client: IAMClient, name: string): AsyncIterable<{ AttachedPolicies?: AttachedPolicy[] }>;
  getInline(client: IAMClient, name: string, policyName: string): Promise<{ PolicyDocument?: string }>;
}

const ENTITY_API: Readonly<Record<EntityKind, EntityApi>> = {
  role: {
    listInline: (client, name) => paginateListRolePolicies({ client }, { RoleName: name }),
    listAttached: (client, name) => paginateListAttachedRolePolicies({ client }, { RoleName: name }),
    getInline: (client, name, policyName) =>
      client.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName })),
  },
  user: {
    listInline: (client, name) => paginateListUserPolicies({ client }, { UserName: name }),
    listAttached: (client, name) => paginateListAttachedUserPolicies({ client }, { UserName: name }),
    getInline: (client, name, policyName) =>
      client.send(new GetUserPolicyCommand({ UserName: name, PolicyName: policyName })),
  },
  group: {
    listInline: (client, name) => paginateListGroupPolicies({ client }, { GroupName: name }),
    listAttached: (client, name) => paginateListAttachedGroupPolicies({ client }, { GroupName: name }),
    getInline: (client, name, policyName) =>
      client.send(new GetGroupPolicyCommand({ GroupName: name, PolicyName: policyName })),
  },
};

function kindOf(context: IamContext): EntityKind {
  const kind = entityKind(context.resource.type);
  if (!kind) throw new MalformedDataError(`${context.resource.type} has no attached or inline policies`);
  return kind;
}

export function attachedPolicies(context: IamContext): Promise<AttachedPolicy[]> {
  const { resource, clients, memo } = context;
  const kind = kindOf(context);
  return memo(`attached-policies:${kind}:${resource.physicalId}`, async () => {
    const attached: AttachedPolicy[] = [];
    for await (const page of ENTITY_API[kind].listAttached(clients.iam, resource.physicalId)) {
      attached.push(...(page.AttachedPolicies ?? []));
    }
    return attached;
  });
}

export function inlinePolicies(context: IamContext): Promise<IdentityPolicy[]> {
  const { resource, clients, memo } = context;
  const kind = kindOf(context);
  return memo(`inline-policies:${kind}:${resource.physicalId}`, async () => {
    const names: string[] = [];
    for await (const page of ENTITY_API[kind].listInline(clients.iam, resource.physicalId)) {
      names.push(...(page.PolicyNames ?? []));
    }
    return Promise.all(
      names.map(async (name): Promise<IdentityPolicy> => {
        const { PolicyDocument } = await ENTITY_API[kind].getInline(clients.iam, resource.physicalId, name);
        const source = `inline policy ${name} of ${kind} ${resource.physicalId}`;
        if (PolicyDocument === undefined)
          throw new MalformedDataError(`${source}: Get${kind} policy returned no document`);
        return { name, kind: 'inline', document: parsePolicy(PolicyDocument, source) };
      }),
    );
  });
}

/** GetPolicy of one managed policy (shared across checks). */
export function managedPolicyInfo(context: IamContext, arn: string): Promise<ManagedPolicyInfo> {
  return context.memo(`managed-policy-info:${arn}`, async () => {
    const { Policy: info } = await context.clients.iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    if (!info?.DefaultVersionId)
      throw new MalformedDataError(`GetPolicy ${arn} returned no DefaultVersionId`);
    return info;
  });
}

/** The default version of one managed policy. */
export function managedPolicyDocument(
  context: IamContext,
  arn: string,
  name?: string,
): Promise<IdentityPolicy> {
  return context.memo(`managed-policy:${arn}`, async (): Promise<IdentityPolicy> => {
    const info = await managedPolicyInfo(context, arn);
    const { PolicyVersion } = await context.clients.iam.send(
      new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: info.DefaultVersionId }),
    );
    const source = `managed policy ${arn} (version ${info.DefaultVersionId})`;
    if (PolicyVersion?.Document === undefined)
      throw new MalformedDataError(`${source}: GetPolicyVersion returned no document`);
    return {
      name: name ?? info.PolicyName ?? arn,
      kind: isAwsManaged(arn) ? 'aws-managed' : 'customer-managed',
      arn,
      document: parsePolicy(PolicyVersion.Document, source),
    };
  });
}

/** The default version of every attached managed policy (optionally only some of them). */
export async function attachedManagedPolicies(
  context: IamContext,
  include: (policyArn: string) => boolean = () => true,
): Promise<IdentityPolicy[]> {
  const attached = (await attachedPolicies(context)).filter(
    (policy) => policy.PolicyArn && include(policy.PolicyArn),
  );
  return Promise.all(
    attached.map((policy) => managedPolicyDocument(context, String(policy.PolicyArn), policy.PolicyName)),
  );
}

/**
 * Whatever the resource grants: an entity's inline and attached policies, or the managed policy
 * itself. With `managedOnly`, only managed policies whose ARN passes it (customer managed ones).
 */
export async function grantingPolicies(
  context: IamContext,
  managedOnly?: (policyArn: string) => boolean,
): Promise<IdentityPolicy[]> {
  const include = managedOnly ?? (() => true);
  if (context.resource.type === IAM_MANAGED_POLICY) {
    return include(context.resource.physicalId)
      ? [await managedPolicyDocument(context, context.resource.physicalId)]
      : [];
  }
  const inline = managedOnly ? [] : await inlinePolicies(context);
  return [...inline, ...(await attachedManagedPolicies(context, include))];
}

/** Every Allow statement of the given policies, named for evidence. */
export function allowStatements(policies: readonly IdentityPolicy[]): NamedStatement[] {
  return policies.flatMap((policy) =>
    policy.document.statements
      .filter((statement) => statement.effect === 'Allow')
      .map((statement) => ({ where: `${policy.name}#${statement.sid ?? statement.index}`, statement })),
  );
}

/** What to call the resource in messages: `role app-role`, `managed policy arn:…`. */
export function resourceLabel(resourceType: string, physicalId: string): string {
  return `${entityKind(resourceType) ?? 'managed policy'} ${physicalId}`;
}
