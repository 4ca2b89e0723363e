/**
 * The Lambda version a CodeDeploy deployment shifts traffic to, read from the deployment itself:
 * GetDeployment, and the AppSpec (Name, Alias, CurrentVersion, TargetVersion) inline in its revision
 * (AppSpecContent or String) or, when the revision only names it, from GetApplicationRevision.
 * The hook resolves the stack to audit from it; the deployment-target checks judge the version.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html
 */
import {
  type CodeDeployClient,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { parse as parseYaml } from 'yaml';

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

/** The target of one deployment: GetDeployment, then GetApplicationRevision when the AppSpec is not inline. */
export async function readDeploymentTarget(
  codeDeploy: CodeDeployClient,
  deploymentId: string,
): Promise<DeploymentTarget> {
  const { deploymentInfo } = await codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
  const revision = deploymentInfo?.revision;
  let content = inlineContent(revision);
  if (!content && deploymentInfo?.applicationName && revision) {
    const stored = await codeDeploy.send(
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
}
