/**
 * The Lambda version a CodeDeploy deployment shifts traffic to. The AppSpec (Name, Alias,
 * CurrentVersion, TargetVersion) comes inline with GetDeployment (AppSpecContent or String revision);
 * when it does not, GetApplicationRevision returns it.
 */
import {
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { parse as parseYaml } from 'yaml';
import type { CheckContext, CheckOutcome } from '../types.ts';
import type { StackClients } from './clients.ts';

export interface DeploymentTarget {
  readonly functionName: string;
  readonly alias: string;
  readonly currentVersion: string;
  readonly targetVersion: string;
  /** When the deployment was created (GetDeployment's `deploymentInfo.createTime`): the shift's start. */
  readonly createTime?: Date;
}

/** The deployment's AppSpec cannot be found or names no Lambda function. */
export class DeploymentTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeploymentTargetError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the Lambda function of an AppSpec (JSON or YAML). */
export function parseAppSpec(content: string): DeploymentTarget {
  const spec: unknown = content.trimStart().startsWith('{') ? JSON.parse(content) : parseYaml(content);
  const resources = isRecord(spec) && Array.isArray(spec.Resources) ? spec.Resources : [];
  for (const entry of resources) {
    for (const declared of isRecord(entry) ? Object.values(entry) : []) {
      if (!isRecord(declared) || declared.Type !== 'AWS::Lambda::Function' || !isRecord(declared.Properties))
        continue;
      const { Name, Alias, CurrentVersion, TargetVersion } = declared.Properties;
      if (Name === undefined || Alias === undefined || TargetVersion === undefined) {
        throw new DeploymentTargetError('the AppSpec function lacks Name, Alias or TargetVersion');
      }
      return {
        functionName: String(Name),
        alias: String(Alias),
        currentVersion: String(CurrentVersion ?? ''),
        targetVersion: String(TargetVersion),
      };
    }
  }
  throw new DeploymentTargetError('the AppSpec names no AWS::Lambda::Function resource');
}

function inlineContent(revision: RevisionLocation | undefined): string | undefined {
  return revision?.appSpecContent?.content ?? revision?.string?.content ?? undefined;
}

/** The target of the context's deployment, read once per work item. */
export function deploymentTarget(
  context: CheckContext<StackClients>,
  deploymentId: string,
): Promise<DeploymentTarget> {
  const { clients, memo } = context;
  return memo(`deployment-target:${deploymentId}`, async () => {
    const { deploymentInfo } = await clients.codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
    const revision = deploymentInfo?.revision;
    let content = inlineContent(revision);
    if (!content && deploymentInfo?.applicationName && revision) {
      const stored = await clients.codeDeploy.send(
        new GetApplicationRevisionCommand({ applicationName: deploymentInfo.applicationName, revision }),
      );
      content = inlineContent(stored.revision);
    }
    if (!content) {
      throw new DeploymentTargetError(
        `deployment ${deploymentId} has no AppSpec content (revision type ${revision?.revisionType ?? 'none'})`,
      );
    }
    const createTime = deploymentInfo?.createTime;
    return { ...parseAppSpec(content), ...(createTime ? { createTime } : {}) };
  });
}

/** The deployment checks do not apply to an ad-hoc run, which has no deployment. */
export const NO_DEPLOYMENT: CheckOutcome = {
  status: 'NOT_APPLICABLE',
  message: 'no CodeDeploy deployment: this run was not started by a deployment hook',
};
