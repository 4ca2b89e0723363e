/**
 * The weights of the fitness score: severity weights of the quality term and the complexity weights
 * of the penalty term (fitness = quality − λ · complexity; see docs/scoring.md).
 */
import type { Severity } from '../checks/types.ts';

export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = {
  critical: 16,
  high: 8,
  medium: 4,
  low: 2,
  informational: 0,
};

/**
 * Complexity is a weighted count of the stack's resources: moving parts (compute, integration,
 * data) weigh more than glue (permissions, policies, versions). It regularises the fitness score,
 * so adding resources has to buy quality.
 */
export const COMPLEXITY_WEIGHTS: Readonly<Record<string, number>> = {
  'AWS::Lambda::Function': 3,
  'AWS::StepFunctions::StateMachine': 3,
  'AWS::ECS::Service': 3,
  'AWS::ApiGateway::RestApi': 2,
  'AWS::ApiGatewayV2::Api': 2,
  'AWS::DynamoDB::Table': 2,
  'AWS::S3::Bucket': 2,
  'AWS::SQS::Queue': 2,
  'AWS::SNS::Topic': 2,
  'AWS::Events::Rule': 2,
  'AWS::Events::EventBus': 2,
  'AWS::KMS::Key': 1,
  'AWS::IAM::Role': 1,
  'AWS::Logs::LogGroup': 0.5,
  'AWS::CloudWatch::Alarm': 0.5,
  'AWS::Lambda::Permission': 0.25,
  'AWS::Lambda::Version': 0.25,
  'AWS::Lambda::Alias': 0.25,
  'AWS::IAM::Policy': 0.25,
  'AWS::IAM::RolePolicy': 0.25,
  'AWS::S3::BucketPolicy': 0.25,
  'AWS::SQS::QueuePolicy': 0.25,
  'AWS::SNS::TopicPolicy': 0.25,
  'AWS::CDK::Metadata': 0,
};
export const DEFAULT_COMPLEXITY_WEIGHT = 1;

export function complexityOf(types: readonly string[]): number {
  const total = types.reduce((sum, type) => sum + (COMPLEXITY_WEIGHTS[type] ?? DEFAULT_COMPLEXITY_WEIGHT), 0);
  return Math.round(total * 100) / 100;
}
