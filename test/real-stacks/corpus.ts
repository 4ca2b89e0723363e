/**
 * The real-world corpus (../shared/real-stacks, read in place, never copied): which templates moto
 * 5.2.1 creates and what ListStackResources then lists, as measured in the corpus README, and how
 * moto fails on the others. Types are written without their `AWS::` prefix, as in the README.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/real-stacks/', import.meta.url));

export interface DeployableStack {
  readonly file: string;
  /** Rows ListStackResources returns, and how many of them carry a ResourceType. */
  readonly rows: number;
  readonly typed: number;
  /** Resources whose Condition is false with the parameters in params/. */
  readonly notCreated: number;
  /** Types the stack should hold but moto lists without a type (README "resource types moto skips"). */
  readonly motoSkips: readonly string[];
  /** Functions whose runtime is deprecated: lambda-function-settings-check must FAIL them. */
  readonly outdatedRuntimes?: Readonly<Record<string, string>>;
  /** Buckets whose policy denies plain HTTP: s3-bucket-ssl-requests-only must PASS them. */
  readonly tlsOnlyBuckets?: readonly string[];
}

export interface FailingStack {
  readonly file: string;
  /** What the one-line DeployError must say after the template's name. */
  readonly reason: RegExp;
  /** Deploy time limit: short for the stack that never finishes. */
  readonly timeoutMs?: number;
}

export const DEPLOYABLE: readonly DeployableStack[] = [
  { file: 's3-lambda-trigger.yaml', rows: 4, typed: 4, notCreated: 0, motoSkips: [] },
  {
    file: 'apigw-lambda-proxy.yaml',
    rows: 9,
    typed: 7,
    notCreated: 0,
    motoSkips: ['ApiGateway::Model', 'ApiGateway::Stage'],
    outdatedRuntimes: { LambdaFunction: 'python3.7' },
  },
  {
    file: 'apigw-rest-dynamodb.yaml',
    rows: 11,
    typed: 8,
    notCreated: 0,
    motoSkips: ['ApiGateway::ApiKey', 'ApiGateway::UsagePlan', 'ApiGateway::UsagePlanKey'],
  },
  { file: 's3-eventbridge-sqs.yaml', rows: 4, typed: 3, notCreated: 0, motoSkips: ['SQS::QueuePolicy'] },
  {
    file: 'iot-sns-sqs.yaml',
    rows: 7,
    typed: 4,
    notCreated: 0,
    motoSkips: ['IoT::TopicRule', 'SNS::Subscription', 'SQS::QueuePolicy'],
  },
  {
    file: 'log-setup-management.yaml',
    rows: 10,
    typed: 6,
    notCreated: 0,
    motoSkips: ['CloudFormation::StackSet', 'Events::EventBusPolicy', 'Logs::QueryDefinition'],
  },
  { file: 's3-kms-replication-source.json', rows: 4, typed: 4, notCreated: 0, motoSkips: [] },
  {
    file: 'compliant-bucket.json',
    rows: 8,
    typed: 4,
    notCreated: 0,
    motoSkips: ['IAM::RolePolicy', 'S3::BucketPolicy'],
    tlsOnlyBuckets: ['ObjectStorageBucket', 'ObjectStorageLogBucket', 'ObjectStorageReplicaBucket'],
  },
  { file: 'widdix-s3.yaml', rows: 8, typed: 1, notCreated: 6, motoSkips: ['S3::BucketPolicy'] },
  {
    file: 'widdix-alert.yaml',
    rows: 8,
    typed: 2,
    notCreated: 3,
    motoSkips: ['CloudWatch::Alarm', 'SNS::Subscription', 'SNS::TopicPolicy'],
  },
  {
    file: 'widdix-cloudtrail.yaml',
    rows: 36,
    typed: 4,
    notCreated: 29,
    motoSkips: ['CloudTrail::Trail', 'S3::BucketPolicy', 'SNS::TopicPolicy'],
  },
  { file: 'widdix-kms-key.yaml', rows: 3, typed: 2, notCreated: 1, motoSkips: [] },
  {
    file: 'sfn-sqs-sns-lambda.yaml',
    rows: 8,
    typed: 8,
    notCreated: 0,
    motoSkips: [],
    outdatedRuntimes: { CallbackWithTaskToken: 'nodejs14.x' },
  },
  { file: 'sfn-dynamodb.yaml', rows: 3, typed: 3, notCreated: 0, motoSkips: [] },
  {
    file: 'sfn-fargate-apigw.yaml',
    rows: 44,
    typed: 39,
    notCreated: 0,
    motoSkips: [
      'ApiGatewayV2::Api',
      'ApiGatewayV2::Integration',
      'ApiGatewayV2::Route',
      'ApiGatewayV2::Stage',
      'ApiGatewayV2::VpcLink',
    ],
  },
];

export const FAILING: readonly FailingStack[] = [
  {
    file: 'webapp.yaml',
    reason:
      /NoSuchBucket.*Lambda code in S3 must exist in the emulator before the deploy: TestResourceHandler/,
  },
  { file: 'config-rules.json', reason: /HTTP 500 Internal Server Error \(moto raised an exception/ },
  { file: 'widdix-dynamodb.yaml', reason: /HTTP 500 Internal Server Error \(moto raised an exception/ },
  { file: 'kms-tagged-cloudtrail.yaml', reason: /HTTP 500 Internal Server Error \(moto raised an exception/ },
  {
    file: 'cid-data-exports.yaml',
    reason: /still CREATE_IN_PROGRESS after 5 s, waiting on .*\(moto never completes custom resources\)/,
    timeoutMs: 5_000,
  },
];

/**
 * Whether the corpus sits beside the repository. When it does not, the real-stack tests are skipped
 * and this says so once, in one line: the repository must build and pass without ../shared.
 */
export const CORPUS_PRESENT = existsSync(CORPUS_DIR);
if (!CORPUS_PRESENT) {
  console.warn(
    `real-stacks: skipped — the corpus is not at ${CORPUS_DIR} (../shared/real-stacks beside the repository)`,
  );
}

export function corpusTemplates(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((name) => /\.(json|ya?ml)$/.test(name) && name !== 'README.md')
    .sort();
}

export function templatePath(file: string): string {
  return `${CORPUS_DIR}${file}`;
}

/** The parameter values of params/<name>.json, as CreateStack takes them (strings). */
export function templateParameters(file: string): Record<string, string> {
  const path = `${CORPUS_DIR}params/${file.replace(/\.(json|ya?ml)$/, '')}.json`;
  const values = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
}

export function stackNameOf(file: string): string {
  return `rs-${file.replace(/\.(json|ya?ml)$/, '')}`;
}
