import {
  paginateDescribeScalableTargets,
  paginateDescribeScalingPolicies,
  type ScalableTarget,
  type ScalingPolicy,
} from '@aws-sdk/client-application-auto-scaling';
import { numberParam } from '../evaluators/params.ts';
import type { CheckParams, CheckRule } from '../types.ts';
import type { DynamoDbClients } from './clients.ts';
import { billingMode, describeTable } from './table-facts.ts';

type Capacity = 'Read' | 'Write';

/** One capacity dimension that must be scaled: the table's or a GSI's read or write units. */
interface RequiredDimension {
  readonly resourceId: string;
  readonly scalableDimension: string;
  readonly capacity: Capacity;
}

function requiredDimensions(tableName: string, indexNames: readonly string[]): RequiredDimension[] {
  const owners = [
    { resourceId: `table/${tableName}`, kind: 'table' },
    ...indexNames.map((index) => ({ resourceId: `table/${tableName}/index/${index}`, kind: 'index' })),
  ];
  return owners.flatMap(({ resourceId, kind }) =>
    (['Read', 'Write'] as const).map((capacity) => ({
      resourceId,
      scalableDimension: `dynamodb:${kind}:${capacity}CapacityUnits`,
      capacity,
    })),
  );
}

const keyOf = (resourceId: string | undefined, dimension: string | undefined) => `${resourceId}|${dimension}`;
const describe = (dimension: RequiredDimension) => `${dimension.resourceId} ${dimension.capacity}`;

/** Differences between a scalable target and the configured min/max/target-utilisation parameters. */
function capacityMismatches(
  dimension: RequiredDimension,
  target: ScalableTarget,
  params: CheckParams,
): string[] {
  const mismatches: string[] = [];
  const minName = `minProvisioned${dimension.capacity}Capacity`;
  const maxName = `maxProvisioned${dimension.capacity}Capacity`;
  const min = numberParam(params[minName], minName);
  const max = numberParam(params[maxName], maxName);
  if (min !== undefined && target.MinCapacity !== min) {
    mismatches.push(`${describe(dimension)} MinCapacity is ${target.MinCapacity}, expected ${min}`);
  }
  if (max !== undefined && target.MaxCapacity !== max) {
    mismatches.push(`${describe(dimension)} MaxCapacity is ${target.MaxCapacity}, expected ${max}`);
  }
  return mismatches;
}

function utilisationMismatch(
  dimension: RequiredDimension,
  policies: readonly ScalingPolicy[],
  expected: number,
): string | undefined {
  const trackingValues = policies
    .filter(
      (policy) =>
        policy.ResourceId === dimension.resourceId &&
        policy.ScalableDimension === dimension.scalableDimension &&
        policy.PolicyType === 'TargetTrackingScaling',
    )
    .map((policy) => policy.TargetTrackingScalingPolicyConfiguration?.TargetValue);
  if (trackingValues.length === 0) return `${describe(dimension)} has no target-tracking policy`;
  if (trackingValues.includes(expected)) return undefined;
  return `${describe(dimension)} TargetValue is ${trackingValues.join('/')}, expected ${expected}`;
}

/**
 * PASS for on-demand tables; a provisioned table passes when the table and every GSI have scalable
 * targets for read and write capacity (matching the optional min/max/target parameters).
 */
export const dynamodbAutoscalingEnabled: CheckRule<DynamoDbClients> = async (context) => {
  const { clients, params, resource } = context;
  const table = await describeTable(context, resource.physicalId);
  const mode = billingMode(table);
  if (mode === 'PAY_PER_REQUEST') {
    return { status: 'PASS', message: 'the table uses on-demand capacity', evidence: { BillingMode: mode } };
  }

  const indexNames = (table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName ?? '');
  const required = requiredDimensions(table.TableName ?? resource.physicalId, indexNames);
  const targets = new Map<string, ScalableTarget>();
  for await (const page of paginateDescribeScalableTargets(
    { client: clients.autoScaling },
    { ServiceNamespace: 'dynamodb', ResourceIds: [...new Set(required.map((d) => d.resourceId))] },
  )) {
    for (const target of page.ScalableTargets ?? []) {
      targets.set(keyOf(target.ResourceId, target.ScalableDimension), target);
    }
  }

  const unscaled = required.filter((d) => !targets.has(keyOf(d.resourceId, d.scalableDimension)));
  if (unscaled.length > 0) {
    return {
      status: 'FAIL',
      message: `provisioned capacity without auto scaling: ${unscaled.map(describe).join(', ')}`,
      evidence: {
        BillingMode: mode,
        unscaled: unscaled.map((d) => `${d.resourceId}:${d.scalableDimension}`),
      },
    };
  }

  const mismatches = required.flatMap((dimension) => {
    const target = targets.get(keyOf(dimension.resourceId, dimension.scalableDimension));
    return target ? capacityMismatches(dimension, target, params) : [];
  });
  const targetUtilisation = {
    Read: numberParam(params.targetReadUtilization, 'targetReadUtilization'),
    Write: numberParam(params.targetWriteUtilization, 'targetWriteUtilization'),
  };
  if (targetUtilisation.Read !== undefined || targetUtilisation.Write !== undefined) {
    const policies: ScalingPolicy[] = [];
    for (const resourceId of new Set(required.map((d) => d.resourceId))) {
      for await (const page of paginateDescribeScalingPolicies(
        { client: clients.autoScaling },
        { ServiceNamespace: 'dynamodb', ResourceId: resourceId },
      )) {
        policies.push(...(page.ScalingPolicies ?? []));
      }
    }
    for (const dimension of required) {
      const expected = targetUtilisation[dimension.capacity];
      const mismatch =
        expected === undefined ? undefined : utilisationMismatch(dimension, policies, expected);
      if (mismatch) mismatches.push(mismatch);
    }
  }
  if (mismatches.length > 0) {
    return {
      status: 'FAIL',
      message: `auto scaling does not match the required settings: ${mismatches.join('; ')}`,
      evidence: { BillingMode: mode, mismatches },
    };
  }
  return {
    status: 'PASS',
    message: `read and write capacity of the table and ${indexNames.length} GSI(s) scale automatically`,
    evidence: { BillingMode: mode, scalableTargets: required.length },
  };
};
