/**
 * The one table of fitness checks. The family handlers, the generated IAM policies, the README's
 * catalog and `fitgate checks` all read it; nothing repeats it. A check that implements an AWS Config
 * managed rule carries that rule's identifier as its id and says so (`origin: 'aws-config'`); the
 * others are fitgate's own, named in the same style. Rules live in `functions/checks/<family>/<check-id>.ts`.
 */
import type { Trigger } from '../../statemachine/state.ts';
import { RUNTIMES_REVIEWED, supportedRuntimes } from './lambda/runtimes.ts';
import {
  type CheckFamily,
  type Family,
  type ParamValue,
  type Pillar,
  type Severity,
  STACK_RESOURCE_TYPE,
} from './types.ts';
import { METRIC_EVALUATOR_ACTIONS } from './user-defined.ts';

export interface ParamSpec {
  readonly default?: ParamValue;
  readonly description: string;
  /**
   * The value's type. Config's rule pages write int/double (number), String (text), CSV (list) and
   * boolean, and Config passes every value as text ("True", "a,b"): the rules accept those forms.
   */
  readonly type?: 'number' | 'text' | 'boolean' | 'list';
  /** The only values a text parameter accepts. */
  readonly values?: readonly string[];
}

/** A deliberate difference from the AWS Config rule of the same id, and why. */
export interface Departure {
  /** The parameter concerned, if the difference is a default. */
  readonly param?: string;
  /** What Config does (its documented default or scope). */
  readonly config: string;
  /** What fitgate does instead. */
  readonly fitgate: string;
  readonly reason: string;
}

export interface CheckDefinition {
  readonly id: string;
  readonly title: string;
  /** A built-in family; a user-defined check function is a family of its own (its id). */
  readonly family: CheckFamily;
  readonly severity: Severity;
  readonly pillar: Pillar;
  readonly resourceTypes: readonly string[];
  /** atomic: one resource; holistic: several resources or the deployment together. */
  readonly scope: 'atomic' | 'holistic';
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Read-only actions the family's auditor role needs; the gate's IAM policy is generated from these. */
  readonly iamActions: readonly string[];
  readonly remediation: string;
  /** How moto 5.2.1 supports the calls (tests use a named SDK mock where it does not). */
  readonly emulator: 'yes' | 'partial' | 'no';
  /** Only run for these triggers (default: every trigger). */
  readonly triggers?: readonly Trigger[];
  /**
   * `aws-config`: the id is an AWS Config managed rule's, and the check implements that rule
   * (https://docs.aws.amazon.com/config/latest/developerguide/<id>.html); `fitgate`: fitgate's own;
   * `metric-function` and `check-function`: user-defined (functions/checks/user-defined.ts).
   */
  readonly origin: 'aws-config' | 'fitgate' | 'metric-function' | 'check-function';
  /** Where the check departs from its Config rule's documented defaults or scope, on purpose. */
  readonly departures?: readonly Departure[];
  /**
   * Public anchors, `·`-separated: Security Hub control (`SH S3.2`), cdk-nag rule (`AwsSolutions-S2`,
   * `Serverless …`), Prowler check (`Prowler s3_…`). cdk-nag acknowledgements map through these.
   */
  readonly anchors?: string;
  /**
   * Types this check judges through the resource it runs on: what it reads of that resource includes
   * theirs (a bucket's policy is the AWS::S3::BucketPolicy, an alias's URL is the function's). Coverage
   * counts them as judged through a parent (functions/checks/coverage.ts, docs/plan-and-coverage.md).
   */
  readonly judgesThrough?: readonly JudgedThrough[];
  /**
   * The remediation group: checks that share a key are satisfied on one resource by one change (one
   * setting, one policy document); the plan groups their findings into one step (FIXES names it).
   */
  readonly fix?: keyof typeof FIXES;
}

/**
 * A type judged through a parent. The link is a reference in the template (Ref, Fn::GetAtt, Fn::Sub,
 * or a literal name, ARN or URL that is the parent's physical id): `by` lists this resource's
 * properties that name the parent; `from` the parent's properties that name this resource. A parent
 * is a resource this check judges directly, or one it judges through a parent of its own.
 */
export interface JudgedThrough {
  readonly type: string;
  readonly by?: readonly string[];
  readonly from?: readonly string[];
}

/** Remediation groups: one change that satisfies every check carrying the key, on one resource. */
export const FIXES = {
  'block-public-access': {
    title: 'Block all public access to the bucket',
    remediation:
      'Turn on all four Block Public Access settings of the bucket (blockPublicAccess: BlockPublicAccess.BLOCK_ALL): S3 then ignores public ACLs and restricts public policies, which satisfies the public read, public write and bucket-level checks at once.',
  },
  'bucket-kms-encryption': {
    title: 'Encrypt the bucket with SSE-KMS by default',
    remediation:
      'Set the bucket’s default encryption to SSE-KMS (encryption: BucketEncryption.KMS, with a customer managed key where required): it is server-side encryption and KMS encryption at once.',
  },
  'queue-policy': {
    title: 'Rewrite the queue policy',
    remediation:
      'In the one queue policy: remove or condition every statement open to anyone (aws:SourceArn / aws:SourceAccount), and add a Deny of sqs:* when aws:SecureTransport is false.',
  },
  'topic-policy': {
    title: 'Rewrite the topic policy',
    remediation:
      'In the one topic policy: remove or condition every statement open to anyone (aws:SourceArn / aws:SourceOwner), and add a Deny of sns:Publish when aws:SecureTransport is false (enforceSSL: true).',
  },
  'identity-policy-actions': {
    title: 'Grant named actions instead of wildcards',
    remediation:
      'Replace "*" and "service:*" actions in the identity’s policies with the actions it needs (grant methods such as table.grantReadData generate them).',
  },
  'alarm-actions': {
    title: 'Give the alarm an enabled action',
    remediation:
      'Add an AlarmActions target (an SNS topic, for example) and keep ActionsEnabled true (alarm.addAlarmAction(new SnsAction(topic))).',
  },
} as const;

const S3_BUCKET = 'AWS::S3::Bucket';
const DYNAMODB_TABLE = 'AWS::DynamoDB::Table';
const LAMBDA_FUNCTION = 'AWS::Lambda::Function';
const API_STAGE = 'AWS::ApiGateway::Stage';
const API_REST_API = 'AWS::ApiGateway::RestApi';
const STATE_MACHINE = 'AWS::StepFunctions::StateMachine';
const SQS_QUEUE = 'AWS::SQS::Queue';
const SNS_TOPIC = 'AWS::SNS::Topic';
const IAM_ROLE = 'AWS::IAM::Role';
const IAM_USER = 'AWS::IAM::User';
const IAM_GROUP = 'AWS::IAM::Group';
const IAM_MANAGED_POLICY = 'AWS::IAM::ManagedPolicy';
const IAM_ENTITIES = [IAM_ROLE, IAM_USER, IAM_GROUP];
const DYNAMODB_GLOBAL_TABLE = 'AWS::DynamoDB::GlobalTable';
const HTTP_API = 'AWS::ApiGatewayV2::Api';
const HTTP_STAGE = 'AWS::ApiGatewayV2::Stage';
const SECRET = 'AWS::SecretsManager::Secret';
const EVENT_BUS = 'AWS::Events::EventBus';
const EVENT_RULE = 'AWS::Events::Rule';
const LOG_GROUP = 'AWS::Logs::LogGroup';
const KMS_KEY = 'AWS::KMS::Key';
const CW_ALARM = 'AWS::CloudWatch::Alarm';

