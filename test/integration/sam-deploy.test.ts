/**
 * SAM templates deployed into moto by the deploy helper: local artifacts staged as `sam package`
 * stages them, AWS's SAM translator run as a subprocess, and what it generates (aliases with their
 * CodeDeploy update policy, REST APIs from OpenAPI, state machines from an S3 definition) created
 * as CloudFormation would create it, read back through the service APIs.
 */
import { dirname } from 'node:path';
import { GetResourcesCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import { GetRoutesCommand } from '@aws-sdk/client-apigatewayv2';
import { GetTemplateCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetAliasCommand, GetPolicyCommand, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeployError, type DeployResult, deployStack } from '../../cli/emulation/deploy/index.ts';
import { samTranslatorVersion, stagingBucketName } from '../../cli/emulation/sam/index.ts';
import { translateSam } from '../../cli/emulation/sam/translator.ts';
import { type CfnTemplate, loadTemplateFile, parseTemplate } from '../../cli/emulation/template.ts';
import {
  createApiGatewayClient,
  createApiGatewayV2Client,
  createCloudFormationClient,
  createLambdaClient,
  createS3Client,
  createSfnClient,
} from '../../functions/shared/clients.ts';
import { HOOKS_TEMPLATE, PATTERNS, pythonWithoutSamTranslator } from '../support/sam-fixtures.ts';

const cloudFormation = createCloudFormationClient();
const lambda = createLambdaClient();
const apiGateway = createApiGatewayClient();

function physicalIdOf(deployed: DeployResult, logicalId: string): string {
  const resource = deployed.resources.find((candidate) => candidate.logicalId === logicalId);
  if (!resource) throw new Error(`${logicalId} was not deployed`);
  return resource.physicalId;
}

async function processedTemplate(stackName: string) {
  const { TemplateBody } = await cloudFormation.send(
    new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Processed' }),
  );
  return parseTemplate(TemplateBody ?? '', stackName);
}

describe('the SAM translator subprocess', () => {
  it('is AWS’s aws-sam-translator, the one cfn-lint installs', async () => {
    expect(await samTranslatorVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('expands with the account, region and partition it is given, whatever AWS profile the machine names', async () => {
    const profile = process.env.AWS_PROFILE;
    process.env.AWS_PROFILE = 'no-such-profile';
    try {
      const { template } = await translateSam({
        template: {
          Transform: 'AWS::Serverless-2016-10-31',
          Resources: {
            Fn: {
              Type: 'AWS::Serverless::Function',
              Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', InlineCode: 'x' },
            },
          },
        },
        parameters: {},
        region: 'cn-north-1',
        accountId: '111122223333',
        partition: 'aws-cn',
      });

      expect(template.Resources.FnRole?.Properties?.ManagedPolicyArns).toEqual([
        'arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      ]);
    } finally {
      if (profile === undefined) delete process.env.AWS_PROFILE;
      else process.env.AWS_PROFILE = profile;
    }
  });

  it('fails in one line naming the package when the Python cannot import it', async () => {
    const error = await samTranslatorVersion(pythonWithoutSamTranslator()).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /needs the Python package aws-sam-translator, which .* cannot run/,
    );
    expect((error as Error).message).toContain('pip install aws-sam-translator');
    expect((error as Error).message).not.toContain('\n');
  });

  it('turns a template SAM rejects, another transform and an include into a DeployError, creating nothing', async () => {
    const deploy = (stackName: string, template: Record<string, unknown>) =>
      deployStack({
        stackName,
        template: { Transform: 'AWS::Serverless-2016-10-31', Resources: {}, ...template },
      });
    const badEvent = {
      Resources: {
        Fn: {
          Type: 'AWS::Serverless::Function',
          Properties: {
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            InlineCode: 'x',
            Events: { E: { Type: 'Nope' } },
          },
        },
      },
    };
    const include = {
      Resources: {
        Api: {
          Type: 'AWS::Serverless::HttpApi',
          Properties: {
            DefinitionBody: {
              'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 'api.yaml' } },
            },
          },
        },
      },
    };

    await expect(deploy('sam-rejected', badEvent)).rejects.toThrow(DeployError);
    await expect(deploy('sam-rejected', badEvent)).rejects.toThrow(
      /the SAM transform rejected the template: .*Fn.*Nope/,
    );
    await expect(
      deploy('sam-macro', { Transform: ['AWS::Serverless-2016-10-31', 'AcmeMacro'] }),
    ).rejects.toThrow(/only the AWS::Serverless-2016-10-31 transform; the template also declares AcmeMacro/);
    await expect(deploy('sam-include', include)).rejects.toThrow(
      /Fn::Transform \(AWS::Include or a macro\) cannot run/,
    );
    const { StackSummaries = [] } = await cloudFormation.send(new ListStacksCommand({}));
    expect(StackSummaries.map((stack) => stack.StackName)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^sam-(rejected|macro|include)$/)]),
    );
  });
});

describe('a SAM service with AutoPublishAlias and a DeploymentPreference naming fitgate’s hooks', () => {
  let deployed: DeployResult;

  beforeAll(async () => {
    deployed = await deployStack({ stackName: 'sam-orders', template: HOOKS_TEMPLATE });
  });

  it('is stored as the processed template: no SAM resources, the alias’s CodeDeploy update policy with fitgate’s hooks', async () => {
    const template = await processedTemplate('sam-orders');

    expect(template.Transform).toBeUndefined();
    expect(Object.values(template.Resources).filter((r) => r.Type.startsWith('AWS::Serverless::'))).toEqual(
      [],
    );
    expect(template.Resources.OrdersFunctionAliaslive?.UpdatePolicy).toEqual({
      CodeDeployLambdaAliasUpdate: {
        ApplicationName: { Ref: 'ServerlessDeploymentApplication' },
        DeploymentGroupName: { Ref: 'OrdersFunctionDeploymentGroup' },
        BeforeAllowTrafficHook: { Ref: 'PreTrafficHook' },
        AfterAllowTrafficHook: { Ref: 'PostTrafficHook' },
      },
    });
    expect(template.Resources.OrdersFunctionDeploymentGroup?.Properties?.AlarmConfiguration).toMatchObject({
      Alarms: [{ Name: { Ref: 'OrdersErrors' } }],
      Enabled: true,
    });
  });

  it('stages CodeUri into the emulator’s S3 as sam package does', async () => {
    const [artifact] = deployed.sam?.staged ?? [];

    expect(artifact).toMatchObject({ logicalId: 'OrdersFunction', property: 'CodeUri', source: 'src' });
    expect(artifact?.bucket).toBe(stagingBucketName('123456789012', 'us-east-1'));
    await expect(
      createS3Client().send(new HeadObjectCommand({ Bucket: artifact?.bucket, Key: artifact?.key })),
    ).resolves.toMatchObject({ ContentLength: artifact?.bytes });
  });

  it('creates the alias on the published version and API Gateway’s permission on the alias', async () => {
    const functionName = physicalIdOf(deployed, 'OrdersFunction');

    const alias = await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: 'live' }));
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: functionName, Qualifier: 'live' }));

    expect(alias.FunctionVersion).toBe('1');
    expect(JSON.parse(policy.Policy ?? '{}').Statement).toEqual([
      expect.objectContaining({
        Sid: 'OrdersFunctionGetOrdersPermissionprod',
        Principal: { Service: 'apigateway.amazonaws.com' },
      }),
    ]);
    expect(deployed.notApplied).toContain(
      'OrdersFunctionAliaslive: UpdatePolicy CodeDeployLambdaAliasUpdate',
    );
  });

  it('imports the REST API’s OpenAPI body, with SAM’s AWS_IAM default authorizer, and its stage settings', async () => {
    const restApiId = physicalIdOf(deployed, 'OrdersApi');

    const { items = [] } = await apiGateway.send(new GetResourcesCommand({ restApiId, embed: ['methods'] }));
    const stage = await apiGateway.send(new GetStageCommand({ restApiId, stageName: 'prod' }));

    const orders = items.find((item) => item.path === '/orders');
    expect(orders?.resourceMethods?.GET?.authorizationType).toBe('AWS_IAM');
    expect(stage.tracingEnabled).toBe(true);
    expect(stage.methodSettings?.['*/*']).toMatchObject({
      throttlingRateLimit: 50,
      throttlingBurstLimit: 100,
    });
  });

  it('reports what moto cannot create, the CodeDeploy application and deployment group, as skipped', () => {
    expect(deployed.skipped).toEqual(['AWS::CodeDeploy::Application', 'AWS::CodeDeploy::DeploymentGroup']);
  });
});

