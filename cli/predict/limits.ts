/**
 * What a prediction cannot know, and what it does about it: the result of a check whose answer the
 * emulator cannot give is NOT_APPLICABLE with the reason, never a guessed PASS (or FAIL). Four kinds:
 *
 * - runtime data: checks that need the deployed version running (smoke invocation, metrics after
 *   traffic shift): the registry runs them for the hook triggers only;
 * - the account: checks whose answer is an account setting or a later event (account-level public
 *   access block, drift, termination protection set at deploy time, AWS Backup plans);
 * - not modelled: template settings the deploy helper could not apply (`notApplied`) and values
 *   known only at deploy time (dynamic references, SSM parameters), for the checks that read them;
 * - not created: resources the emulator could not create (`pruned`, `skipped`), whose own checks
 *   and whose effect on other resources' checks (a permission, an invoke config, a WAF association)
 *   cannot be seen.
 */

import { checksFor, familiesFor, registry } from '../../functions/checks/registry.ts';
import { gateLogicalIdsOf } from '../../functions/list-resources/gate-resources.ts';
import type { PredictionLimit } from '../../statemachine/state.ts';
import type { DeployResult } from '../emulation/deploy/index.ts';
import { referencedIds } from '../emulation/deploy/prune.ts';
import type { CfnTemplate } from '../emulation/template.ts';

/** Checks answered by the account or by events after the deployment, not by the template. */
export const ACCOUNT_CHECKS: Readonly<Record<string, string>> = {
  's3-account-level-public-access-blocks-periodic':
    "an account setting (the account's S3 Block Public Access), not part of the template",
  'cloudformation-stack-drift-detection-check':
    'drift exists only once the deployed stack is changed outside CloudFormation',
  'cloudformation-stack-termination-protection':
    'set when the stack is deployed (--enable-termination-protection), not in the template',
  'dynamodb-resources-protected-by-backup-plan':
    "backup plans are the account's (AWS Backup), not the template's",
};

const IAM_ROLE_CHECKS = registry.filter((c) => c.family === 'iam').map((c) => c.id);

/** Per resource type: a template property (or notApplied phrase) → the checks that read it. */
export const PROPERTY_CHECKS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'AWS::Lambda::Function': {
    TracingConfig: ['lambda-function-xray-enabled'],
    DeadLetterConfig: ['lambda-dlq-check'],
    LoggingConfig: ['lambda-function-log-retention'],
    KmsKeyArn: [],
    Environment: ['lambda-function-no-secrets-in-env'],
  },
  'AWS::IAM::Role': { 'inline policy': IAM_ROLE_CHECKS, Policies: IAM_ROLE_CHECKS },
  'AWS::S3::Bucket': {
    AccelerateConfiguration: [],
    AnalyticsConfigurations: [],
    CorsConfiguration: [],
    IntelligentTieringConfigurations: [],
    InventoryConfigurations: [],
    MetricsConfigurations: [],
    NotificationConfiguration: [],
    ObjectLockConfiguration: [],
    WebsiteConfiguration: ['s3-bucket-public-read-prohibited'],
  },
  'AWS::ApplicationAutoScaling::ScalableTarget': { ScheduledActions: [] },
};

/** Types whose absence changes the verdict of checks on the resources they refer to. */
export const RELATED_TYPE_CHECKS: Readonly<Record<string, readonly string[]>> = {
  'AWS::Lambda::Permission': ['lambda-function-public-access-prohibited'],
  'AWS::Lambda::EventInvokeConfig': ['lambda-dlq-check'],
  'AWS::Lambda::Url': ['lambda-function-url-auth-required'],
  'AWS::WAFv2::WebACLAssociation': ['api-gw-associated-with-waf'],
  'AWS::Backup::BackupSelection': ['dynamodb-resources-protected-by-backup-plan'],
  'AWS::S3::BucketPolicy': [
    's3-bucket-public-read-prohibited',
    's3-bucket-public-write-prohibited',
    's3-bucket-ssl-requests-only',
  ],
  'AWS::SQS::QueuePolicy': ['sqs-queue-no-public-access', 'sqs-queue-ssl-requests-only'],
  'AWS::SNS::TopicPolicy': ['sns-topic-no-public-access', 'sns-topic-ssl-publish-only'],
  'AWS::Logs::LogGroup': ['lambda-function-log-retention'],
  'AWS::CloudWatch::Alarm': ['stack-alarm-coverage'],
  'AWS::ApplicationAutoScaling::ScalableTarget': ['dynamodb-autoscaling-enabled'],
  'AWS::ApplicationAutoScaling::ScalingPolicy': ['dynamodb-autoscaling-enabled'],
  'AWS::IAM::Policy': IAM_ROLE_CHECKS,
  'AWS::IAM::RolePolicy': IAM_ROLE_CHECKS,
  'AWS::IAM::ManagedPolicy': IAM_ROLE_CHECKS,
};

const DYNAMIC_REFERENCE = /\{\{resolve:(ssm|ssm-secure|secretsmanager):[^}]*\}\}/;

/** `checkId@logicalId` (a logical id of `*`: every resource) → why it cannot be predicted. */
export type Adjustments = ReadonlyMap<string, string>;

export interface PredictionPlan {
  readonly limits: PredictionLimit[];
  readonly adjustments: Adjustments;
  /** NOT_APPLICABLE results to add for resources the emulator did not create (their own checks). */
  readonly uncreated: readonly { logicalId: string; type: string; reason: string }[];
}