// What checks judge through the resource they run on (judgesThrough): the parent is named by a Ref,
// Fn::GetAtt, Fn::Sub or literal in the properties listed.
const BUCKET_POLICY: JudgedThrough = { type: 'AWS::S3::BucketPolicy', by: ['Bucket'] };
const QUEUE_POLICY: JudgedThrough = { type: 'AWS::SQS::QueuePolicy', by: ['Queues'] };
const TOPIC_POLICIES: readonly JudgedThrough[] = [
  { type: 'AWS::SNS::TopicPolicy', by: ['Topics'] },
  { type: 'AWS::SNS::TopicInlinePolicy', by: ['TopicArn'] },
];
// Aliases have their own resource policy, URL, async config and event source mappings, which the
// function's checks read per alias (lambda/function-facts.ts invocationTargets).
const FUNCTION_ALIAS: JudgedThrough = { type: 'AWS::Lambda::Alias', by: ['FunctionName'] };
// A version is read through the alias that serves it (GetFunctionConfiguration with the alias).
const SERVED_VERSION: JudgedThrough = { type: 'AWS::Lambda::Version', from: ['FunctionVersion'] };
const LAMBDA_PERMISSION: JudgedThrough = { type: 'AWS::Lambda::Permission', by: ['FunctionName'] };
const FUNCTION_URL: JudgedThrough = { type: 'AWS::Lambda::Url', by: ['TargetFunctionArn'] };
const EVENT_INVOKE_CONFIG: JudgedThrough = { type: 'AWS::Lambda::EventInvokeConfig', by: ['FunctionName'] };
const EVENT_SOURCE_MAPPING: JudgedThrough = { type: 'AWS::Lambda::EventSourceMapping', by: ['FunctionName'] };
// Inline policies are read as the role's, user's or group's (List…Policies → Get…Policy).
const INLINE_POLICIES: readonly JudgedThrough[] = [
  { type: 'AWS::IAM::Policy', by: ['Roles', 'Users', 'Groups'] },
  { type: 'AWS::IAM::RolePolicy', by: ['RoleName'] },
  { type: 'AWS::IAM::UserPolicy', by: ['UserName'] },
  { type: 'AWS::IAM::GroupPolicy', by: ['GroupName'] },
];
// GetResources with embedded methods: every resource, method and the authorizers they use.
const REST_API_METHODS: readonly JudgedThrough[] = [
  { type: 'AWS::ApiGateway::Method', by: ['RestApiId'] },
  { type: 'AWS::ApiGateway::Resource', by: ['RestApiId'] },
  { type: 'AWS::ApiGateway::Authorizer', by: ['RestApiId'] },
];
// A stage serves one deployment: what the stage checks read is that deployment's stage.
const STAGE_DEPLOYMENT: JudgedThrough = { type: 'AWS::ApiGateway::Deployment', from: ['DeploymentId'] };
const HTTP_STAGE_DEPLOYMENT: JudgedThrough = {
  type: 'AWS::ApiGatewayV2::Deployment',
  from: ['DeploymentId'],
};
const HTTP_API_ROUTES: readonly JudgedThrough[] = [
  { type: 'AWS::ApiGatewayV2::Route', by: ['ApiId'] },
  { type: 'AWS::ApiGatewayV2::Authorizer', by: ['ApiId'] },
];
const WAF_ASSOCIATION: JudgedThrough = { type: 'AWS::WAFv2::WebACLAssociation', by: ['ResourceArn'] };
const USAGE_PLAN: JudgedThrough = { type: 'AWS::ApiGateway::UsagePlan', by: ['ApiStages'] };
const TABLE_SCALING: readonly JudgedThrough[] = [
  { type: 'AWS::ApplicationAutoScaling::ScalableTarget', by: ['ResourceId'] },
  { type: 'AWS::ApplicationAutoScaling::ScalingPolicy', by: ['ScalingTargetId', 'ResourceId'] },
];
// A selection that names the table by ARN; one that selects by tag names no resource.
const BACKUP_SELECTION: JudgedThrough = { type: 'AWS::Backup::BackupSelection', by: ['BackupSelection'] };
const SECRET_POLICY: JudgedThrough = { type: 'AWS::SecretsManager::ResourcePolicy', by: ['SecretId'] };
const ROTATION_SCHEDULE: JudgedThrough = {
  type: 'AWS::SecretsManager::RotationSchedule',
  by: ['SecretId'],
};
const BUS_POLICY: JudgedThrough = { type: 'AWS::Events::EventBusPolicy', by: ['EventBusName'] };

const S3_PUBLIC_ACTIONS = [
  's3:GetBucketPublicAccessBlock',
  's3:GetAccountPublicAccessBlock',
  's3:GetBucketAcl',
  's3:GetBucketPolicy',
  's3:GetBucketPolicyStatus',
];
const INLINE_POLICY_ACTIONS = [
  'iam:ListRolePolicies',
  'iam:GetRolePolicy',
  'iam:ListUserPolicies',
  'iam:GetUserPolicy',
  'iam:ListGroupPolicies',
  'iam:GetGroupPolicy',
];
const ATTACHED_POLICY_ACTIONS = [
  'iam:ListAttachedRolePolicies',
  'iam:ListAttachedUserPolicies',
  'iam:ListAttachedGroupPolicies',
];
const MANAGED_POLICY_ACTIONS = ['iam:GetPolicy', 'iam:GetPolicyVersion'];
const IDENTITY_POLICY_ACTIONS = [
  ...INLINE_POLICY_ACTIONS,
  ...ATTACHED_POLICY_ACTIONS,
  ...MANAGED_POLICY_ACTIONS,
];
const EXCLUDE_BOUNDARIES = {
  type: 'boolean',
  description: 'Leave out managed policies used as permissions boundaries',
  default: false,
} as const;
const BLOCKED_KMS_ACTIONS: ParamSpec = {
  type: 'list',
  description: 'Blocked KMS action patterns (Config CSV, e.g. kms:*, kms:Decrypt, kms:ReEncrypt*)',
  default: ['kms:Decrypt', 'kms:ReEncryptFrom'],
};
const BLOCKED_KMS_DEFAULT: Departure = {
  param: 'blockedActionsPatterns',
  config: 'required, no default',
  fitgate: 'kms:Decrypt,kms:ReEncryptFrom',
  reason: 'the values the Security Hub controls KMS.1 and KMS.2 configure, so the check runs without setup',
};
// A stage's physical id is only its name (a rule's may lack its bus): looked up in the stack's template and resources.
const STAGE_LOOKUP_ACTIONS = ['cloudformation:GetTemplate', 'cloudformation:ListStackResources'];
const KMS_KEY_ARNS = {
  type: 'list',
  description: 'Allowed KMS key ARNs (empty: any key)',
  default: [],
} as const;

const GLOBAL_TABLES: Departure = {
  config: 'evaluates AWS::DynamoDB::Table',
  fitgate:
    'also AWS::DynamoDB::GlobalTable (what CDK’s TableV2 synthesizes), as its replica in the stack’s region',
  reason: 'a TableV2 stack would otherwise get no DynamoDB verdict at all',
};

/** A built-in check: its family is one of the built-in families. */
export type BuiltInCheck = CheckDefinition & { readonly family: Family };

