import { readFileSync } from 'node:fs';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../../functions/checks/types.ts';
import { withGateResources } from '../../functions/list-resources/gate-resources.ts';
import { resolveConfig } from '../../functions/shared/config.ts';
import { ASL_PATH, FAMILY_NAMES, FitnessGate, type FitnessGateProps } from '../../infra/lib/fitness-gate.ts';
import {
  gateStack,
  logicalIdOf,
  newApp,
  resourcesOf,
  sampleStack,
  statementsOfRole,
  variablesOf,
} from './synth.ts';

const GATE_FUNCTIONS = [
  ...FAMILIES.map((family) => `${FAMILY_NAMES[family]}Checks`),
  'ListResources',
  'Aggregate',
  'PreTrafficHook',
  'PostTrafficHook',
  'SafetyNet',
  'DeadlineNet/Deadline',
  'OutcomeTracker/Function',
];

function functionLogicalId(stack: Stack, id: string): string {
  return logicalIdOf(stack, `FitnessGate/${id}/Function`);
}

describe('FitnessGate functions', () => {
  const { stack, template } = sampleStack();

  it('runs every gate Lambda on nodejs22.x, ARM, with active tracing and JSON logs in its own log group', () => {
    // Prepare / Act
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    // Assess
    expect(GATE_FUNCTIONS).toHaveLength(23);
    for (const id of GATE_FUNCTIONS) {
      const fn = functions[functionLogicalId(stack, id)];
      expect(fn, id).toBeDefined();
      expect(fn?.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalIdOf(stack, `FitnessGate/${id}/Logs`) } },
        Role: { 'Fn::GetAtt': [logicalIdOf(stack, `FitnessGate/${id}/Role`), 'Arn'] },
      });
    }
  });

  it('gives every gate log group a retention', () => {
    const logGroups = resourcesOf(template, 'AWS::Logs::LogGroup');
    for (const id of [...GATE_FUNCTIONS, 'StateMachineLogs']) {
      const logicalId = logicalIdOf(
        stack,
        id === 'StateMachineLogs' ? 'FitnessGate/StateMachineLogs' : `FitnessGate/${id}/Logs`,
      );
      expect(logGroups[logicalId]?.Properties?.RetentionInDays, id).toBe(30);
    }
  });

  it('deploys two hook functions from one entry, each told its lifecycle event and the stacks it guards', () => {
    for (const [id, trigger] of [
      ['PreTrafficHook', 'BeforeAllowTraffic'],
      ['PostTrafficHook', 'AfterAllowTraffic'],
    ] as const) {
      template.hasResource('AWS::Lambda::Function', {
        Properties: Match.objectLike({
          Environment: {
            Variables: {
              NODE_OPTIONS: '--enable-source-maps',
              HOOK_TRIGGER: trigger,
              GUARDED_STACKS: '["FitgateSample"]',
              STATE_MACHINE_ARN: { Ref: logicalIdOf(stack, 'FitnessGate/StateMachine') },
            },
          },
        }),
      });
      expect(resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId(stack, id)]).toBeDefined();
    }
  });

  it('hands the resolved configuration to ListResources and the history table to ListResources and Aggregate', () => {
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    const listResources = functions[functionLogicalId(stack, 'ListResources')];
    const aggregate = functions[functionLogicalId(stack, 'Aggregate')];
    expect(listResources?.Properties?.Environment).toEqual({
      Variables: {
        NODE_OPTIONS: '--enable-source-maps',
        FITGATE_CONFIG: JSON.stringify(resolveConfig()),
        HISTORY_TABLE_NAME: { Ref: logicalIdOf(stack, 'FitnessGate/History') },
        WORK_BUCKET_NAME: { Ref: logicalIdOf(stack, 'FitnessGate/WorkBucket') },
      },
    });
    expect(aggregate?.Properties?.Environment).toEqual({
      Variables: {
        NODE_OPTIONS: '--enable-source-maps',
        HISTORY_TABLE_NAME: { Ref: logicalIdOf(stack, 'FitnessGate/History') },
      },
    });
  });
});

