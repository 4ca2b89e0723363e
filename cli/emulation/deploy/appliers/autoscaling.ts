/** autoscaling: the configuration moto's CloudFormation ignores, applied through the service API (table in ../index.ts). */
import {
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  PutScalingPolicyCommand,
  type PutScalingPolicyCommandInput,
  RegisterScalableTargetCommand,
  type ServiceNamespace,
} from '@aws-sdk/client-application-auto-scaling';
import type { ApplyContext } from '../context.ts';
import { coerce, isRecord, number, optionalBoolean, text } from '../values.ts';

export async function applyScalableTarget(context: ApplyContext, logicalId: string) {
  const ServiceNamespace = context.requiredText(logicalId, 'ServiceNamespace') as ServiceNamespace;
  const ResourceId = context.requiredText(logicalId, 'ResourceId');
  const ScalableDimension = context.requiredText(
    logicalId,
    'ScalableDimension',
  ) as 'dynamodb:table:ReadCapacityUnits';
  const MinCapacity = number(context.required(logicalId, 'MinCapacity'));
  const MaxCapacity = number(context.required(logicalId, 'MaxCapacity'));
  const suspended = context.property(logicalId, 'SuspendedState');
  const { autoScaling } = context.clients;
  await autoScaling.send(
    new RegisterScalableTargetCommand({
      ServiceNamespace,
      ResourceId,
      ScalableDimension,
      MinCapacity,
      MaxCapacity,
      RoleARN: text(context.property(logicalId, 'RoleARN')),
      SuspendedState: isRecord(suspended)
        ? {
            DynamicScalingInSuspended: optionalBoolean(suspended.DynamicScalingInSuspended),
            DynamicScalingOutSuspended: optionalBoolean(suspended.DynamicScalingOutSuspended),
            ScheduledScalingSuspended: optionalBoolean(suspended.ScheduledScalingSuspended),
          }
        : undefined,
    }),
  );
  // CloudFormation's physical id of a scalable target, and what Ref returns.
  context.created(
    logicalId,
    'AWS::ApplicationAutoScaling::ScalableTarget',
    `${ResourceId}|${ScalableDimension}|${ServiceNamespace}`,
    () =>
      autoScaling.send(
        new DeregisterScalableTargetCommand({ ServiceNamespace, ResourceId, ScalableDimension }),
      ),
  );
  context.applied(
    logicalId,
    `scalable target ${ResourceId} ${ScalableDimension} ${MinCapacity}-${MaxCapacity}`,
  );
  if (context.property(logicalId, 'ScheduledActions') !== undefined)
    context.notApplied(logicalId, 'ScheduledActions');
}

export const SCALING_NUMBERS = new Set([
  'TargetValue',
  'ScaleInCooldown',
  'ScaleOutCooldown',
  'Cooldown',
  'MinAdjustmentMagnitude',
  'MetricIntervalLowerBound',
  'MetricIntervalUpperBound',
  'ScalingAdjustment',
]);

export async function applyScalingPolicy(context: ApplyContext, logicalId: string) {
  const PolicyName = context.requiredText(logicalId, 'PolicyName');
  const PolicyType = context.requiredText(logicalId, 'PolicyType') as 'TargetTrackingScaling';
  const targetId = text(context.property(logicalId, 'ScalingTargetId'));
  const [targetResource, targetDimension, targetNamespace] = targetId?.split('|') ?? [];
  const ResourceId = targetResource ?? context.requiredText(logicalId, 'ResourceId');
  const ScalableDimension = (targetDimension ??
    context.requiredText(logicalId, 'ScalableDimension')) as 'dynamodb:table:ReadCapacityUnits';
  const ServiceNamespace = (targetNamespace ??
    context.requiredText(logicalId, 'ServiceNamespace')) as ServiceNamespace;
  const input = {
    PolicyName,
    PolicyType,
    ResourceId,
    ScalableDimension,
    ServiceNamespace,
    TargetTrackingScalingPolicyConfiguration: coerce(
      context.property(logicalId, 'TargetTrackingScalingPolicyConfiguration'),
      SCALING_NUMBERS,
      new Set(['DisableScaleIn']),
    ),
    StepScalingPolicyConfiguration: coerce(
      context.property(logicalId, 'StepScalingPolicyConfiguration'),
      SCALING_NUMBERS,
      new Set(),
    ),
  } as PutScalingPolicyCommandInput;
  const { autoScaling } = context.clients;
  const policy = await autoScaling.send(new PutScalingPolicyCommand(input));
  context.created(
    logicalId,
    'AWS::ApplicationAutoScaling::ScalingPolicy',
    policy.PolicyARN ?? context.generatedName(logicalId),
    () =>
      autoScaling.send(
        new DeleteScalingPolicyCommand({ PolicyName, ServiceNamespace, ResourceId, ScalableDimension }),
      ),
  );
  context.applied(
    logicalId,
    `scaling policy ${PolicyName} (${PolicyType}) on ${ResourceId} ${ScalableDimension}`,
  );
}