export const registry: readonly BuiltInCheck[] = [
  // ── S3 ────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 's3-bucket-public-read-prohibited',
    title: 'S3 bucket is not publicly readable',
    family: 's3',
    origin: 'aws-config',
    severity: 'critical',
    pillar: 'security',
    resourceTypes: [S3_BUCKET],
    scope: 'atomic',
    judgesThrough: [BUCKET_POLICY],
    fix: 'block-public-access',
    params: {},
    iamActions: S3_PUBLIC_ACTIONS,
    remediation:
      'Turn on Block Public Access (blockPublicAccess: BlockPublicAccess.BLOCK_ALL) and remove public ACL grants and policy statements.',
    emulator: 'partial',
    anchors: 'SH S3.2 · Prowler s3_bucket_public_access',
  },
  {
    id: 's3-bucket-public-write-prohibited',
    title: 'S3 bucket is not publicly writable',
    family: 's3',
    origin: 'aws-config',
    severity: 'critical',
    pillar: 'security',
    resourceTypes: [S3_BUCKET],
    scope: 'atomic',
    judgesThrough: [BUCKET_POLICY],
    fix: 'block-public-access',
    params: {},
    iamActions: S3_PUBLIC_ACTIONS,
    remediation:
      'Turn on Block Public Access and remove WRITE grants and public Put*/Delete* policy statements.',
    emulator: 'partial',
    anchors: 'SH S3.3 · Prowler s3_bucket_policy_public_write_access',
  },
  {
    id: 's3-bucket-level-public-access-prohibited',
    title: 'S3 bucket blocks all public access at bucket level',
    family: 's3',
    origin: 'aws-config',
    severity: 'high',
    pillar: 'security',
    resourceTypes: [S3_BUCKET],
    scope: 'atomic',
    fix: 'block-public-access',
    params: {
      excludedPublicBuckets: {
        type: 'list',
        description: 'Bucket names that are public on purpose',
        default: [],
      },
    },
    iamActions: ['s3:GetBucketPublicAccessBlock'],
    remediation: 'Set all four PublicAccessBlockConfiguration flags to true (BlockPublicAccess.BLOCK_ALL).',
    emulator: 'yes',
    anchors: 'SH S3.8 · AwsSolutions-S2',
  },
  {
    id: 's3-bucket-ssl-requests-only',
    title: 'S3 bucket policy denies requests without TLS',
    family: 's3',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [S3_BUCKET],
    scope: 'atomic',
    judgesThrough: [BUCKET_POLICY],
    params: {},
    iamActions: ['s3:GetBucketPolicy'],
    remediation:
      'Add a Deny statement on aws:SecureTransport=false for the bucket and its objects (enforceSSL: true).',
    emulator: 'yes',
    anchors: 'SH S3.5 · AwsSolutions-S10',
  },
  {
    id: 's3-bucket-server-side-encryption-enabled',
    title: 'S3 bucket has default encryption',
    family: 's3',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [S3_BUCKET],
    scope: 'atomic',
    fix: 'bucket-kms-encryption',
    params: {},
    iamActions: ['s3:GetEncryptionConfiguration'],
    remediation: 'Set BucketEncryption (encryption: BucketEncryption.S3_MANAGED or KMS).',
    emulator: 'partial',
    anchors: 'SH S3.4',
  },
  {
    id: 's3-default-encryption-kms',
    title: 'S3 bucket encrypts with KMS by default',
    family: 's3',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [S3_BUCKET],
    scope: 'atomic',
    fix: 'bucket-kms-encryption',
    params: { kmsKeyArns: KMS_KEY_ARNS },
    iamActions: ['s3:GetEncryptionConfiguration', 'kms:DescribeKey'],
    remediation: 'Use SSE-KMS (encryption: BucketEncryption.KMS with a customer managed key).',
    emulator: 'partial',
    anchors: 'SH S3.17 · Prowler s3_bucket_kms_encryption',
  },
  {
    id: 's3-bucket-versioning-enabled',
    title: 'S3 bucket has versioning enabled',
    family: 's3',
    origin: 'aws-config',
    severity: 'low',
    pillar: 'reliability',
    resourceTypes: [S3_BUCKET],
    scope: 'atomic',
    params: {
      isMfaDeleteEnabled: { type: 'boolean', description: 'Also require MFA delete', default: false },
    },
    iamActions: ['s3:GetBucketVersioning'],
    remediation: 'Enable versioning (versioned: true).',
    emulator: 'yes',
    anchors: 'SH S3.14 · Prowler s3_bucket_object_versioning',
  },
  {
    id: 's3-bucket-logging-enabled',
    title: 'S3 bucket has server access logging',
    family: 's3',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'operational-excellence',
    resourceTypes: [S3_BUCKET],
    scope: 'atomic',
    params: {
      targetBucket: { type: 'text', description: 'Required target bucket name' },
      targetPrefix: { type: 'text', description: 'Required target prefix' },
    },
    iamActions: ['s3:GetBucketLogging'],
    remediation:
      'Set serverAccessLogsBucket; suppress this check on the access-log bucket itself, with a reason.',
    emulator: 'yes',
    anchors: 'SH S3.9 · AwsSolutions-S1',
  },
  {
    id: 's3-bucket-replication-enabled',
    title: 'S3 bucket replicates its objects',
    family: 's3',
    origin: 'aws-config',
    severity: 'low',
    pillar: 'reliability',
    resourceTypes: [S3_BUCKET],
    scope: 'atomic',
    params: {
      ReplicationType: {
        type: 'text',
        values: ['CROSS-REGION', 'SAME-REGION'],
        description: 'CROSS-REGION or SAME-REGION (optional)',
      },
    },
    iamActions: ['s3:GetReplicationConfiguration', 's3:GetBucketLocation'],
    remediation:
      'Add a ReplicationConfiguration with an enabled rule to a bucket in another region or account.',
    emulator: 'yes',
    anchors: 'SH S3.7 (cross-region variant)',
  },
  {
    id: 's3-bucket-acl-prohibited',
    title: 'S3 bucket disables ACLs (BucketOwnerEnforced)',
    family: 's3',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [S3_BUCKET],
    scope: 'atomic',
    params: {},
    iamActions: ['s3:GetBucketOwnershipControls'],
    remediation: 'Set objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED.',
    emulator: 'yes',
    anchors: 'SH S3.12 · Prowler s3_bucket_acl_prohibited',
  },
  {
    id: 's3-version-lifecycle-policy-check',
    title: 'Versioned S3 bucket has a lifecycle policy',
    family: 's3',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'cost',
    resourceTypes: [S3_BUCKET],
    scope: 'atomic',
    params: {},
    iamActions: ['s3:GetBucketVersioning', 's3:GetLifecycleConfiguration'],
    remediation: 'Add an enabled lifecycle rule, ideally with NoncurrentVersionExpiration.',
    emulator: 'yes',
    anchors: 'SH S3.10',
  },
  {
    id: 's3-account-level-public-access-blocks-periodic',
    title: 'Account blocks S3 public access',
    family: 's3',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [STACK_RESOURCE_TYPE],
    scope: 'holistic',
    params: {
      BlockPublicAcls: { type: 'boolean', description: 'Require BlockPublicAcls', default: true },
      IgnorePublicAcls: { type: 'boolean', description: 'Require IgnorePublicAcls', default: true },
      BlockPublicPolicy: { type: 'boolean', description: 'Require BlockPublicPolicy', default: true },
      RestrictPublicBuckets: { type: 'boolean', description: 'Require RestrictPublicBuckets', default: true },
    },
    iamActions: ['s3:GetAccountPublicAccessBlock'],
    remediation: 'Turn on the account-level S3 Block Public Access settings.',
    emulator: 'partial',
    anchors: 'SH S3.1',
  },

  // ── DynamoDB ──────────────────────────────────────────────────────────────────────────────────
  {
    id: 'dynamodb-table-encrypted-kms',
    title: 'DynamoDB table is encrypted with a KMS key',
    family: 'dynamodb',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [DYNAMODB_TABLE, DYNAMODB_GLOBAL_TABLE],
    scope: 'atomic',
    params: { kmsKeyArns: KMS_KEY_ARNS },
    iamActions: ['dynamodb:DescribeTable'],
    remediation: 'Set encryption: TableEncryption.CUSTOMER_MANAGED (or AWS_MANAGED).',
    emulator: 'partial',
    anchors: 'Prowler dynamodb_tables_kms_cmk_encryption_enabled',
    departures: [GLOBAL_TABLES],
  },
  {
    id: 'dynamodb-pitr-enabled',
    title: 'DynamoDB table has point-in-time recovery',
    family: 'dynamodb',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'reliability',
    resourceTypes: [DYNAMODB_TABLE, DYNAMODB_GLOBAL_TABLE],
    scope: 'atomic',
    params: {},
    iamActions: ['dynamodb:DescribeContinuousBackups'],
    remediation: 'Set pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }.',
    emulator: 'yes',
    anchors: 'SH DynamoDB.2 · AwsSolutions-DDB3',
    departures: [GLOBAL_TABLES],
  },
  {
    id: 'dynamodb-resources-protected-by-backup-plan',
    title: 'DynamoDB table is covered by an AWS Backup plan',
    family: 'dynamodb',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'reliability',
    resourceTypes: [DYNAMODB_TABLE, DYNAMODB_GLOBAL_TABLE],
    scope: 'atomic',
    judgesThrough: [BACKUP_SELECTION],
    params: {},
    iamActions: [
      'backup:ListBackupPlans',
      'backup:ListBackupSelections',
      'backup:GetBackupSelection',
      'dynamodb:ListTagsOfResource',
    ],
    remediation: 'Add the table to a backup plan selection (by ARN or by tag).',
    emulator: 'no',
    anchors: 'SH DynamoDB.4 · Prowler dynamodb_table_protected_by_backup_plan',
    departures: [GLOBAL_TABLES],
  },
  {
    id: 'dynamodb-autoscaling-enabled',
    title: 'DynamoDB table scales its capacity',
    family: 'dynamodb',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'performance',
    resourceTypes: [DYNAMODB_TABLE, DYNAMODB_GLOBAL_TABLE],
    scope: 'atomic',
    judgesThrough: TABLE_SCALING,
    params: {
      minProvisionedReadCapacity: {
        type: 'number',
        description: 'Required MinCapacity of every read scalable target',
      },
      maxProvisionedReadCapacity: {
        type: 'number',
        description: 'Required MaxCapacity of every read scalable target',
      },
      targetReadUtilization: {
        type: 'number',
        description: 'Required target-tracking TargetValue for read capacity (%)',
      },
      minProvisionedWriteCapacity: {
        type: 'number',
        description: 'Required MinCapacity of every write scalable target',
      },
      maxProvisionedWriteCapacity: {
        type: 'number',
        description: 'Required MaxCapacity of every write scalable target',
      },
      targetWriteUtilization: {
        type: 'number',
        description: 'Required target-tracking TargetValue for write capacity (%)',
      },
    },
    iamActions: [
      'dynamodb:DescribeTable',
      'application-autoscaling:DescribeScalableTargets',
      'application-autoscaling:DescribeScalingPolicies',
    ],
    remediation:
      'Use PAY_PER_REQUEST billing, or autoScaleReadCapacity/autoScaleWriteCapacity on the table and every GSI.',
    emulator: 'yes',
    anchors: 'SH DynamoDB.1',
    departures: [GLOBAL_TABLES],
  },
  {
    id: 'dynamodb-throughput-limit-check',
    title: 'Provisioned DynamoDB throughput stays below the account limits',
    family: 'dynamodb',
    origin: 'aws-config',
    severity: 'low',
    pillar: 'performance',
    resourceTypes: [STACK_RESOURCE_TYPE],
    scope: 'holistic',
    params: {
      accountRCUThresholdPercentage: {
        type: 'number',
        description: 'Max % of the account read capacity',
        default: 80,
      },
      accountWCUThresholdPercentage: {
        type: 'number',
        description: 'Max % of the account write capacity',
        default: 80,
      },
    },
    iamActions: ['dynamodb:DescribeLimits', 'dynamodb:ListTables', 'dynamodb:DescribeTable'],
    remediation: 'Move tables to on-demand capacity or request a higher account limit.',
    emulator: 'yes',
  },
  {
    id: 'dynamodb-table-deletion-protection-enabled',
    title: 'DynamoDB table has deletion protection',
    family: 'dynamodb',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'reliability',
    resourceTypes: [DYNAMODB_TABLE, DYNAMODB_GLOBAL_TABLE],
    scope: 'atomic',
    params: {},
    iamActions: ['dynamodb:DescribeTable'],
    remediation: 'Set deletionProtection: true.',
    emulator: 'yes',
    anchors: 'SH DynamoDB.6',
    departures: [GLOBAL_TABLES],
  },

  // ── Lambda ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'lambda-function-public-access-prohibited',
    title: 'Lambda function policy does not allow public invocation',
    family: 'lambda',
    origin: 'aws-config',
    severity: 'critical',
    pillar: 'security',
    resourceTypes: [LAMBDA_FUNCTION],
    scope: 'atomic',
    judgesThrough: [LAMBDA_PERMISSION, FUNCTION_ALIAS],
    params: {},
    iamActions: ['lambda:GetPolicy', 'lambda:ListAliases'],
    remediation: 'Scope every lambda:InvokeFunction permission with a SourceArn or SourceAccount condition.',
    emulator: 'yes',
    anchors: 'SH Lambda.1 · Prowler awslambda_function_not_publicly_accessible',
  },
  {
    id: 'lambda-function-settings-check',
    title: 'Lambda function runs a supported runtime with the expected settings',
    family: 'lambda',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [LAMBDA_FUNCTION],
    scope: 'atomic',
    params: {
      runtime: {
        type: 'list',
        description: `Allowed runtimes (default: Lambda's runtimes not deprecated on ${RUNTIMES_REVIEWED}, the list's last review)`,
        default: supportedRuntimes(),
      },
      role: { type: 'text', description: 'Required execution role ARN' },
      timeout: { type: 'number', description: 'Required timeout in seconds' },
      memorySize: { type: 'number', description: 'Required memory size in MB' },
    },
    iamActions: ['lambda:GetFunctionConfiguration'],
    remediation: 'Move the function to a supported runtime (nodejs22.x or later for Node.js).',
    emulator: 'yes',
    anchors: 'SH Lambda.2 · AwsSolutions-L1',
    departures: [
      {
        param: 'runtime',
        config: 'required, no default',
        fitgate: `the runtimes Lambda had not deprecated on ${RUNTIMES_REVIEWED} (functions/checks/lambda/runtimes.ts)`,
        reason: 'a deprecated runtime gets no security patches; the check should work without setup',
      },
      {
        param: 'timeout, memorySize',
        config: 'defaults 3 and 128',
        fitgate: 'compared only when configured',
        reason: 'Config’s defaults would fail every function sized for its work',
      },
    ],
  },
  {
    id: 'lambda-function-url-auth-required',
    title: 'Lambda function URL requires IAM auth',
    family: 'lambda',
    origin: 'fitgate',
    severity: 'high',
    pillar: 'security',
    resourceTypes: [LAMBDA_FUNCTION],
    scope: 'atomic',
    judgesThrough: [FUNCTION_URL, FUNCTION_ALIAS],
    params: {},
    iamActions: ['lambda:GetFunctionUrlConfig', 'lambda:ListFunctionUrlConfigs', 'lambda:ListAliases'],
    remediation: 'Use authType: FunctionUrlAuthType.AWS_IAM, or put the function behind an authorised API.',
    emulator: 'partial',
    anchors: 'cdk-nag LambdaFunctionUrlAuth · Prowler awslambda_function_url_public',
  },
  {
    id: 'lambda-function-no-secrets-in-env',
    title: 'Lambda environment holds no secrets',
    family: 'lambda',
    origin: 'fitgate',
    severity: 'critical',
    pillar: 'security',
    resourceTypes: [LAMBDA_FUNCTION],
    scope: 'atomic',
    params: {},
    iamActions: ['lambda:GetFunctionConfiguration'],
    remediation:
      'Keep secrets in Secrets Manager or SSM Parameter Store and pass their names, not their values.',
    emulator: 'yes',
    anchors: 'Prowler awslambda_function_no_secrets_in_variables',
  },
  {
    id: 'lambda-dlq-check',
    title: 'Lambda function has a dead-letter queue or on-failure destination',
    family: 'lambda',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'reliability',
    resourceTypes: [LAMBDA_FUNCTION],
    scope: 'atomic',
    judgesThrough: [EVENT_INVOKE_CONFIG, FUNCTION_ALIAS, SERVED_VERSION],
    params: {
      dlqArns: { type: 'list', description: 'Allowed DLQ ARNs (empty: any)', default: [] },
      acceptOnFailureDestination: {
        type: 'boolean',
        description: 'An async OnFailure destination also passes',
        default: true,
      },
    },
    iamActions: [
      'lambda:GetFunctionConfiguration',
      'lambda:GetFunctionEventInvokeConfig',
      'lambda:ListAliases',
    ],
    remediation:
      'Set deadLetterQueue or onFailure; suppress for functions only invoked synchronously, with a reason.',
    emulator: 'partial',
    anchors: 'cdk-nag LambdaDLQ · Prowler awslambda_function_no_dead_letter_queue',
    departures: [
      {
        param: 'acceptOnFailureDestination',
        config: 'not a parameter: only DeadLetterConfig counts',
        fitgate: 'true: an asynchronous OnFailure destination also passes',
        reason: 'Lambda recommends on-failure destinations over DLQs; both keep failed events',
      },
    ],
  },
  {
    id: 'lambda-function-xray-enabled',
    title: 'Lambda function has active X-Ray tracing',
    family: 'lambda',
    origin: 'aws-config',
    severity: 'low',
    pillar: 'operational-excellence',
    resourceTypes: [LAMBDA_FUNCTION],
    scope: 'atomic',
    params: {},
    iamActions: ['lambda:GetFunctionConfiguration'],
    remediation: 'Set tracing: Tracing.ACTIVE.',
    emulator: 'yes',
    anchors: 'SH Lambda.7 · cdk-nag LambdaTracing',
  },
  {
    id: 'lambda-concurrency-check',
    title: 'Lambda function has reserved concurrency',
    family: 'lambda',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'reliability',
    resourceTypes: [LAMBDA_FUNCTION],
    scope: 'atomic',
    params: {
      ConcurrencyLimitLow: { type: 'number', description: 'Lowest allowed reserved concurrency' },
      ConcurrencyLimitHigh: { type: 'number', description: 'Highest allowed reserved concurrency' },
    },
    iamActions: ['lambda:GetFunctionConcurrency'],
    remediation: 'Set reservedConcurrentExecutions to bound the blast radius of a traffic spike.',
    emulator: 'yes',
  },
  {
    id: 'lambda-function-log-retention',
    title: 'Lambda log group exists and expires its logs',
    family: 'lambda',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'cost',
    resourceTypes: [LAMBDA_FUNCTION],
    scope: 'atomic',
    params: { minRetentionDays: { type: 'number', description: 'Minimum retention in days', default: 1 } },
    iamActions: ['lambda:GetFunctionConfiguration', 'logs:DescribeLogGroups'],
    remediation: 'Create the log group with a retention (logRetention / logGroup with retention).',
    emulator: 'partial',
    anchors: 'cdk-nag Serverless CloudWatchLogGroupRetentionPeriod',
  },

  // ── API Gateway ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'api-gw-execution-logging-enabled',
    title: 'API Gateway stage has execution logging',
    family: 'apigateway',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'operational-excellence',
    resourceTypes: [API_STAGE],
    scope: 'atomic',
    judgesThrough: [STAGE_DEPLOYMENT],
    params: {
      loggingLevel: { type: 'list', description: 'Accepted logging levels', default: ['ERROR', 'INFO'] },
    },
    iamActions: ['apigateway:GET', ...STAGE_LOOKUP_ACTIONS],
    remediation: 'Set deployOptions.loggingLevel to ERROR or INFO for "*/*".',
    emulator: 'yes',
    anchors: 'SH APIGateway.1 · AwsSolutions-APIG6',
  },
  {
    id: 'apigateway-stage-access-logs-enabled',
    title: 'API Gateway stage has access logging',
    family: 'apigateway',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'operational-excellence',
    resourceTypes: [API_STAGE],
    scope: 'atomic',
    judgesThrough: [STAGE_DEPLOYMENT],
    params: {
      requireJsonFormat: {
        type: 'boolean',
        description: 'The access log format must be JSON',
        default: false,
      },
    },
    iamActions: ['apigateway:GET', ...STAGE_LOOKUP_ACTIONS],
    remediation: 'Set deployOptions.accessLogDestination and a JSON accessLogFormat.',
    emulator: 'yes',
    anchors: 'AwsSolutions-APIG1',
  },
  {
    id: 'api-gw-authorization-configured',
    title: 'API Gateway methods require authorization',
    family: 'apigateway',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [API_REST_API],
    scope: 'atomic',
    judgesThrough: REST_API_METHODS,
    params: {},
    iamActions: ['apigateway:GET'],
    remediation:
      'Give every non-OPTIONS method an IAM, Cognito or Lambda authorizer; suppress public webhooks with a reason.',
    emulator: 'yes',
    anchors: 'AwsSolutions-APIG4 · Prowler apigateway_restapi_authorizers_enabled',
  },
  {
    id: 'api-gw-associated-with-waf',
    title: 'API Gateway stage is protected by AWS WAF',
    family: 'apigateway',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [API_STAGE],
    scope: 'atomic',
    judgesThrough: [STAGE_DEPLOYMENT, WAF_ASSOCIATION],
    params: { WebAclArns: { type: 'list', description: 'Allowed web ACL ARNs (empty: any)', default: [] } },
    iamActions: ['apigateway:GET', ...STAGE_LOOKUP_ACTIONS],
    remediation: 'Associate a WAFv2 web ACL with the stage (CfnWebACLAssociation).',
    emulator: 'yes',
    anchors: 'SH APIGateway.4 · AwsSolutions-APIG3',
  },
  {
    id: 'api-gw-xray-enabled',
    title: 'API Gateway stage has X-Ray tracing',
    family: 'apigateway',
    origin: 'aws-config',
    severity: 'low',
    pillar: 'operational-excellence',
    resourceTypes: [API_STAGE],
    scope: 'atomic',
    judgesThrough: [STAGE_DEPLOYMENT],
    params: {},
    iamActions: ['apigateway:GET', ...STAGE_LOOKUP_ACTIONS],
    remediation: 'Set deployOptions.tracingEnabled: true.',
    emulator: 'yes',
    anchors: 'SH APIGateway.3',
  },
  {
    id: 'api-gw-custom-throttling',
    title: 'API Gateway stage sets its own throttling',
    family: 'apigateway',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'reliability',
    resourceTypes: [API_STAGE],
    scope: 'atomic',
    judgesThrough: [STAGE_DEPLOYMENT, USAGE_PLAN],
    params: {},
    iamActions: ['apigateway:GET', ...STAGE_LOOKUP_ACTIONS],
    remediation:
      'Set deployOptions.throttlingRateLimit/throttlingBurstLimit, or a usage plan with throttling.',
    emulator: 'partial',
    anchors: 'cdk-nag Serverless APIGWDefaultThrottling',
  },

  {
    id: 'api-gwv2-access-logs-enabled',
    title: 'HTTP/WebSocket API stage has access logging',
    family: 'apigateway',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'operational-excellence',
    resourceTypes: [HTTP_STAGE],
    scope: 'atomic',
    judgesThrough: [HTTP_STAGE_DEPLOYMENT],
    params: {},
    iamActions: ['apigateway:GET', ...STAGE_LOOKUP_ACTIONS],
    remediation:
      'Set accessLogSettings on the stage (HttpStage accessLogSettings, or CfnStage AccessLogSettings).',
    emulator: 'yes',
    anchors: 'SH APIGateway.9 · AwsSolutions-APIG1',
  },
  {
    id: 'api-gwv2-authorization-type-configured',
    title: 'HTTP API routes (WebSocket $connect) require authorization',
    family: 'apigateway',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [HTTP_API],
    scope: 'atomic',
    judgesThrough: HTTP_API_ROUTES,
    params: {
      authorizationType: {
        type: 'text',
        values: ['AWS_IAM', 'CUSTOM', 'JWT'],
        description: 'The authorization type every route must use (empty: any but NONE)',
      },
    },
    iamActions: ['apigateway:GET'],
    remediation: 'Give every route an IAM, Lambda or JWT authorizer (defaultAuthorizer on the HttpApi).',
    emulator: 'yes',
    anchors: 'SH APIGateway.8 · AwsSolutions-APIG4',
    departures: [
      {
        config: 'evaluates each AWS::ApiGatewayV2::Route',
        fitgate:
          'evaluates each AWS::ApiGatewayV2::Api over all its routes ($connect only for WebSocket APIs)',
        reason:
          'one verdict per API names every open route; routes created outside the template are seen too',
      },
    ],
  },
  {
    id: 'api-gwv2-custom-throttling',
    title: 'HTTP/WebSocket API stage sets its own throttling',
    family: 'apigateway',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'reliability',
    resourceTypes: [HTTP_STAGE],
    scope: 'atomic',
    judgesThrough: [HTTP_STAGE_DEPLOYMENT],
    params: {},
    iamActions: ['apigateway:GET', ...STAGE_LOOKUP_ACTIONS],
    remediation: 'Set defaultRouteSettings throttlingBurstLimit and throttlingRateLimit on the stage.',
    emulator: 'yes',
    anchors: 'Serverless APIGWDefaultThrottling',
  },

  // ── Step Functions ────────────────────────────────────────────────────────────────────────────
  {
    id: 'step-functions-state-machine-logging-enabled',
    title: 'State machine logs to CloudWatch Logs',
    family: 'stepfunctions',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'operational-excellence',
    resourceTypes: [STATE_MACHINE],
    scope: 'atomic',
    params: {
      logLevel: {
        type: 'text',
        values: ['ALL', 'ERROR', 'FATAL'],
        description: 'Minimum level: ALL, ERROR or FATAL',
      },
      cloudWatchLogGroupArns: {
        type: 'list',
        description: 'Allowed log group ARNs (empty: any)',
        default: [],
      },
    },
    iamActions: ['states:DescribeStateMachine'],
    remediation: 'Set logs: { destination, level: LogLevel.ALL }.',
    emulator: 'yes',
    anchors: 'SH StepFunctions.1 · AwsSolutions-SF1',
  },
  {
    id: 'step-functions-state-machine-xray-enabled',
    title: 'State machine has X-Ray tracing',
    family: 'stepfunctions',
    origin: 'fitgate',
    severity: 'low',
    pillar: 'operational-excellence',
    resourceTypes: [STATE_MACHINE],
    scope: 'atomic',
    params: {},
    iamActions: ['states:DescribeStateMachine'],
    remediation: 'Set tracingEnabled: true.',
    emulator: 'yes',
    anchors: 'AwsSolutions-SF2',
  },
  {
    id: 'step-functions-state-machine-encrypted-with-cmk',
    title: 'State machine is encrypted with a customer managed key',
    family: 'stepfunctions',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [STATE_MACHINE],
    scope: 'atomic',
    params: {},
    iamActions: ['states:DescribeStateMachine'],
    remediation: 'Set encryptionConfiguration: new CustomerManagedEncryptionConfiguration(key).',
    emulator: 'yes',
    anchors: 'Prowler stepfunctions_statemachine_encrypted_with_cmk',
  },
  {
    id: 'step-functions-state-machine-no-secrets-in-definition',
    title: 'State machine definition holds no secrets',
    family: 'stepfunctions',
    origin: 'fitgate',
    severity: 'critical',
    pillar: 'security',
    resourceTypes: [STATE_MACHINE],
    scope: 'atomic',
    params: {},
    iamActions: ['states:DescribeStateMachine'],
    remediation: 'Read secrets at run time from Secrets Manager instead of writing them into the definition.',
    emulator: 'yes',
    anchors: 'Prowler stepfunctions_statemachine_no_secrets_in_definition',
  },

  // ── SQS ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'sqs-queue-encrypted',
    title: 'SQS queue is encrypted at rest',
    family: 'sqs',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [SQS_QUEUE],
    scope: 'atomic',
    params: {},
    iamActions: ['sqs:GetQueueAttributes'],
    remediation: 'Set encryption: QueueEncryption.SQS_MANAGED or KMS.',
    emulator: 'yes',
    anchors: 'SH SQS.1 · AwsSolutions-SQS2',
  },
  {
    id: 'sqs-queue-no-public-access',
    title: 'SQS queue policy is not public',
    family: 'sqs',
    origin: 'fitgate',
    severity: 'critical',
    pillar: 'security',
    resourceTypes: [SQS_QUEUE],
    scope: 'atomic',
    judgesThrough: [QUEUE_POLICY],
    fix: 'queue-policy',
    params: {},
    iamActions: ['sqs:GetQueueAttributes'],
    remediation: 'Pin every "*" principal with aws:SourceArn or aws:SourceAccount.',
    emulator: 'yes',
    anchors: 'SH SQS.3 · Prowler sqs_queues_not_publicly_accessible',
  },
  {
    id: 'sqs-queue-dlq-check',
    title: 'SQS queue has a dead-letter queue',
    family: 'sqs',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'reliability',
    resourceTypes: [SQS_QUEUE],
    scope: 'atomic',
    params: {},
    iamActions: ['sqs:GetQueueAttributes', 'sqs:ListDeadLetterSourceQueues'],
    remediation: 'Set deadLetterQueue: { queue, maxReceiveCount }.',
    emulator: 'yes',
    anchors: 'AwsSolutions-SQS3',
  },
  {
    id: 'sqs-queue-ssl-requests-only',
    title: 'SQS queue policy denies requests without TLS',
    family: 'sqs',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [SQS_QUEUE],
    scope: 'atomic',
    judgesThrough: [QUEUE_POLICY],
    fix: 'queue-policy',
    params: {},
    iamActions: ['sqs:GetQueueAttributes'],
    remediation: 'Set enforceSSL: true.',
    emulator: 'yes',
    anchors: 'AwsSolutions-SQS4',
  },

  // ── SNS ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'sns-encrypted-kms',
    title: 'SNS topic is encrypted with KMS',
    family: 'sns',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [SNS_TOPIC],
    scope: 'atomic',
    params: { kmsKeyIds: { type: 'list', description: 'Allowed key ids/ARNs (empty: any)', default: [] } },
    iamActions: ['sns:GetTopicAttributes'],
    remediation: 'Set masterKey on the topic.',
    emulator: 'yes',
    anchors: 'SH SNS.1 · Prowler sns_topics_kms_encryption_at_rest_enabled',
  },
  {
    id: 'sns-topic-no-public-access',
    title: 'SNS topic policy is not public',
    family: 'sns',
    origin: 'fitgate',
    severity: 'high',
    pillar: 'security',
    resourceTypes: [SNS_TOPIC],
    scope: 'atomic',
    judgesThrough: TOPIC_POLICIES,
    fix: 'topic-policy',
    params: {},
    iamActions: ['sns:GetTopicAttributes'],
    remediation: 'Pin every "*" principal with aws:SourceOwner, aws:SourceAccount or aws:SourceArn.',
    emulator: 'yes',
    anchors: 'SH SNS.4',
  },
  {
    id: 'sns-topic-ssl-publish-only',
    title: 'SNS topic policy denies publishing without TLS',
    family: 'sns',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [SNS_TOPIC],
    scope: 'atomic',
    judgesThrough: TOPIC_POLICIES,
    fix: 'topic-policy',
    params: {},
    iamActions: ['sns:GetTopicAttributes'],
    remediation: 'Set enforceSSL: true.',
    emulator: 'yes',
    anchors: 'AwsSolutions-SNS3',
  },

  // ── IAM ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'iam-policy-no-statements-with-admin-access',
    title: 'IAM policies grant no "*" on every resource',
    family: 'iam',
    origin: 'aws-config',
    severity: 'high',
    pillar: 'security',
    resourceTypes: [IAM_MANAGED_POLICY, ...IAM_ENTITIES],
    scope: 'atomic',
    judgesThrough: INLINE_POLICIES,
    fix: 'identity-policy-actions',
    params: { excludePermissionBoundaryPolicy: EXCLUDE_BOUNDARIES },
    iamActions: IDENTITY_POLICY_ACTIONS,
    remediation: 'Replace Action "*" with the actions the role needs (grant* methods in CDK).',
    emulator: 'yes',
    anchors: 'SH IAM.1 · Prowler iam_inline_policy_no_administrative_privileges',
    departures: [
      {
        config: 'evaluates customer managed policies (AWS::IAM::Policy)',
        fitgate: 'also the inline and attached (AWS managed included) policies of each role, user and group',
        reason: 'an entity is granted what all its policies grant, and CDK writes most grants inline',
      },
    ],
  },
  {
    id: 'iam-policy-no-statements-with-full-access',
    title: 'IAM policies grant no whole service ("service:*")',
    family: 'iam',
    origin: 'aws-config',
    severity: 'low',
    pillar: 'security',
    resourceTypes: [IAM_MANAGED_POLICY, ...IAM_ENTITIES],
    scope: 'atomic',
    judgesThrough: INLINE_POLICIES,
    fix: 'identity-policy-actions',
    params: { excludePermissionBoundaryPolicy: EXCLUDE_BOUNDARIES },
    iamActions: IDENTITY_POLICY_ACTIONS,
    remediation: 'List the actions instead of "<service>:*".',
    emulator: 'yes',
    anchors: 'SH IAM.21 · AwsSolutions-IAM5',
    departures: [
      {
        config: 'evaluates customer managed policies (AWS::IAM::Policy)',
        fitgate: 'also the inline and attached (AWS managed included) policies of each role, user and group',
        reason: 'an entity is granted what all its policies grant, and CDK writes most grants inline',
      },
    ],
  },
  {
    id: 'iam-policy-blacklisted-check',
    title: 'No blocked managed policy is attached to a role, user or group',
    family: 'iam',
    origin: 'aws-config',
    severity: 'high',
    pillar: 'security',
    resourceTypes: IAM_ENTITIES,
    scope: 'atomic',
    params: {
      policyArns: {
        type: 'list',
        description: 'Blocked policy ARNs',
        default: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      },
      exceptionList: {
        type: 'text',
        description: 'Exempt entities, as Config writes them: users:[u1;u2], groups:[g1], roles:[r1;r2]',
      },
    },
    iamActions: ATTACHED_POLICY_ACTIONS,
    remediation: 'Detach AdministratorAccess and grant only what the role needs.',
    emulator: 'yes',
    anchors: 'Prowler iam_role_administratoraccess_policy',
  },
  {
    id: 'iam-inline-policy-blocked-kms-actions',
    title: 'Inline policies allow no blocked KMS action on all keys',
    family: 'iam',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: IAM_ENTITIES,
    scope: 'atomic',
    judgesThrough: INLINE_POLICIES,
    params: { blockedActionsPatterns: BLOCKED_KMS_ACTIONS },
    iamActions: INLINE_POLICY_ACTIONS,
    remediation: 'Scope kms:Decrypt to the key ARNs the role uses (key.grantDecrypt(role)).',
    emulator: 'yes',
    anchors: 'SH KMS.2',
    departures: [BLOCKED_KMS_DEFAULT],
  },
  {
    id: 'iam-customer-policy-blocked-kms-actions',
    title: 'Customer managed policies allow no blocked KMS action on all keys',
    family: 'iam',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [IAM_MANAGED_POLICY, ...IAM_ENTITIES],
    scope: 'atomic',
    params: {
      blockedActionsPatterns: BLOCKED_KMS_ACTIONS,
      excludePermissionBoundaryPolicy: EXCLUDE_BOUNDARIES,
    },
    iamActions: [...ATTACHED_POLICY_ACTIONS, ...MANAGED_POLICY_ACTIONS],
    remediation: 'Scope kms:Decrypt to the key ARNs the role uses.',
    emulator: 'yes',
    anchors: 'SH KMS.1',
    departures: [
      BLOCKED_KMS_DEFAULT,
      {
        config: 'evaluates each customer managed policy (AWS::IAM::Policy)',
        fitgate:
          'the stack’s managed policies, and the customer managed policies attached to its roles, users and groups',
        reason: 'a policy from outside the stack still grants the stack’s entities',
      },
    ],
  },

  // ── CloudWatch Logs ───────────────────────────────────────────────────────────────────────────
  {
    id: 'cw-loggroup-retention-period-check',
    title: 'Log group keeps logs long enough',
    family: 'logs',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'operational-excellence',
    resourceTypes: [LOG_GROUP],
    scope: 'atomic',
    params: {
      MinRetentionTime: { type: 'number', description: 'Minimum retention in days (1–3653)', default: 365 },
      LogGroupNames: {
        type: 'list',
        description: 'Only these log groups are in scope (empty: all)',
        default: [],
      },
    },
    iamActions: ['logs:DescribeLogGroups'],
    remediation: 'Set retention to at least the required number of days.',
    emulator: 'yes',
    anchors: 'SH CloudWatch.16',
  },
  {
    id: 'cloudwatch-log-group-encrypted',
    title: 'Log group is encrypted with a KMS key',
    family: 'logs',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [LOG_GROUP],
    scope: 'atomic',
    params: { KmsKeyId: { type: 'text', description: 'Required key ARN' } },
    iamActions: ['logs:DescribeLogGroups'],
    remediation: 'Set encryptionKey on the log group.',
    emulator: 'yes',
    anchors: 'Prowler cloudwatch_log_group_kms_encryption_enabled',
  },

  // ── KMS ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'kms-key-policy-no-public-access',
    title: 'KMS key policy is not public',
    family: 'kms',
    origin: 'fitgate',
    severity: 'critical',
    pillar: 'security',
    resourceTypes: [KMS_KEY],
    scope: 'atomic',
    params: {},
    iamActions: ['kms:GetKeyPolicy'],
    remediation: 'Remove "*" principals from the key policy, or pin them with conditions.',
    emulator: 'yes',
    anchors: 'SH KMS.5 · Prowler kms_key_not_publicly_accessible',
  },
  {
    id: 'kms-cmk-not-scheduled-for-deletion',
    title: 'KMS key is not scheduled for deletion',
    family: 'kms',
    origin: 'aws-config',
    severity: 'critical',
    pillar: 'reliability',
    resourceTypes: [KMS_KEY],
    scope: 'atomic',
    params: {},
    iamActions: ['kms:DescribeKey'],
    remediation: 'Cancel the key deletion (CancelKeyDeletion) if anything still uses the key.',
    emulator: 'yes',
    anchors: 'SH KMS.3 · Prowler kms_cmk_not_deleted_unintentionally',
  },
  {
    id: 'cmk-backing-key-rotation-enabled',
    title: 'KMS key rotates automatically',
    family: 'kms',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [KMS_KEY],
    scope: 'atomic',
    params: {},
    iamActions: ['kms:DescribeKey', 'kms:GetKeyRotationStatus'],
    remediation: 'Set enableKeyRotation: true.',
    emulator: 'yes',
    anchors: 'SH KMS.4 · AwsSolutions-KMS5',
  },

  // ── CloudWatch ────────────────────────────────────────────────────────────────────────────────
  {
    id: 'cloudwatch-alarm-action-check',
    title: 'Alarm notifies someone when it fires',
    family: 'cloudwatch',
    origin: 'aws-config',
    severity: 'high',
    pillar: 'operational-excellence',
    resourceTypes: [CW_ALARM],
    scope: 'atomic',
    fix: 'alarm-actions',
    params: {
      alarmActionRequired: { type: 'boolean', description: 'AlarmActions must be set', default: true },
      insufficientDataActionRequired: {
        type: 'boolean',
        description: 'InsufficientDataActions must be set',
        default: false,
      },
      okActionRequired: { type: 'boolean', description: 'OKActions must be set', default: false },
      action1: {
        type: 'text',
        description: 'Allowed action ARN (with action1..5 set, only these are allowed)',
      },
      action2: {
        type: 'text',
        description: 'Allowed action ARN (with action1..5 set, only these are allowed)',
      },
      action3: {
        type: 'text',
        description: 'Allowed action ARN (with action1..5 set, only these are allowed)',
      },
      action4: {
        type: 'text',
        description: 'Allowed action ARN (with action1..5 set, only these are allowed)',
      },
      action5: {
        type: 'text',
        description: 'Allowed action ARN (with action1..5 set, only these are allowed)',
      },
    },
    iamActions: ['cloudwatch:DescribeAlarms'],
    remediation: 'Add an alarm action (an SNS topic, or the CodeDeploy group for rollback alarms).',
    emulator: 'yes',
    anchors: 'SH CloudWatch.15',
    departures: [
      {
        param: 'insufficientDataActionRequired',
        config: 'true',
        fitgate: 'false',
        reason:
          'the Security Hub control CloudWatch.15 sets it false; alarms rarely act on INSUFFICIENT_DATA',
      },
    ],
  },
  {
    id: 'cloudwatch-alarm-action-enabled-check',
    title: 'Alarm actions are enabled',
    family: 'cloudwatch',
    origin: 'aws-config',
    severity: 'high',
    pillar: 'operational-excellence',
    resourceTypes: [CW_ALARM],
    scope: 'atomic',
    fix: 'alarm-actions',
    params: {},
    iamActions: ['cloudwatch:DescribeAlarms'],
    remediation: 'Set actionsEnabled: true.',
    emulator: 'yes',
    anchors: 'SH CloudWatch.17',
  },
  {
    id: 'stack-alarm-coverage',
    title: 'Every function, state machine, stage and queue is watched by an alarm',
    family: 'cloudwatch',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'operational-excellence',
    resourceTypes: [LAMBDA_FUNCTION, STATE_MACHINE, API_STAGE, SQS_QUEUE],
    scope: 'holistic',
    params: {},
    iamActions: [
      'cloudwatch:DescribeAlarms',
      'apigateway:GET',
      'sqs:ListDeadLetterSourceQueues',
      ...STAGE_LOOKUP_ACTIONS,
    ],
    remediation:
      'Add an alarm on Errors/Throttles, ExecutionsFailed, 5XXError/Latency or ApproximateAgeOfOldestMessage.',
    emulator: 'yes',
    anchors: 'alarm component of AWS Resilience Hub',
  },

  // ── Secrets Manager ───────────────────────────────────────────────────────────────────────────
  {
    id: 'secretsmanager-rotation-enabled-check',
    title: 'Secret rotates automatically',
    family: 'secretsmanager',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [SECRET],
    scope: 'atomic',
    judgesThrough: [ROTATION_SCHEDULE],
    params: {
      maximumAllowedRotationFrequency: {
        type: 'number',
        description: 'Longest allowed rotation interval, in days',
      },
      maximumAllowedRotationFrequencyInHours: {
        type: 'number',
        description: 'Longest allowed rotation interval, in hours (wins over days)',
      },
    },
    iamActions: ['secretsmanager:DescribeSecret'],
    remediation: 'Add a rotation schedule (secret.addRotationSchedule, or a hosted rotation).',
    emulator: 'yes',
    anchors: 'SH SecretsManager.1 · AwsSolutions-SMG4 · Prowler secretsmanager_automatic_rotation_enabled',
  },
  {
    id: 'secretsmanager-using-cmk',
    title: 'Secret is encrypted with a customer managed key',
    family: 'secretsmanager',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'security',
    resourceTypes: [SECRET],
    scope: 'atomic',
    params: { kmsKeyArns: KMS_KEY_ARNS },
    iamActions: ['secretsmanager:DescribeSecret', 'kms:DescribeKey'],
    remediation: 'Set encryptionKey on the secret to a customer managed KMS key.',
    emulator: 'yes',
    anchors: 'Prowler secretsmanager_secret_encrypted_with_cmk',
  },
  {
    id: 'secretsmanager-secret-not-public',
    title: 'Secret resource policy is not public',
    family: 'secretsmanager',
    origin: 'fitgate',
    severity: 'critical',
    pillar: 'security',
    resourceTypes: [SECRET],
    scope: 'atomic',
    judgesThrough: [SECRET_POLICY],
    params: {},
    iamActions: ['secretsmanager:GetResourcePolicy'],
    remediation:
      'Remove "*" principals from the secret policy, or limit them to fixed accounts or an organization.',
    emulator: 'yes',
    anchors: 'Prowler secretsmanager_not_publicly_accessible',
  },

  // ── EventBridge ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'eventbridge-bus-policy-not-public',
    title: 'Event bus policy is not public',
    family: 'events',
    origin: 'fitgate',
    severity: 'high',
    pillar: 'security',
    resourceTypes: [EVENT_BUS],
    scope: 'atomic',
    judgesThrough: [BUS_POLICY],
    params: {},
    iamActions: ['events:DescribeEventBus'],
    remediation: 'Limit PutEvents on the bus to fixed accounts or aws:PrincipalOrgID.',
    emulator: 'yes',
    anchors: 'Prowler eventbridge_bus_exposed',
  },
  {
    id: 'eventbridge-rule-targets-dlq',
    title: 'Every target of an EventBridge rule has a dead-letter queue',
    family: 'events',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'reliability',
    resourceTypes: [EVENT_RULE],
    scope: 'atomic',
    params: {},
    iamActions: ['events:ListTargetsByRule', 'cloudformation:DescribeStacks', ...STAGE_LOOKUP_ACTIONS],
    remediation: 'Give each target a deadLetterQueue (an SQS queue) so undeliverable events are kept.',
    emulator: 'yes',
    anchors: 'Serverless EventBusDLQ',
  },

  // ── Stack-wide and deployment ─────────────────────────────────────────────────────────────────
  {
    id: 'cloudformation-termination-protection-check',
    title: 'Stack has termination protection',
    family: 'stack',
    origin: 'aws-config',
    severity: 'medium',
    pillar: 'reliability',
    resourceTypes: [STACK_RESOURCE_TYPE],
    scope: 'holistic',
    params: {},
    iamActions: ['cloudformation:DescribeStacks'],
    remediation: 'Set terminationProtection: true on the stack.',
    emulator: 'yes',
    anchors: 'Prowler cloudformation_stacks_termination_protection_enabled',
  },
  {
    id: 'cloudformation-stack-outputs-no-secrets',
    title: 'Stack outputs hold no secrets',
    family: 'stack',
    origin: 'fitgate',
    severity: 'critical',
    pillar: 'security',
    resourceTypes: [STACK_RESOURCE_TYPE],
    scope: 'holistic',
    params: {},
    iamActions: ['cloudformation:DescribeStacks'],
    remediation: 'Never output secret values; output the secret ARN instead.',
    emulator: 'yes',
    anchors: 'Prowler cloudformation_stack_outputs_find_secrets',
  },
  {
    id: 'cloudformation-stack-drift-detection-check',
    title: 'Stack has not drifted from its template',
    family: 'stack',
    origin: 'aws-config',
    severity: 'low',
    pillar: 'operational-excellence',
    resourceTypes: [STACK_RESOURCE_TYPE],
    scope: 'holistic',
    params: {
      maxWaitSeconds: { type: 'number', description: 'How long to wait for drift detection', default: 60 },
    },
    iamActions: ['cloudformation:DetectStackDrift', 'cloudformation:DescribeStackDriftDetectionStatus'],
    remediation: 'Redeploy the stack or bring the drifted resources back in line with the template.',
    emulator: 'no',
    departures: [
      {
        param: 'cloudformationRoleArn',
        config: 'required: the role Config assumes to detect drift',
        fitgate: 'not a parameter: drift detection runs as the stack family’s auditor role',
        reason: 'the gate’s own least-privilege role already reads the stack',
      },
    ],
  },
  {
    id: 'lambda-sqs-visibility-timeout',
    title: 'SQS event sources give the function six timeouts of visibility',
    family: 'lambda',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'reliability',
    resourceTypes: [LAMBDA_FUNCTION],
    scope: 'holistic',
    judgesThrough: [EVENT_SOURCE_MAPPING, FUNCTION_ALIAS, SERVED_VERSION],
    params: {},
    iamActions: [
      'lambda:ListEventSourceMappings',
      'lambda:GetFunctionConfiguration',
      'lambda:ListAliases',
      'sqs:GetQueueUrl',
      'sqs:GetQueueAttributes',
    ],
    remediation: "Set the queue's visibilityTimeout to at least 6 × the function timeout.",
    emulator: 'yes',
    anchors: 'cdk-nag LambdaEventSourceSQSVisibilityTimeout',
  },
  {
    id: 'deployment-target-smoke-invoke',
    title: "The deployment's target version answers a smoke invocation",
    family: 'stack',
    origin: 'fitgate',
    severity: 'critical',
    pillar: 'reliability',
    resourceTypes: [STACK_RESOURCE_TYPE],
    scope: 'holistic',
    params: {
      payload: {
        type: 'text',
        description: 'JSON payload of the smoke invocation',
        default: '{"fitgate":"smoke"}',
      },
    },
    iamActions: ['codedeploy:GetDeployment', 'codedeploy:GetApplicationRevision', 'lambda:InvokeFunction'],
    remediation: 'Fix the new version: it raised a FunctionError or answered with a non-2xx status.',
    emulator: 'partial',
    triggers: ['BeforeAllowTraffic', 'AfterAllowTraffic'],
  },
  {
    id: 'deployment-target-error-rate',
    title: "The target version's error rate after traffic shift stays low",
    family: 'stack',
    origin: 'fitgate',
    severity: 'high',
    pillar: 'reliability',
    resourceTypes: [STACK_RESOURCE_TYPE],
    scope: 'holistic',
    params: {
      maxErrorRatePercent: {
        type: 'number',
        description: 'Highest accepted Errors / Invocations, in %',
        default: 1,
      },
      windowMinutes: { type: 'number', description: 'Minutes of metrics to read', default: 10 },
    },
    iamActions: ['codedeploy:GetDeployment', 'codedeploy:GetApplicationRevision', 'cloudwatch:GetMetricData'],
    remediation: 'Roll back and look at the new version’s errors in its logs and X-Ray traces.',
    emulator: 'yes',
    triggers: ['AfterAllowTraffic'],
  },
  {
    id: 'deployment-target-throttles',
    title: 'The target version is not throttled after traffic shift',
    family: 'stack',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'performance',
    resourceTypes: [STACK_RESOURCE_TYPE],
    scope: 'holistic',
    params: { windowMinutes: { type: 'number', description: 'Minutes of metrics to read', default: 10 } },
    iamActions: ['codedeploy:GetDeployment', 'codedeploy:GetApplicationRevision', 'cloudwatch:GetMetricData'],
    remediation: 'Raise reserved or account concurrency, or reduce the load per invocation.',
    emulator: 'yes',
    triggers: ['AfterAllowTraffic'],
  },
  {
    id: 'deployment-target-duration-regression',
    title: 'The target version is not slower than the previous one',
    family: 'stack',
    origin: 'fitgate',
    severity: 'medium',
    pillar: 'performance',
    resourceTypes: [STACK_RESOURCE_TYPE],
    scope: 'holistic',
    params: {
      maxSlowdownPercent: {
        type: 'number',
        description: 'Highest accepted p90 duration increase, in %',
        default: 20,
      },
      windowMinutes: { type: 'number', description: 'Minutes of metrics to read', default: 10 },
    },
    iamActions: ['codedeploy:GetDeployment', 'codedeploy:GetApplicationRevision', 'cloudwatch:GetMetricData'],
    remediation: 'Profile the new version; compare its p90 Duration with the previous version’s.',
    emulator: 'yes',
    triggers: ['AfterAllowTraffic'],
  },
  {
    id: 'deployment-canary-judgment',
    title: 'The target version is not worse than the version it replaces (canary judgment)',
    family: 'stack',
    origin: 'fitgate',
    severity: 'high',
    pillar: 'reliability',
    resourceTypes: [STACK_RESOURCE_TYPE],
    scope: 'holistic',
    // docs/canary.md: the test, the decision rule, and how a conclusive metric supersedes its fixed check.
    params: {
      metrics: {
        type: 'list',
        description: 'Built-in metrics to judge: errorRate, duration, throttles',
        default: ['errorRate', 'duration', 'throttles'],
      },
      durationStat: { type: 'text', description: 'Statistic of Duration per minute', default: 'p90' },
      alpha: { type: 'number', description: 'Significance level of the one-sided test', default: 0.05 },
      minSamples: {
        type: 'number',
        description: 'Fewest per-minute samples each version needs, or the metric is inconclusive',
        default: 5,
      },
      tolerancePercent: {
        type: 'number',
        description: "Smallest worsening of the mean, in % of the baseline's, that fails",
        default: 10,
      },
      maxWindowMinutes: {
        type: 'number',
        description: 'Most minutes read, back from now, of the shift since the deployment was created',
        default: 60,
      },
      inconclusive: {
        type: 'text',
        description: 'Status of an inconclusive judgment',
        values: ['NOT_APPLICABLE', 'ERROR', 'FAIL', 'PASS'],
        default: 'NOT_APPLICABLE',
      },
      userMetrics: {
        type: 'text',
        description: 'JSON array of metrics with a ${version} dimension to judge too (docs/canary.md)',
        default: '[]',
      },
    },
    iamActions: ['codedeploy:GetDeployment', 'codedeploy:GetApplicationRevision', 'cloudwatch:GetMetricData'],
    remediation: 'Roll back; compare the two versions’ metrics in the judgment’s evidence and their logs.',
    emulator: 'partial',
    triggers: ['AfterAllowTraffic'],
  },
];