function containsDynamicReference(value: unknown): boolean {
  return DYNAMIC_REFERENCE.test(JSON.stringify(value ?? null));
}

/** The limits of one prediction, from the template as written and what the deploy helper did. */
export function planPrediction(
  template: CfnTemplate,
  deployed: Pick<DeployResult, 'notApplied' | 'pruned' | 'resources'>,
  options: {
    readonly terminationProtectionKnown?: boolean;
    readonly deployTimeParameters?: readonly string[];
  } = {},
): PredictionPlan {
  const limits: PredictionLimit[] = [];
  const adjustments = new Map<string, string>();
  // The gate's own resources are not audited (gate-resources.ts), so what it cannot know of them does not matter.
  const gateIds = new Set(gateLogicalIdsOf(template));
  const aboutGate = (logicalId: string) => gateIds.has(logicalId);
  const mark = (checks: readonly string[], logicalIds: readonly string[], reason: string) => {
    const findings: string[] = [];
    for (const checkId of checks) {
      for (const logicalId of logicalIds) {
        adjustments.set(`${checkId}@${logicalId}`, reason);
        findings.push(`${checkId}@${logicalId}`);
      }
    }
    return findings;
  };

  for (const check of registry) {
    if (check.triggers && !check.triggers.includes('predict')) {
      limits.push({
        kind: 'runtime-data',
        subject: check.id,
        reason: `needs the deployed version running (${check.triggers.join(', ')} only): ${check.title}`,
        checks: [check.id],
      });
    }
  }
  for (const [checkId, reason] of Object.entries(ACCOUNT_CHECKS)) {
    if (checkId === 'cloudformation-stack-termination-protection' && options.terminationProtectionKnown)
      continue;
    limits.push({ kind: 'account', subject: checkId, reason, checks: mark([checkId], ['*'], reason) });
  }

  for (const entry of deployed.notApplied) {
    const separator = entry.indexOf(': ');
    const logicalId = entry.slice(0, separator);
    if (aboutGate(logicalId)) continue;
    const setting = entry.slice(separator + 2);
    const type = template.Resources[logicalId]?.Type ?? '';
    const table = PROPERTY_CHECKS[type] ?? {};
    const key = Object.keys(table).find((name) => setting === name || setting.startsWith(`${name} `));
    const reason = `the emulator cannot hold ${setting} of ${logicalId}`;
    limits.push({
      kind: 'not-modelled',
      subject: entry,
      reason: key === undefined ? `${reason}; no check is known to read it` : reason,
      checks: mark(key === undefined ? [] : (table[key] ?? []), [logicalId], reason),
    });
  }

  for (const name of options.deployTimeParameters ?? []) {
    limits.push({
      kind: 'deploy-time',
      subject: `parameter ${name}`,
      reason: 'resolved from SSM Parameter Store at deploy time; the emulator used a placeholder',
      checks: [],
    });
  }
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (aboutGate(logicalId)) continue;
    const table = PROPERTY_CHECKS[resource.Type] ?? {};
    for (const [property, value] of Object.entries(resource.Properties ?? {})) {
      if (!containsDynamicReference(value)) continue;
      const reason = `${logicalId}.${property} holds a dynamic reference ({{resolve:…}}), resolved only at deploy time`;
      limits.push({
        kind: 'deploy-time',
        subject: `${logicalId}.${property}`,
        reason,
        checks: mark(table[property] ?? [], [logicalId], reason),
      });
    }
  }

  const created = new Set(deployed.resources.map((resource) => resource.logicalId));
  const uncreated: { logicalId: string; type: string; reason: string }[] = [];
  for (const entry of deployed.pruned ?? []) {
    if (aboutGate(entry.logicalId)) continue;
    if (entry.type === 'Output') {
      limits.push({
        kind: 'not-created',
        subject: `output ${entry.logicalId}`,
        reason: entry.reason,
        checks: [],
      });
      continue;
    }
    uncreated.push(entry);
  }
  const prunedIds = new Set(uncreated.map((entry) => entry.logicalId));
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (created.has(logicalId) || prunedIds.has(logicalId) || resource.Type.startsWith('AWS::CDK::'))
      continue;
    uncreated.push({
      logicalId,
      type: resource.Type,
      reason: "a type moto's CloudFormation does not create",
    });
  }
  for (const entry of uncreated) {
    const resource = template.Resources[entry.logicalId];
    const related = RELATED_TYPE_CHECKS[entry.type] ?? [];
    const targets = [...referencedIds(resource?.Properties)].filter((id) => template.Resources[id]);
    const reason = `${entry.logicalId} (${entry.type}) is not in the emulator: ${entry.reason}`;
    const own = familiesFor(entry.type).flatMap((family) =>
      checksFor(family, entry.type, 'predict').map((c) => c.id),
    );
    limits.push({
      kind: 'not-created',
      subject: `${entry.logicalId} (${entry.type})`,
      reason: entry.reason,
      checks: [
        ...own.map((checkId) => `${checkId}@${entry.logicalId}`),
        ...mark(related, targets.length > 0 ? targets : ['*'], reason),
      ],
    });
  }
  return { limits, adjustments, uncreated: uncreated.filter((entry) => familiesFor(entry.type).length > 0) };
}

/** Why a check's result on a resource cannot be predicted, if it cannot. */
export function adjustmentFor(
  adjustments: Adjustments,
  checkId: string,
  logicalId: string,
): string | undefined {
  return adjustments.get(`${checkId}@${logicalId}`) ?? adjustments.get(`${checkId}@*`);
}