describe('FitnessGate configuration', () => {
  it('serialises policy, λ, check parameters, waivers and Map concurrency into FITGATE_CONFIG', () => {
    // Prepare
    const props: FitnessGateProps = {
      policy: { minFitness: 60, maxRegression: 2, failOnCritical: true, complexityWeight: 0.05 },
      checks: {
        disabled: ['s3-bucket-replication-enabled'],
        params: { 'lambda-concurrency-check': { ConcurrencyLimitLow: 1 } },
      },
      suppressions: [
        {
          checkId: 's3-bucket-logging-enabled',
          logicalId: 'PlainBucket',
          reason: 'a demo bucket without access logs',
        },
      ],
      maxConcurrency: 20,
    };
    // Act
    const { stack, gate } = gateStack(props);
    const template = Template.fromStack(stack);
    // Assess
    const expected = resolveConfig(props);
    expect(gate.config).toEqual(expected);
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    const variables = variablesOf(functions[functionLogicalId(stack, 'ListResources')]);
    expect(JSON.parse(String(variables.FITGATE_CONFIG))).toEqual(expected);
    expect(expected).toMatchObject({
      maxConcurrency: 20,
      policy: { minFitness: 60, maxRegression: 2, complexityWeight: 0.05 },
    });
  });

  it('refuses an invalid policy at synth time, not at the first deployment', () => {
    expect(() => gateStack({ policy: { minFitness: 120 } })).toThrow(/minFitness/);
    expect(() => gateStack({ maxConcurrency: 41 })).toThrow(/maxConcurrency/);
    expect(() =>
      gateStack({
        suppressions: [
          { checkId: 's3-bucket-logging-enabled', logicalId: '*', reason: 'all buckets, forever' },
        ],
      }),
    ).toThrow(/no wildcards/);
  });

  it('refuses an execution timeout CodeDeploy would not wait for', () => {
    expect(() => gateStack({ executionTimeout: Duration.minutes(56) })).toThrow(/at most 55 minutes/);
  });

  it('refuses a configuration too large for a Lambda environment', () => {
    const suppressions = Array.from({ length: 60 }, (_, index) => ({
      checkId: 's3-bucket-logging-enabled',
      logicalId: `Bucket${index}`,
      reason: 'a long enough reason to fill the environment quickly',
    }));
    expect(() => gateStack({ suppressions })).toThrow(/Lambda environments hold 4 KB/);
  });
});

describe('FitnessGate history table', () => {
  it('keys by stack and run, pays per request, is encrypted, has PITR and is retained', () => {
    const { stack, template } = sampleStack();
    const table = resourcesOf(template, 'AWS::DynamoDB::Table')[logicalIdOf(stack, 'FitnessGate/History')];
    expect(table).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'stackName', KeyType: 'HASH' },
          { AttributeName: 'runId', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'stackName', AttributeType: 'S' },
          { AttributeName: 'runId', AttributeType: 'S' },
          { AttributeName: 'deploymentId', AttributeType: 'S' },
        ],
        // The outcome tracker finds a deployment's runs by it; only what `accepted` needs is projected.
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byDeployment',
            KeySchema: [
              { AttributeName: 'deploymentId', KeyType: 'HASH' },
              { AttributeName: 'runId', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['trigger', 'decision'] },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });

  it('uses a customer-managed key and another removal policy when asked', () => {
    const app = newApp();
    const stack = new Stack(app, 'Keyed');
    const key = new kms.Key(stack, 'HistoryKey', { enableKeyRotation: true });
    new FitnessGate(stack, 'FitnessGate', {
      historyEncryptionKey: key,
      historyRemovalPolicy: RemovalPolicy.DESTROY,
    });
    const table = resourcesOf(Template.fromStack(stack), 'AWS::DynamoDB::Table')[
      logicalIdOf(stack, 'FitnessGate/History')
    ];
    expect(table).toMatchObject({
      DeletionPolicy: 'Delete',
      Properties: {
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(stack, 'HistoryKey'), 'Arn'] },
        },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
    });
    expect(table?.Properties?.DeletionProtectionEnabled).toBe(false);
  });
});