/**
 * Ids a check had before it took its AWS Config rule's identifier. They still name the check in
 * configuration and waivers, with a deprecation note (checkIdDeprecation).
 */
export const CHECK_ID_ALIASES: Readonly<Record<string, string>> = {
  'api-gw-access-logging-enabled': 'apigateway-stage-access-logs-enabled',
  'cloudformation-stack-termination-protection': 'cloudformation-termination-protection-check',
};

/** The current id of a check: a deprecated alias becomes its new id; any other id is returned as is. */
export function canonicalCheckId(checkId: string): string {
  return CHECK_ID_ALIASES[checkId] ?? checkId;
}

/** The note to show when configuration or a waiver uses a deprecated id; undefined for current ids. */
export function checkIdDeprecation(checkId: string): string | undefined {
  const current = CHECK_ID_ALIASES[checkId];
  return current
    ? `check id ${checkId} is deprecated: it is now ${current} (the AWS Config rule's identifier); the old id still works`
    : undefined;
}

const byId = new Map(registry.map((check) => [check.id, check]));

/** The check of an id (deprecated aliases included). */
export function findCheck(checkId: string): BuiltInCheck | undefined {
  return byId.get(canonicalCheckId(checkId));
}

/** Where a check comes from, as `fitgate checks` shows it. */
export function sourceOf(check: Pick<CheckDefinition, 'origin'>): string {
  switch (check.origin) {
    case 'aws-config':
      return 'AWS Config';
    case 'metric-function':
      return 'user: metric function';
    case 'check-function':
      return 'user: check function';
    default:
      return 'fitgate';
  }
}