describe('a SAM HTTP API with a JWT default authorizer and one open route', () => {
  it('gets its routes from the OpenAPI body SAM writes, each with the authorization type it gives', async () => {
    const deployed = await deployStack({
      stackName: 'sam-http',
      template: {
        Transform: 'AWS::Serverless-2016-10-31',
        Resources: {
          Api: {
            Type: 'AWS::Serverless::HttpApi',
            Properties: {
              Auth: {
                DefaultAuthorizer: 'Jwt',
                Authorizers: {
                  Jwt: {
                    IdentitySource: '$request.header.Authorization',
                    JwtConfiguration: { issuer: 'https://issuer.example.com', audience: ['orders'] },
                  },
                },
              },
            },
          },
          Fn: {
            Type: 'AWS::Serverless::Function',
            Properties: {
              Runtime: 'nodejs22.x',
              Handler: 'index.handler',
              InlineCode: 'exports.handler = async () => ({ statusCode: 200 });',
              Events: {
                Orders: {
                  Type: 'HttpApi',
                  Properties: { ApiId: { Ref: 'Api' }, Path: '/orders', Method: 'GET' },
                },
                Health: {
                  Type: 'HttpApi',
                  Properties: {
                    ApiId: { Ref: 'Api' },
                    Path: '/health',
                    Method: 'GET',
                    Auth: { Authorizer: 'NONE' },
                  },
                },
              },
            },
          },
        },
      },
    });

    const { Items = [] } = await createApiGatewayV2Client().send(
      new GetRoutesCommand({ ApiId: physicalIdOf(deployed, 'Api') }),
    );
    expect(Object.fromEntries(Items.map((route) => [route.RouteKey, route.AuthorizationType]))).toEqual({
      'GET /orders': 'JWT',
      'GET /health': 'NONE',
    });
    expect(Items.every((route) => route.Target?.startsWith('integrations/'))).toBe(true);
  });
});