describe('FitnessGate state machine', () => {
  const { stack, template } = sampleStack();
  const stateMachineId = logicalIdOf(stack, 'FitnessGate/StateMachine');
  const stateMachine = resourcesOf(template, 'AWS::StepFunctions::StateMachine')[stateMachineId];
  const properties = stateMachine?.Properties ?? {};

  it('is a Standard workflow that logs ALL with execution data and traces with X-Ray', () => {
    expect(properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [logicalIdOf(stack, 'FitnessGate/StateMachineLogs'), 'Arn'] },
            },
          },
        ],
      },
    });
    const logGroup = resourcesOf(template, 'AWS::Logs::LogGroup')[
      logicalIdOf(stack, 'FitnessGate/StateMachineLogs')
    ];
    expect(logGroup?.Properties?.LogGroupName).toMatch(
      /^\/aws\/vendedlogs\/states\/FitgateSample-FitnessGate-/,
    );
  });

  it('runs the checked-in ASL with the 15-minute default timeout and the gate’s own resources', () => {
    const asl = JSON.parse(readFileSync(ASL_PATH, 'utf8')) as { States: Record<string, unknown> };
    const definition = JSON.parse(String(properties.DefinitionString)) as {
      States: { ListResources: { Parameters: { gateResources: { stackId: string; logicalIds: string[] } } } };
    };
    const { gateResources } = definition.States.ListResources.Parameters;
    expect(definition).toEqual({ ...withGateResources(asl, gateResources), TimeoutSeconds: 900 });
    // Every resource of the construct, and nothing of the service beside it, is left out of audits.
    const gateIds = Object.keys(template.toJSON().Resources).filter((id) => id.startsWith('FitnessGate'));
    expect(gateResources).toEqual({ stackId: '${GateStackId}', logicalIds: [...gateIds].sort() });
    expect(gateResources.logicalIds).not.toContain(logicalIdOf(stack, 'PlainBucket'));
    expect((properties.DefinitionSubstitutions as Record<string, unknown>).GateStackId).toEqual({
      Ref: 'AWS::StackId',
    });
  });

  it('lets ListResources ask CodeDeploy whether a claimed hook is waiting, and nothing more', () => {
    const policies = resourcesOf(template, 'AWS::IAM::Policy');
    const listPolicy = Object.entries(policies).find(([id]) =>
      id.startsWith('FitnessGateListResourcesRoleDefaultPolicy'),
    )?.[1];
    const document = listPolicy?.Properties?.PolicyDocument as
      | { Statement: { Sid?: string; Action: unknown }[] }
      | undefined;
    const statements = document?.Statement ?? [];
    expect(statements.find((statement) => statement.Sid === 'VerifyHookClaims')?.Action).toEqual([
      'codedeploy:GetDeployment',
      'codedeploy:ListDeploymentTargets',
      'codedeploy:GetDeploymentTarget',
      'codedeploy:GetApplicationRevision',
    ]);
  });

  it('takes its timeout from the construct', () => {
    const { stack: custom } = gateStack({ executionTimeout: Duration.minutes(20) });
    const machine = resourcesOf(Template.fromStack(custom), 'AWS::StepFunctions::StateMachine');
    const definition = JSON.parse(String(Object.values(machine)[0]?.Properties?.DefinitionString)) as {
      TimeoutSeconds: number;
    };
    expect(definition.TimeoutSeconds).toBe(1200);
  });

  it('substitutes exactly the placeholders the ASL uses', () => {
    const placeholders = new Set(
      [...readFileSync(ASL_PATH, 'utf8').matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((match) => match[1]),
    );
    const substitutions = properties.DefinitionSubstitutions as Record<string, unknown>;
    // GateStackId stands in the gate's own resources, which the construct writes into the definition.
    expect(new Set(Object.keys(substitutions))).toEqual(new Set([...placeholders, 'GateStackId']));
    expect(substitutions.MetricNamespace).toBe('Fitgate');
    expect(substitutions.HistoryTableName).toEqual({ Ref: logicalIdOf(stack, 'FitnessGate/History') });
    for (const family of FAMILIES) {
      expect(substitutions[`${FAMILY_NAMES[family]}ChecksFunctionArn`]).toEqual({
        'Fn::GetAtt': [functionLogicalId(stack, `${FAMILY_NAMES[family]}Checks`), 'Arn'],
      });
    }
  });

  it('may invoke exactly its 14 task functions, publish only to its namespace and put history items', () => {
    const roleId = logicalIdOf(stack, 'FitnessGate/StateMachine/Role');
    const statements = statementsOfRole(template, roleId);
    const invoke = statements.find((statement) => statement.Action === 'lambda:InvokeFunction');
    const taskFunctions = [
      ...FAMILIES.map((family) => `${FAMILY_NAMES[family]}Checks`),
      'ListResources',
      'Aggregate',
    ];
    expect(
      new Set(((invoke?.Resource ?? []) as unknown[]).map((resource) => JSON.stringify(resource))),
    ).toEqual(
      new Set(
        taskFunctions.map((id) => JSON.stringify({ 'Fn::GetAtt': [functionLogicalId(stack, id), 'Arn'] })),
      ),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'Fitgate' } },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'dynamodb:PutItem',
        Resource: [
          { 'Fn::GetAtt': [logicalIdOf(stack, 'FitnessGate/History'), 'Arn'] },
          {
            'Fn::Join': [
              '',
              [{ 'Fn::GetAtt': [logicalIdOf(stack, 'FitnessGate/History'), 'Arn'] }, '/index/*'],
            ],
          },
        ],
      }),
    );
  });
});