/** The AWS Config rule page of a check that implements one. */
export function configRuleUrl(check: CheckDefinition): string | undefined {
  return check.origin === 'aws-config'
    ? `https://docs.aws.amazon.com/config/latest/developerguide/${check.id}.html`
    : undefined;
}

/** The checks one family runs on one resource type for one trigger. */
export function checksFor(family: Family, resourceType: string, trigger: Trigger): BuiltInCheck[] {
  return registry.filter(
    (check) =>
      check.family === family &&
      check.resourceTypes.includes(resourceType) &&
      (check.triggers === undefined || check.triggers.includes(trigger)),
  );
}

/** Families that have a check on a resource type: one work item per (resource, family). */
export function familiesFor(resourceType: string): Family[] {
  return [...new Set(registry.filter((c) => c.resourceTypes.includes(resourceType)).map((c) => c.family))];
}

/**
 * The actions a built-in family's function needs whatever checks it runs: the metric evaluator's
 * (its checks are the user's metric functions). The custom family's only permission is to invoke the
 * functions it serves, granted per function by the construct.
 */
const FAMILY_ACTIONS: Partial<Record<Family, readonly string[]>> = { metrics: METRIC_EVALUATOR_ACTIONS };

/** The IAM actions a family's check Lambda needs: the union of what its checks declare. */
export function iamActionsFor(family: Family): string[] {
  return [
    ...new Set([
      ...(FAMILY_ACTIONS[family] ?? []),
      ...registry.filter((c) => c.family === family).flatMap((c) => c.iamActions),
    ]),
  ].sort();
}