describe('an aliased SAM function with an SQS event', () => {
  it('reads the queue through its live alias, the event source mapping created once the alias exists', async () => {
    const pattern = PATTERNS.find((candidate) => candidate.shows === 'SQS');
    const template = loadTemplateFile(String(pattern?.template)) as CfnTemplate & {
      Resources: Record<string, { Properties?: Record<string, unknown> }>;
    };
    Object.assign(template.Resources.QueueConsumerFunction?.Properties ?? {}, { AutoPublishAlias: 'live' });

    const deployed = await deployStack({
      stackName: 'sam-sqs-alias',
      template,
      baseDir: dirname(String(pattern?.template)),
    });

    const functionName = physicalIdOf(deployed, 'QueueConsumerFunction');
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: 'live' }));
    const { EventSourceMappings = [] } = await lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: alias.AliasArn }),
    );
    expect(EventSourceMappings).toEqual([
      expect.objectContaining({ EventSourceArn: expect.stringMatching(/^arn:aws:sqs:/), BatchSize: 10 }),
    ]);
    expect(deployed.applied).toContain(
      'QueueConsumerFunctionMySQSEvent: EventSourceMapping on alias QueueConsumerFunctionAliaslive created through the API',
    );
  });
});

describe('a SAM state machine whose DefinitionUri is a local file with DefinitionSubstitutions', () => {
  it('runs the definition CloudFormation would build: the staged file with the function ARNs substituted', async () => {
    const pattern = PATTERNS.find((candidate) => candidate.shows === 'Step Functions');
    const deployed = await deployStack({ stackName: 'sam-sfn', template: String(pattern?.template) });

    const machine = await createSfnClient().send(
      new DescribeStateMachineCommand({
        stateMachineArn: physicalIdOf(deployed, 'StateMachineStandardInvokeLambda'),
      }),
    );

    const definition = JSON.parse(machine.definition ?? '{}');
    expect(definition.States.First_Function.Resource).toBe(
      `arn:aws:lambda:us-east-1:123456789012:function:${physicalIdOf(deployed, 'FirstFunction')}`,
    );
    expect(definition.States.First_Function.Parameters).toEqual({ 'Payload.$': '$' });
    expect(machine.definition).not.toContain('${');
  });
});

