import { AssociateWebACLCommand, CreateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiGatewayClients } from '../../../functions/checks/apigateway/clients.ts';
import { rules } from '../../../functions/checks/apigateway/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { createRestApiStack, stageResource } from '../../support/rest-api-stack.ts';

const CHECK = 'api-gw-associated-with-waf';
const clients = createApiGatewayClients();
const wafv2 = new WAFV2Client({});
let webAclArn = '';

beforeAll(async () => {
  const { restApiId } = await createRestApiStack(clients, {
    stages: { ProtectedStage: 'protected', OpenStage: 'open' },
  });
  const { Summary } = await wafv2.send(
    new CreateWebACLCommand({
      Name: 'api-acl',
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [],
      VisibilityConfig: {
        SampledRequestsEnabled: false,
        CloudWatchMetricsEnabled: false,
        MetricName: 'api-acl',
      },
    }),
  );
  webAclArn = String(Summary?.ARN);
  await wafv2.send(
    new AssociateWebACLCommand({
      WebACLArn: webAclArn,
      ResourceArn: `arn:aws:apigateway:us-east-1::/restapis/${restApiId}/stages/protected`,
    }),
  );
});

describe(`${CHECK} (moto)`, () => {
  it('passes a stage associated with a web ACL', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('ProtectedStage', 'protected'));

    expect(result).toMatchObject({ status: 'PASS', evidence: { webAclArn } });
  });

  it('passes when the web ACL is one of WebAclArns', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('ProtectedStage', 'protected'), {
      params: { WebAclArns: [webAclArn] },
    });

    expect(result.status).toBe('PASS');
  });

  it('fails when the web ACL is not one of WebAclArns', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('ProtectedStage', 'protected'), {
      params: { WebAclArns: ['arn:aws:wafv2:us-east-1:123456789012:regional/webacl/other/1'] },
    });

    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('not one of the allowed web ACLs');
  });

  it('fails a stage without a web ACL', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('OpenStage', 'open'));

    expect(result).toMatchObject({ status: 'FAIL', message: 'no WAF web ACL is associated with the stage' });
  });

  it('is an ERROR when the stage does not exist', async () => {
    const result = await runCheck(CHECK, rules, clients, stageResource('OpenStage', 'gone'));

    expect(result.status).toBe('ERROR');
  });
});