describe('FitnessGate work bucket (the Distributed Map of plans too large for the state)', () => {
  const { stack, template } = sampleStack();
  const bucketArn = { 'Fn::GetAtt': [logicalIdOf(stack, 'FitnessGate/WorkBucket'), 'Arn'] };
  const objects = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}/*`]] });
  const roleOf = (id: string) => logicalIdOf(stack, `FitnessGate/${id}/Role`);
  const s3Statements = (roleId: string) =>
    statementsOfRole(template, roleId).filter((statement) =>
      JSON.stringify(statement.Resource).includes(logicalIdOf(stack, 'FitnessGate/WorkBucket')),
    );

  it('keeps the transient files private, encrypted, TLS-only and for one day', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 1, Status: 'Enabled' })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets each principal do only its own part, on its own prefix', () => {
    expect(s3Statements(roleOf('ListResources'))).toEqual([
      expect.objectContaining({ Action: 's3:PutObject', Resource: objects('work-items') }),
    ]);
    expect(s3Statements(roleOf('Aggregate'))).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Resource: objects('map-results') }),
    ]);
    expect(s3Statements(roleOf('StateMachine'))).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Resource: objects('work-items') }),
      expect.objectContaining({
        Action: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        Resource: objects('map-results'),
      }),
    ]);
    for (const id of GATE_FUNCTIONS.filter((id) => id !== 'ListResources' && id !== 'Aggregate')) {
      expect(s3Statements(roleOf(id)), id).toEqual([]);
    }
  });

  it('lets the state machine start and stop only its own child executions', () => {
    const statements = statementsOfRole(template, roleOf('StateMachine'));
    const machine = { Ref: logicalIdOf(stack, 'FitnessGate/StateMachine') };
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'states:StartExecution', Resource: machine }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: ['states:DescribeExecution', 'states:StopExecution'] }),
    );
  });
});

describe('FitnessGate safety net', () => {
  const { stack, template } = sampleStack();

  it('sends failed, timed-out and aborted executions of its own state machine to the safety-net Lambda', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [{ Ref: logicalIdOf(stack, 'FitnessGate/StateMachine') }],
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionLogicalId(stack, 'SafetyNet'), 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [logicalIdOf(stack, 'FitnessGate/SafetyNetDeadLetters'), 'Arn'] },
          },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [functionLogicalId(stack, 'SafetyNet'), 'Arn'] },
    });
  });

  it('may read the gate’s own executions, to learn the error a FAILED event left out', () => {
    const policy = template.findResources('AWS::IAM::Policy', {
      Properties: {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'DescribeGateExecutions' })]) },
      },
    });
    const [statement] = Object.values(policy)
      .flatMap(
        (resource) =>
          (resource as { Properties: { PolicyDocument: { Statement: { Sid?: string }[] } } }).Properties
            .PolicyDocument.Statement,
      )
      .filter((s) => s.Sid === 'DescribeGateExecutions');
    expect(statement).toMatchObject({ Action: 'states:DescribeExecution', Effect: 'Allow' });
    expect(JSON.stringify(statement)).toMatch(/:execution:.*:\*"/);
  });

  it('keeps what it could not deliver in an encrypted, TLS-only dead-letter queue that raises an alarm', () => {
    const queueId = logicalIdOf(stack, 'FitnessGate/SafetyNetDeadLetters');
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionLogicalId(stack, 'SafetyNet') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
    });
  });
});

describe('FitnessGate outcome tracker', () => {
  const { stack, template } = sampleStack();
  const trackerFunction = functionLogicalId(stack, 'OutcomeTracker/Function');
  const tableArn = { 'Fn::GetAtt': [logicalIdOf(stack, 'FitnessGate/History'), 'Arn'] };

  it('sends every deployment CodeDeploy ends (SUCCESS, FAILURE, STOP) to the tracker, with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.codedeploy'],
        'detail-type': ['CodeDeploy Deployment State-change Notification'],
        detail: { state: ['SUCCESS', 'FAILURE', 'STOP'] },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [trackerFunction, 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [logicalIdOf(stack, 'FitnessGate/OutcomeTracker/DeadLetters'), 'Arn'] },
          },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: trackerFunction },
      DestinationConfig: {
        OnFailure: {
          Destination: {
            'Fn::GetAtt': [logicalIdOf(stack, 'FitnessGate/OutcomeTracker/DeadLetters'), 'Arn'],
          },
        },
      },
    });
  });

  it('lets the tracker query the deployment index and update history items, nothing else on the table', () => {
    const statements = statementsOfRole(
      template,
      logicalIdOf(stack, 'FitnessGate/OutcomeTracker/Function/Role'),
    );
    const onTable = statements.filter((statement) => JSON.stringify(statement.Action).includes('dynamodb:'));
    expect(onTable).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:Query', 'dynamodb:UpdateItem'],
        Resource: [tableArn, { 'Fn::Join': ['', [tableArn, '/index/*']] }],
      }),
    ]);
  });

  it('lets ListResources verify the table (DescribeTable) and Aggregate query it and record outcomes', () => {
    expect(statementsOfRole(template, logicalIdOf(stack, 'FitnessGate/ListResources/Role'))).toContainEqual(
      expect.objectContaining({ Action: 'dynamodb:DescribeTable' }),
    );
    expect(statementsOfRole(template, logicalIdOf(stack, 'FitnessGate/Aggregate/Role'))).toContainEqual(
      expect.objectContaining({ Action: ['dynamodb:Query', 'dynamodb:UpdateItem'] }),
    );
  });

  it("lets Aggregate ask GetDeployment on each guarded group's deployments, and on no other group", () => {
    const unguarded = gateStack().stack;
    expect(
      statementsOfRole(
        Template.fromStack(unguarded),
        logicalIdOf(unguarded, 'FitnessGate/Aggregate/Role'),
      ).map((statement) => statement.Action),
    ).not.toContain('codedeploy:GetDeployment');
    const { stack: service, gate, group } = gateStack();
    gate.guard(group);
    const statements = statementsOfRole(
      Template.fromStack(service),
      logicalIdOf(service, 'FitnessGate/Aggregate/Role'),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'codedeploy:GetDeployment',
        Resource: expect.objectContaining({ 'Fn::Join': expect.anything() }),
      }),
    );
  });
});

describe('FitnessGate.guard()', () => {
  it('attaches the pre- and post-traffic hooks to every guarded group of the sample', () => {
    const { stack, template } = sampleStack();
    const aliases = resourcesOf(template, 'AWS::Lambda::Alias');
    for (const name of ['myFirstFunction', 'mySecondFunction']) {
      expect(aliases[logicalIdOf(stack, `${name}Live`)]?.UpdatePolicy, name).toEqual({
        CodeDeployLambdaAliasUpdate: {
          ApplicationName: { Ref: logicalIdOf(stack, 'SampleApplication') },
          DeploymentGroupName: { Ref: logicalIdOf(stack, `${name}Deployment`) },
          BeforeAllowTrafficHook: { Ref: functionLogicalId(stack, 'PreTrafficHook') },
          AfterAllowTrafficHook: { Ref: functionLogicalId(stack, 'PostTrafficHook') },
        },
      });
    }
  });

  it('lets the hooks, the state machine and the safety net report status on each guarded group, and CodeDeploy invoke the hooks', () => {
    // Prepare
    const { stack, gate, group } = gateStack();
    // Act
    gate.guard(group);
    // Assess
    const template = Template.fromStack(stack);
    const groupArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':codedeploy:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':deploymentgroup:',
          { Ref: logicalIdOf(stack, 'Deployment/Application') },
          '/',
          { Ref: logicalIdOf(stack, 'Deployment') },
        ],
      ],
    };
    for (const rolePath of [
      'FitnessGate/PreTrafficHook/Role',
      'FitnessGate/PostTrafficHook/Role',
      'FitnessGate/SafetyNet/Role',
      'FitnessGate/StateMachine/Role',
    ]) {
      expect(statementsOfRole(template, logicalIdOf(stack, rolePath)), rolePath).toContainEqual(
        expect.objectContaining({
          Action: 'codedeploy:PutLifecycleEventHookExecutionStatus',
          Effect: 'Allow',
          Resource: groupArn,
        }),
      );
    }
    expect(statementsOfRole(template, logicalIdOf(stack, 'FitnessGate/PreTrafficHook/Role'))).toContainEqual(
      expect.objectContaining({
        Action: 'states:StartExecution',
        Resource: { Ref: logicalIdOf(stack, 'FitnessGate/StateMachine') },
      }),
    );
    const codeDeployStatements = statementsOfRole(template, logicalIdOf(stack, 'Deployment/ServiceRole'));
    for (const hook of ['PreTrafficHook', 'PostTrafficHook']) {
      expect(codeDeployStatements).toContainEqual(
        expect.objectContaining({
          Action: 'lambda:InvokeFunction',
          Resource: expect.arrayContaining([{ 'Fn::GetAtt': [functionLogicalId(stack, hook), 'Arn'] }]),
        }),
      );
    }
  });

  it('guards a group once, however often it is asked', () => {
    const { gate, group } = gateStack();
    gate.guard(group);
    expect(() => gate.guard(group)).not.toThrow();
  });

  it('refuses a deployment group of a stack the gate does not guard, with a reason', () => {
    const { app, gate } = gateStack();
    const other = new Stack(app, 'Other');
    const fn = new lambda.Function(other, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    });
    const alias = new lambda.Alias(other, 'Live', { aliasName: 'live', version: fn.currentVersion });
    const group = new codedeploy.LambdaDeploymentGroup(other, 'Deployment', { alias });
    expect(() => gate.guard(group)).toThrow(
      /Other\/Deployment is in stack Other, which the gate fitgate-Service-[0-9a-f]{8} does not guard \(guardedStacks: Service\); add the stack/,
    );
  });
});

describe('FitnessGate grants', () => {
  it('lets a principal start ad-hoc audits and read the history, nothing more', () => {
    // Prepare
    const { stack, gate } = gateStack();
    const auditor = new iam.Role(stack, 'Auditor', { assumedBy: new iam.AccountRootPrincipal() });
    // Act
    gate.grantStartAudit(auditor);
    gate.grantReadHistory(auditor);
    // Assess
    const statements = statementsOfRole(Template.fromStack(stack), logicalIdOf(stack, 'Auditor'));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'states:StartExecution',
        Resource: { Ref: logicalIdOf(stack, 'FitnessGate/StateMachine') },
      }),
    );
    const historyActions = statements
      .filter((statement) =>
        JSON.stringify(statement.Resource).includes(logicalIdOf(stack, 'FitnessGate/History')),
      )
      .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]));
    expect(historyActions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem']));
    expect(historyActions.filter((action) => /Put|Update|Delete|Write/.test(action))).toEqual([]);
  });
});

describe('FitnessGate dashboard', () => {
  it('shows fitness over releases, quality vs complexity, failures by severity and the service next to them', () => {
    const { template } = sampleStack();
    const dashboards = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties?.DashboardBody);
    for (const title of [
      'Fitness over releases',
      'Quality vs complexity',
      'Failures by severity',
      'Quality by pillar',
      'Gate executions',
    ]) {
      expect(body).toContain(`\\"title\\":\\"${title}\\"`);
    }
    expect(body).toContain('[\\"Fitgate\\",\\"Fitness\\",\\"StackName\\",\\"FitgateSample\\"');
    expect(body).toContain(
      '[\\"Fitgate\\",\\"Failures\\",\\"Severity\\",\\"critical\\",\\"StackName\\",\\"FitgateSample\\"',
    );
    expect(body).toContain('myFirstFunction: latency');
    expect(body).toContain('mySecondFunction: traffic and errors');
  });

  it('follows the metric namespace and can be switched off', () => {
    const renamed = Template.fromStack(gateStack({ metricNamespace: 'Acme/Fitness' }).stack);
    expect(JSON.stringify(renamed.toJSON())).toContain(
      '[\\"Acme/Fitness\\",\\"Fitness\\",\\"StackName\\",\\"Service\\"',
    );
    renamed.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionSubstitutions: Match.objectLike({ MetricNamespace: 'Acme/Fitness' }),
    });
    const off = Template.fromStack(gateStack({ dashboard: false }).stack);
    off.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });
});
