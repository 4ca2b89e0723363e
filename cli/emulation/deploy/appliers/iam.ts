/** iam: the configuration moto's CloudFormation ignores, applied through the service API (table in ../index.ts). */
import {
  DeleteRolePolicyCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
  paginateListRolePolicies,
} from '@aws-sdk/client-iam';
import type { CfnResource } from '../../template.ts';
import type { ApplyContext } from '../context.ts';
import { isJson, isRecord, parsePythonLiteral, policyText } from '../values.ts';

/**
 * A role's inline `Policies`, put again as JSON text. moto's CloudFormation stores them as Python
 * text (`{'Version': …}`), which no policy reader can parse; what moto stored is read back and
 * converted, so its own resolution of the template (even of references it cannot resolve) is kept.
 */
export async function applyRoleInlinePolicies(
  context: ApplyContext,
  logicalId: string,
  resource: CfnResource,
) {
  if (resource.Properties?.Policies === undefined) return;
  const RoleName = context.physicalId(logicalId);
  const { iam } = context.clients;
  const names: string[] = [];
  for await (const page of paginateListRolePolicies({ client: iam }, { RoleName })) {
    names.push(...(page.PolicyNames ?? []));
  }
  const converted: string[] = [];
  const versioned: string[] = [];
  for (const PolicyName of names) {
    const { PolicyDocument = '' } = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
    const stored = PolicyDocument.startsWith('%') ? decodeURIComponent(PolicyDocument) : PolicyDocument;
    if (isJson(stored)) continue;
    let document: unknown;
    try {
      document = parsePythonLiteral(stored);
    } catch (error) {
      context.notApplied(logicalId, `inline policy ${PolicyName} as JSON (${(error as Error).message})`);
      continue;
    }
    // moto refuses a document without Version (AWS reads it as 2008-10-17); checks read the statements.
    const missingVersion = isRecord(document) && document.Version === undefined;
    const complete = isRecord(document) && missingVersion ? { Version: '2012-10-17', ...document } : document;
    await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument: policyText(complete) }));
    converted.push(PolicyName);
    if (missingVersion) versioned.push(PolicyName);
  }
  if (converted.length === 0) return;
  context.applied(
    logicalId,
    `inline policies ${converted.join(', ')} as JSON` +
      (versioned.length > 0 ? ` (Version 2012-10-17 added to ${versioned.join(', ')})` : ''),
  );
}

export async function applyRolePolicy(context: ApplyContext, logicalId: string) {
  const RoleName = context.requiredText(logicalId, 'RoleName');
  const PolicyName = context.requiredText(logicalId, 'PolicyName');
  const document = context.required(logicalId, 'PolicyDocument');
  const { iam } = context.clients;
  await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument: policyText(document) }));
  context.created(logicalId, 'AWS::IAM::RolePolicy', context.generatedName(logicalId), () =>
    iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })),
  );
  context.applied(logicalId, `inline policy ${PolicyName} on role ${RoleName}`);
}
