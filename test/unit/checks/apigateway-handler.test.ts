import {
  APIGatewayClient,
  GetAccountCommand,
  GetResourcesCommand,
  GetStageCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import {
  CloudFormationClient,
  GetTemplateCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { rules } from '../../../functions/checks/apigateway/handler.ts';
import { registry } from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { TEST_STACK } from '../../support/check-harness.ts';

describe('apigateway family handler', () => {
  it('binds a rule to every apigateway check of the registry, and to nothing else', () => {
    const checkIds = registry.filter((check) => check.family === 'apigateway').map((check) => check.id);

    expect(Object.keys(rules).sort()).toEqual(checkIds.sort());
    expect(checkIds).toHaveLength(9);
  });

  it('runs the five stage checks with one template read, one GetStage and one GetAccount (SDK mock: counts calls)', async () => {
    const apiGateway = new APIGatewayClient({});
    const cloudFormation = new CloudFormationClient({});
    const apiMock = mockClient(apiGateway);
    const cfnMock = mockClient(cloudFormation);
    cfnMock
      .on(GetTemplateCommand)
      .resolves({
        TemplateBody: JSON.stringify({
          Resources: { Prod: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' } } } },
        }),
      })
      .on(ListStackResourcesCommand)
      .resolves({
        StackResourceSummaries: [
          {
            LogicalResourceId: 'Api',
            PhysicalResourceId: 'a1b2c3',
            ResourceType: 'AWS::ApiGateway::RestApi',
            ResourceStatus: 'CREATE_COMPLETE',
            LastUpdatedTimestamp: new Date(),
          },
        ],
      });
    apiMock
      .on(GetStageCommand, { restApiId: 'a1b2c3', stageName: 'prod' })
      .resolves({
        stageName: 'prod',
        tracingEnabled: true,
        webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/acl/1',
        accessLogSettings: { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:access' },
        methodSettings: {
          '*/*': { loggingLevel: 'ERROR', throttlingRateLimit: 100, throttlingBurstLimit: 50 },
        },
      })
      .on(GetAccountCommand)
      .resolves({
        cloudwatchRoleArn: 'arn:aws:iam::123456789012:role/logs',
        throttleSettings: { rateLimit: 10000, burstLimit: 5000 },
      });

    const outcome = await runWorkItem(
      'apigateway',
      rules,
      { apiGateway, apiGatewayV2: new ApiGatewayV2Client({}), cloudFormation },
      {
        workItem: {
          family: 'apigateway',
          resource: { logicalId: 'Prod', physicalId: 'prod', type: 'AWS::ApiGateway::Stage' },
        },
        stack: TEST_STACK,
        trigger: 'adhoc',
      },
    );

    expect(outcome.results.map((result) => [result.checkId, result.status])).toEqual([
      ['api-gw-execution-logging-enabled', 'PASS'],
      ['apigateway-stage-access-logs-enabled', 'PASS'],
      ['api-gw-associated-with-waf', 'PASS'],
      ['api-gw-xray-enabled', 'PASS'],
      ['api-gw-custom-throttling', 'PASS'],
    ]);
    expect(cfnMock.commandCalls(GetTemplateCommand)).toHaveLength(1);
    expect(cfnMock.commandCalls(GetTemplateCommand)[0]?.args[0].input.TemplateStage).toBe('Processed');
    expect(cfnMock.commandCalls(ListStackResourcesCommand)).toHaveLength(1);
    expect(apiMock.commandCalls(GetStageCommand)).toHaveLength(1);
    expect(apiMock.commandCalls(GetAccountCommand)).toHaveLength(1);
    expect(apiMock.commandCalls(GetUsagePlansCommand)).toHaveLength(0);
    expect(apiMock.commandCalls(GetResourcesCommand)).toHaveLength(0);
  });
});