describe('the CloudFormation shapes SAM writes, in a plain template', () => {
  it('imports an OpenAPI 3 body: authorizers and API keys as CloudFormation’s import reads them, then deploys it', async () => {
    const integration = { type: 'mock', httpMethod: 'POST' };
    const deployed = await deployStack({
      stackName: 'openapi-plain',
      template: {
        Resources: {
          Api: {
            Type: 'AWS::ApiGateway::RestApi',
            Properties: {
              Body: {
                openapi: '3.0.1',
                info: { title: 'orders', version: '1' },
                paths: {
                  '/orders/{id}': {
                    get: { security: [{ Token: [] }], 'x-amazon-apigateway-integration': integration },
                    options: { security: [], 'x-amazon-apigateway-integration': integration },
                  },
                  '/health': {
                    get: { security: [{ Key: [] }], 'x-amazon-apigateway-integration': integration },
                  },
                },
                components: {
                  securitySchemes: {
                    Token: {
                      type: 'apiKey',
                      name: 'Authorization',
                      in: 'header',
                      'x-amazon-apigateway-authtype': 'custom',
                      'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: 'arn:aws:lambda:x' },
                    },
                    Key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
                  },
                },
              },
            },
          },
          Deployment: {
            Type: 'AWS::ApiGateway::Deployment',
            Properties: { RestApiId: { Ref: 'Api' }, StageName: 'v1' },
          },
        },
      },
    });

    const restApiId = physicalIdOf(deployed, 'Api');
    const { items = [] } = await apiGateway.send(new GetResourcesCommand({ restApiId, embed: ['methods'] }));
    const methods = Object.fromEntries(
      items.flatMap((item) =>
        Object.entries(item.resourceMethods ?? {}).map(([verb, method]) => [
          `${verb} ${item.path}`,
          [method.authorizationType, method.apiKeyRequired ?? false],
        ]),
      ),
    );
    expect(methods).toEqual({
      'GET /orders/{id}': ['CUSTOM', false],
      'OPTIONS /orders/{id}': ['NONE', false],
      'GET /health': ['NONE', true],
    });
    await expect(apiGateway.send(new GetStageCommand({ restApiId, stageName: 'v1' }))).resolves.toBeDefined();
    expect(deployed.skipped).toEqual([]);
  });

  it('sends a state machine’s Definition object as its DefinitionString', async () => {
    const deployed = await deployStack({
      stackName: 'definition-object',
      template: {
        Resources: {
          Role: {
            Type: 'AWS::IAM::Role',
            Properties: {
              AssumeRolePolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { Service: 'states.amazonaws.com' },
                    Action: 'sts:AssumeRole',
                  },
                ],
              },
            },
          },
          Machine: {
            Type: 'AWS::StepFunctions::StateMachine',
            Properties: {
              RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
              Definition: {
                StartAt: 'Done',
                States: { Done: { Type: 'Pass', Parameters: { 'id.$': '$$.Execution.Id' }, End: true } },
              },
            },
          },
        },
      },
    });

    const machine = await createSfnClient().send(
      new DescribeStateMachineCommand({ stateMachineArn: physicalIdOf(deployed, 'Machine') }),
    );
    expect(JSON.parse(machine.definition ?? '{}').States.Done.Parameters).toEqual({
      'id.$': '$$.Execution.Id',
    });
  });
});
