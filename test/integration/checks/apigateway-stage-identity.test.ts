import { CreateDeploymentCommand } from '@aws-sdk/client-api-gateway';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourceCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiGatewayClients } from '../../../functions/checks/apigateway/clients.ts';
import { rules } from '../../../functions/checks/apigateway/handler.ts';
import { runCheck, TEST_STACK } from '../../support/check-harness.ts';
import { addMethod, createRestApiStack, patchStage, stageResource } from '../../support/rest-api-stack.ts';

// How the stage checks find a stage's REST API (functions/checks/apigateway/stage.ts), through one of them.
const CHECK = 'api-gw-xray-enabled';
const clients = createApiGatewayClients();
let restApiId = '';
const restApiRow = () => ({
  LogicalResourceId: 'OrdersApi',
  ResourceType: 'AWS::ApiGateway::RestApi',
  ResourceStatus: 'CREATE_COMPLETE' as const,
  PhysicalResourceId: restApiId,
});

beforeAll(async () => {
  ({ restApiId } = await createRestApiStack(clients, {
    stages: { RefStage: 'by-ref' },
    importedStages: { ImportedStage: 'imported' },
    extraResources: { OtherApi: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'other-api' } } },
  }));
  const { StackResourceDetail } = await clients.cloudFormation.send(
    new DescribeStackResourceCommand({ StackName: TEST_STACK.stackName, LogicalResourceId: 'OtherApi' }),
  );
  const otherApiId = String(StackResourceDetail?.PhysicalResourceId);
  await addMethod(clients.apiGateway, otherApiId);
  for (const id of [restApiId, otherApiId]) {
    await clients.apiGateway.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'shared' }));
  }
  for (const stageName of ['by-ref', 'imported']) {
    await patchStage(clients.apiGateway, restApiId, stageName, [
      { op: 'replace', path: '/tracingEnabled', value: 'true' },
    ]);
  }
});

describe('API Gateway stage identity (moto)', () => {
  it('resolves a Ref to the RestApi through the stack resources', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('RefStage', 'by-ref'));

    expect(result).toMatchObject({ status: 'PASS', evidence: { restApiId, stageName: 'by-ref' } });
  });

  it('resolves a Ref to a RestApi declared after the Stage (where moto fails DescribeStackResource)', async () => {
    await clients.cloudFormation.send(
      new CreateStackCommand({
        StackName: 'stage-first',
        TemplateBody: JSON.stringify({
          Resources: {
            FirstStage: {
              Type: 'AWS::ApiGateway::Stage',
              Properties: { RestApiId: { Ref: 'LaterApi' }, StageName: 'early', DeploymentId: 'd' },
            },
            LaterApi: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'later-api' } },
          },
        }),
      }),
    );
    const { StackResourceSummaries = [] } = await clients.cloudFormation.send(
      new ListStackResourcesCommand({ StackName: 'stage-first' }),
    );
    const laterApiId = String(
      StackResourceSummaries.find((row) => row.LogicalResourceId === 'LaterApi')?.PhysicalResourceId,
    );
    await addMethod(clients.apiGateway, laterApiId);
    await clients.apiGateway.send(new CreateDeploymentCommand({ restApiId: laterApiId, stageName: 'early' }));

    const result = await runCheck(CHECK, rules, clients, stageResource('FirstStage', 'early'), {
      stack: { ...TEST_STACK, stackName: 'stage-first' },
    });

    expect(result).toMatchObject({ status: 'FAIL', evidence: { restApiId: laterApiId, stageName: 'early' } });
  });

  it('falls back to the stack REST API that has the stage when the template uses an import', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('ImportedStage', 'imported'));

    expect(result).toMatchObject({ status: 'PASS', evidence: { restApiId } });
  });

  it('is an ERROR when no REST API of the stack has the stage', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('UndeclaredStage', 'nowhere'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain(
      'StageApiNotFoundError: no REST API of stack fitgate-test has a stage named nowhere',
    );
  });

  it('is an ERROR when several REST APIs of the stack have a stage of that name', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('UndeclaredShared', 'shared'));

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('stage shared exists on several REST APIs of stack fitgate-test');
  });

  describe('YAML and unreadable templates (SDK mock: moto keeps the template it was given, as JSON here)', () => {
    const cloudFormation = new CloudFormationClient({});
    const mock = mockClient(cloudFormation);
    afterEach(() => mock.reset());

    it('reads a literal RestApiId from a YAML template', async () => {
      mock.on(GetTemplateCommand).resolves({
        TemplateBody: [
          'Resources:',
          '  LiteralStage:',
          '    Type: AWS::ApiGateway::Stage',
          '    Properties:',
          `      RestApiId: ${restApiId}`,
          '      StageName: by-ref',
          '      DeploymentId: !Ref Deployment',
        ].join('\n'),
      });

      const result = await runCheck(
        CHECK,
        rules,
        { ...clients, cloudFormation },
        stageResource('LiteralStage', 'by-ref'),
      );

      expect(result).toMatchObject({ status: 'PASS', evidence: { restApiId } });
    });

    it('resolves a short-form !Ref in a YAML template', async () => {
      mock
        .on(GetTemplateCommand)
        .resolves({
          TemplateBody: [
            'Resources:',
            '  ShortStage:',
            '    Type: AWS::ApiGateway::Stage',
            '    Properties:',
            '      RestApiId: !Ref OrdersApi',
            '      StageName: by-ref',
          ].join('\n'),
        })
        .on(ListStackResourcesCommand)
        .resolves({ StackResourceSummaries: [{ ...restApiRow(), LastUpdatedTimestamp: new Date() }] });

      const result = await runCheck(
        CHECK,
        rules,
        { ...clients, cloudFormation },
        stageResource('ShortStage', 'by-ref'),
      );

      expect(result).toMatchObject({ status: 'PASS', evidence: { restApiId } });
    });

    it('falls back to the lookup by stage name when the template cannot be read', async () => {
      mock
        .on(GetTemplateCommand)
        .resolves({ TemplateBody: '{ not json' })
        .on(ListStackResourcesCommand)
        .resolves({
          StackResourceSummaries: [{ ...restApiRow(), LastUpdatedTimestamp: new Date() }],
        });

      const result = await runCheck(
        CHECK,
        rules,
        { ...clients, cloudFormation },
        stageResource('RefStage', 'by-ref'),
      );

      expect(result).toMatchObject({ status: 'PASS', evidence: { restApiId } });
    });

    it('looks for the REST API in nested stacks too', async () => {
      const nestedStackId = 'arn:aws:cloudformation:us-east-1:123456789012:stack/fitgate-test-Api-1/2';
      mock
        .on(GetTemplateCommand)
        .resolves({ TemplateBody: JSON.stringify({ Resources: {} }) })
        .on(ListStackResourcesCommand, { StackName: TEST_STACK.stackName })
        .resolves({
          StackResourceSummaries: [
            {
              LogicalResourceId: 'ApiStack',
              ResourceType: 'AWS::CloudFormation::Stack',
              ResourceStatus: 'CREATE_COMPLETE',
              PhysicalResourceId: nestedStackId,
              LastUpdatedTimestamp: new Date(),
            },
          ],
        })
        .on(ListStackResourcesCommand, { StackName: nestedStackId })
        .resolves({ StackResourceSummaries: [{ ...restApiRow(), LastUpdatedTimestamp: new Date() }] });

      const result = await runCheck(
        CHECK,
        rules,
        { ...clients, cloudFormation },
        stageResource('NestedStage', 'by-ref'),
      );

      expect(result).toMatchObject({ status: 'PASS', evidence: { restApiId } });
    });
  });
});
