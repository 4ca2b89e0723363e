/**
 * The system under evolution from the original talk: a small service whose releases go out through
 * CodeDeploy (linear and canary), roll back automatically on errors, and pass through the
 * FitnessGate. It is deliberately not perfect (one plain bucket, one table on default encryption):
 * the gate measures it, and each release must not make it worse.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ESM_REQUIRE_BANNER, LOCK_FILE } from './fitgate-function.ts';
import { FitnessGate, type FitnessGateProps } from './fitness-gate.ts';

const SAMPLE_FUNCTIONS_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'sample-service',
  'functions',
);

export interface SampleServiceStackProps extends StackProps {
  /**
   * Release label baked into both functions' environment: changing it publishes new versions, so
   * the next deploy is a gated CodeDeploy deployment. @default '1'
   */
  readonly release?: string;
  /** Settings of the gate that guards the service. @default the gate's defaults */
  readonly gate?: FitnessGateProps;
  /**
   * A shared gate (in a stack of its own) to guard the service with, instead of a gate of its own.
   * @default a FitnessGate in this stack
   */
  readonly sharedGate?: FitnessGate;
  /** What happens to the data stores when the stack goes. @default RemovalPolicy.DESTROY (a demo) */
  readonly dataRemovalPolicy?: RemovalPolicy;
}

export class SampleServiceStack extends Stack {
  readonly gate: FitnessGate;
  readonly api: apigateway.RestApi;
  readonly deploymentGroups: readonly codedeploy.LambdaDeploymentGroup[];

  constructor(scope: Construct, id: string, props: SampleServiceStackProps = {}) {
    super(scope, id, props);
    const removalPolicy = props.dataRemovalPolicy ?? RemovalPolicy.DESTROY;
    const release = props.release ?? '1';

    const dataKey = new kms.Key(this, 'DataKey', {
      description: 'Sample service: customer-managed key of the encrypted bucket and table',
      enableKeyRotation: true,
      removalPolicy,
    });
    const encryptedBucket = new s3.Bucket(this, 'EncryptedBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy,
    });
    const plainBucket = new s3.Bucket(this, 'PlainBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy,
    });
    const encryptedTable = new dynamodb.Table(this, 'EncryptedTable', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: dataKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });
    const plainTable = new dynamodb.Table(this, 'PlainTable', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy,
    });

    const first = this.serviceFunction('myFirstFunction', 'first.ts', release, {
      BUCKET_NAME: encryptedBucket.bucketName,
      TABLE_NAME: encryptedTable.tableName,
    });
    const second = this.serviceFunction('mySecondFunction', 'second.ts', release, {
      BUCKET_NAME: plainBucket.bucketName,
      TABLE_NAME: plainTable.tableName,
    });
    encryptedBucket.grantRead(first.fn);
    encryptedTable.grantReadData(first.fn);
    plainBucket.grantRead(second.fn);
    plainTable.grantReadData(second.fn);

    this.api = new apigateway.RestApi(this, 'SampleApi', {
      description: 'Sample service: /first and /second, each on its function’s live alias',
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'prod',
        tracingEnabled: true,
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
      },
    });
    this.api.root.addResource('first').addMethod('GET', new apigateway.LambdaIntegration(first.alias));
    this.api.root.addResource('second').addMethod('GET', new apigateway.LambdaIntegration(second.alias));

    const application = new codedeploy.LambdaApplication(this, 'SampleApplication');
    this.deploymentGroups = [
      this.deploymentGroup(
        'myFirstFunctionDeployment',
        application,
        first.alias,
        first.errors,
        codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
      ),
      this.deploymentGroup(
        'mySecondFunctionDeployment',
        application,
        second.alias,
        second.errors,
        codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
      ),
    ];

    // The gate declares the FitnessStateMachineArn and FitnessHistoryTable outputs the CLI reads.
    this.gate =
      props.sharedGate ??
      new FitnessGate(this, 'FitnessGate', {
        ...props.gate,
        serviceFunctions: props.gate?.serviceFunctions ?? [first.fn, second.fn],
      });
    for (const group of this.deploymentGroups) this.gate.guard(group);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
  }

  private serviceFunction(
    id: string,
    file: string,
    release: string,
    environment: Record<string, string>,
  ): { fn: NodejsFunction; alias: lambda.Alias; errors: cloudwatch.Alarm } {
    const fn = new NodejsFunction(this, id, {
      entry: path.join(SAMPLE_FUNCTIONS_DIR, file),
      depsLockFilePath: LOCK_FILE,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      environment: { ...environment, RELEASE: release },
      bundling: {
        format: OutputFormat.ESM,
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        forceDockerBundling: false,
      },
    });
    const alias = new lambda.Alias(this, `${id}Live`, { aliasName: 'live', version: fn.currentVersion });
    // Any error on the alias during the traffic shift rolls the deployment back.
    const errors = new cloudwatch.Alarm(this, `${id}Errors`, {
      alarmDescription: `${id}: errors on the live alias (automatic rollback)`,
      metric: alias.metricErrors({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return { fn, alias, errors };
  }

  private deploymentGroup(
    id: string,
    application: codedeploy.ILambdaApplication,
    alias: lambda.Alias,
    errors: cloudwatch.IAlarm,
    deploymentConfig: codedeploy.ILambdaDeploymentConfig,
  ): codedeploy.LambdaDeploymentGroup {
    return new codedeploy.LambdaDeploymentGroup(this, id, {
      application,
      alias,
      deploymentConfig,
      alarms: [errors],
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
  }
}
