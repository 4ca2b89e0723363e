/** The appliers, in the order they run. */
import { applyDeploymentStage, applyStage } from './appliers/apigateway.ts';
import {
  applyHttpApi,
  applyHttpAuthorizer,
  applyHttpRoute,
  applyHttpStage,
} from './appliers/apigatewayv2.ts';
import { applyScalableTarget, applyScalingPolicy } from './appliers/autoscaling.ts';
import { applyAlarm } from './appliers/cloudwatch.ts';
import { applyTable } from './appliers/dynamodb.ts';
import { applyGlobalTable } from './appliers/dynamodb-global-table.ts';
import { applyRoleInlinePolicies, applyRolePolicy } from './appliers/iam.ts';
import { applyKeyPolicy } from './appliers/kms.ts';
import { applyFunction } from './appliers/lambda.ts';
import { applyAlias, applyAliasDependent } from './appliers/lambda-alias.ts';
import { applyLogGroup } from './appliers/logs.ts';
import { applyOpenApiBody, applyOpenApiDeployment, applyOpenApiHttpBody } from './appliers/openapi.ts';
import { applyBucketBasics, applyBucketLateSettings, applyBucketPolicy } from './appliers/s3.ts';
import { applySecret, applySecretPolicy, noteRotationSchedule } from './appliers/secretsmanager.ts';
import { applySubscription, applyTopicPolicy } from './appliers/sns.ts';
import { applyQueuePolicy } from './appliers/sqs.ts';
import { applyStateMachine } from './appliers/stepfunctions.ts';
import type { ApplyStep } from './context.ts';

/** Steps in the order they run: keys and buckets first, policies, late bucket settings, the rest, alarms last. */
export const APPLY_STEPS: readonly ApplyStep[] = [
  { type: 'AWS::KMS::Key', needsStackResource: true, apply: applyKeyPolicy },
  { type: 'AWS::IAM::Role', needsStackResource: true, apply: applyRoleInlinePolicies },
  { type: 'AWS::S3::Bucket', needsStackResource: true, apply: applyBucketBasics },
  { type: 'AWS::IAM::RolePolicy', needsStackResource: false, apply: applyRolePolicy },
  // Types moto's CloudFormation does not create at all: made through their APIs, listed locally by the overlay.
  { type: 'AWS::SecretsManager::Secret', needsStackResource: false, apply: applySecret },
  { type: 'AWS::SecretsManager::ResourcePolicy', needsStackResource: false, apply: applySecretPolicy },
  { type: 'AWS::SecretsManager::RotationSchedule', needsStackResource: false, apply: noteRotationSchedule },
  { type: 'AWS::DynamoDB::GlobalTable', needsStackResource: false, apply: applyGlobalTable },
  { type: 'AWS::ApiGatewayV2::Api', needsStackResource: false, apply: applyHttpApi },
  { type: 'AWS::ApiGatewayV2::Api', needsStackResource: false, apply: applyOpenApiHttpBody },
  { type: 'AWS::ApiGatewayV2::Authorizer', needsStackResource: false, apply: applyHttpAuthorizer },
  { type: 'AWS::ApiGatewayV2::Route', needsStackResource: false, apply: applyHttpRoute },
  { type: 'AWS::ApiGatewayV2::Stage', needsStackResource: false, apply: applyHttpStage },
  { type: 'AWS::S3::BucketPolicy', needsStackResource: false, apply: applyBucketPolicy },
  { type: 'AWS::SQS::QueuePolicy', needsStackResource: false, apply: applyQueuePolicy },
  { type: 'AWS::SNS::TopicPolicy', needsStackResource: false, apply: applyTopicPolicy },
  { type: 'AWS::S3::Bucket', needsStackResource: true, apply: applyBucketLateSettings },
  { type: 'AWS::DynamoDB::Table', needsStackResource: true, apply: applyTable },
  { type: 'AWS::Logs::LogGroup', needsStackResource: true, apply: applyLogGroup },
  { type: 'AWS::Lambda::Function', needsStackResource: true, apply: applyFunction },
  { type: 'AWS::Lambda::Alias', needsStackResource: false, apply: applyAlias },
  { type: 'AWS::StepFunctions::StateMachine', needsStackResource: true, apply: applyStateMachine },
  { type: 'AWS::SNS::Subscription', needsStackResource: false, apply: applySubscription },
  {
    type: 'AWS::ApplicationAutoScaling::ScalableTarget',
    needsStackResource: false,
    apply: applyScalableTarget,
  },
  {
    type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
    needsStackResource: false,
    apply: applyScalingPolicy,
  },
  { type: 'AWS::ApiGateway::RestApi', needsStackResource: true, apply: applyOpenApiBody },
  { type: 'AWS::ApiGateway::Deployment', needsStackResource: false, apply: applyOpenApiDeployment },
  { type: 'AWS::ApiGateway::Stage', needsStackResource: false, apply: applyStage },
  { type: 'AWS::ApiGateway::Deployment', needsStackResource: true, apply: applyDeploymentStage },
  // After the stages: an API's permission names its stage in SourceArn.
  { type: 'AWS::Lambda::Permission', needsStackResource: false, apply: applyAliasDependent },
  { type: 'AWS::Lambda::EventSourceMapping', needsStackResource: false, apply: applyAliasDependent },
  { type: 'AWS::CloudWatch::Alarm', needsStackResource: false, apply: applyAlarm },
];

/** The types the helper creates itself through the service APIs (moto's CloudFormation skips them). */
export const HELPER_CREATED_TYPES: ReadonlySet<string> = new Set(
  APPLY_STEPS.filter((step) => !step.needsStackResource).map((step) => step.type),
);
