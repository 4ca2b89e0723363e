import {
  CodeDeployClient,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CodeDeployStandIn, startCodeDeployStandIn } from '../../../cli/emulation/codedeploy-standin.ts';
import { createStackClients, type StackClients } from '../../../functions/checks/stack/clients.ts';
import { rules } from '../../../functions/checks/stack/handler.ts';
import { runCheck } from '../../support/check-harness.ts';
import { invokeAnswer, registerDeployment, stackResource } from '../../support/deployments.ts';
import { accessDenied, serviceError } from '../../support/service-errors.ts';

// The deployment comes from the CodeDeploy stand-in (real client, real wire protocol); the target
// version's answer from an SDK mock, because moto runs no Lambda code.
const CHECK = 'deployment-target-smoke-invoke';
let standIn: CodeDeployStandIn;
let clients: StackClients;
const lambda = new LambdaClient({});
const lambdaMock = mockClient(lambda);

beforeAll(async () => {
  standIn = await startCodeDeployStandIn();
  clients = {
    ...createStackClients(),
    codeDeploy: new CodeDeployClient({ endpoint: standIn.endpoint }),
    lambda,
  };
});
afterAll(async () => {
  lambdaMock.restore();
  await standIn.stop();
});
afterEach(() => lambdaMock.reset());

function smoke(deploymentId: string, options: { params?: Record<string, string> } = {}) {
  return runCheck(CHECK, rules, clients, stackResource(), {
    trigger: 'BeforeAllowTraffic',
    deployment: { deploymentId, hookExecutionId: 'hook' },
    ...options,
  });
}

describe(`${CHECK} (CodeDeploy stand-in; SDK mock: moto runs no Lambda code)`, () => {
  it('passes when the target version answers, invoking Name:TargetVersion with the payload', async () => {
    const { deploymentId } = registerDeployment(standIn, 'orders', {
      currentVersion: '6',
      targetVersion: '7',
    });
    lambdaMock.on(InvokeCommand).resolves(invokeAnswer({ ok: true }));

    const result = await smoke(deploymentId, { params: { payload: '{"path":"/health"}' } });

    expect(result).toMatchObject({ status: 'PASS', message: 'orders:7 answered the smoke invocation' });
    const input = lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ FunctionName: 'orders:7', InvocationType: 'RequestResponse' });
    expect(new TextDecoder().decode(input?.Payload as Uint8Array)).toBe('{"path":"/health"}');
  });

  it('passes an API Gateway proxy answer with statusCode 200', async () => {
    const { deploymentId } = registerDeployment(standIn, 'api');
    lambdaMock.on(InvokeCommand).resolves(invokeAnswer({ statusCode: 200, body: '{"status":"ok"}' }));

    const result = await smoke(deploymentId);

    expect(result).toMatchObject({
      status: 'PASS',
      evidence: { function: 'api:2', statusCode: 200, httpStatus: 200 },
    });
  });

  it('fails a FunctionError, with a short excerpt that holds no secret', async () => {
    const { deploymentId } = registerDeployment(standIn, 'crashing');
    lambdaMock.on(InvokeCommand).resolves(
      invokeAnswer(
        {
          errorType: 'ConnectionError',
          errorMessage: `could not connect with password=hunter2 to db; ${'retrying '.repeat(40)}`,
          trace: ['at connect (/var/task/index.js:1:1)'],
        },
        { FunctionError: 'Unhandled' },
      ),
    );

    const result = await smoke(deploymentId);

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'crashing:2 raised an error on the smoke invocation (ConnectionError)',
      evidence: { functionError: 'Unhandled', errorType: 'ConnectionError' },
    });
    const excerpt = String(result.evidence?.excerpt);
    expect(excerpt).toMatch(/^could not connect with password=\[redacted\] to db/);
    expect(excerpt.length).toBeLessThanOrEqual(121);
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(JSON.stringify(result)).not.toContain('/var/task');
  });

  it('fails an API Gateway proxy answer with statusCode 502', async () => {
    const { deploymentId } = registerDeployment(standIn, 'bad-gateway');
    lambdaMock
      .on(InvokeCommand)
      .resolves(invokeAnswer({ statusCode: 502, body: '{"message":"upstream failed","apiKey":"k-123"}' }));

    const result = await smoke(deploymentId);

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'bad-gateway:2 answered the smoke invocation with HTTP 502',
      evidence: { httpStatus: 502, excerpt: '{"message":"upstream failed","apiKey":"[redacted]"}' },
    });
  });

  it('fails an invocation whose status code is not 2xx', async () => {
    const { deploymentId } = registerDeployment(standIn, 'odd-status');
    lambdaMock.on(InvokeCommand).resolves(invokeAnswer('', { StatusCode: 500 }));

    const result = await smoke(deploymentId);

    expect(result).toMatchObject({
      status: 'FAIL',
      message: 'the smoke invocation of odd-status:2 returned 500',
    });
  });

  it('is not applicable without a deployment, and does not run on an ad-hoc audit', async () => {
    const withoutDeployment = await runCheck(CHECK, rules, clients, stackResource(), {
      trigger: 'AfterAllowTraffic',
    });
    const adhoc = runCheck(CHECK, rules, clients, stackResource(), { trigger: 'adhoc' });

    expect(withoutDeployment).toMatchObject({ status: 'NOT_APPLICABLE' });
    await expect(adhoc).rejects.toThrow('did not run');
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('is an ERROR when the deployment does not exist', async () => {
    const result = await smoke('d-UNKNOWN');

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('DeploymentDoesNotExistException');
  });

  it('is an ERROR when the target version does not exist', async () => {
    const { deploymentId } = registerDeployment(standIn, 'unpublished');
    lambdaMock
      .on(InvokeCommand)
      .rejects(serviceError('ResourceNotFoundException', 404, 'Function not found: unpublished:2'));

    const result = await smoke(deploymentId);

    expect(result).toMatchObject({
      status: 'ERROR',
      message: 'ResourceNotFoundException: Function not found: unpublished:2',
    });
  });

  it('is an ERROR that names lambda:InvokeFunction when access is denied', async () => {
    const { deploymentId } = registerDeployment(standIn, 'locked');
    lambdaMock.on(InvokeCommand).rejects(accessDenied());

    const result = await smoke(deploymentId);

    expect(result.status).toBe('ERROR');
    expect(result.message).toContain('lambda:InvokeFunction');
  });

  describe('AppSpec forms (SDK mock: the stand-in always returns the AppSpec inline, as JSON)', () => {
    const codeDeploy = new CodeDeployClient({});
    const codeDeployMock = mockClient(codeDeploy);
    afterEach(() => codeDeployMock.reset());
    const yamlAppSpec = [
      'version: 0.0',
      'Resources:',
      '  - orders:',
      '      Type: AWS::Lambda::Function',
      '      Properties:',
      '        Name: yaml-fn',
      '        Alias: live',
      '        CurrentVersion: 3',
      '        TargetVersion: 4',
    ].join('\n');

    it('reads a YAML AppSpec given as a String revision', async () => {
      codeDeployMock.on(GetDeploymentCommand).resolves({
        deploymentInfo: {
          applicationName: 'app',
          revision: { revisionType: 'String', string: { content: yamlAppSpec } },
        },
      });
      lambdaMock.on(InvokeCommand).resolves(invokeAnswer({ ok: true }));

      const result = await runCheck(CHECK, rules, { ...clients, codeDeploy }, stackResource(), {
        trigger: 'BeforeAllowTraffic',
        deployment: { deploymentId: 'd-YAML' },
      });

      expect(result).toMatchObject({ status: 'PASS', evidence: { function: 'yaml-fn:4' } });
    });

    it('falls back to GetApplicationRevision when the deployment carries no content', async () => {
      const revision = { revisionType: 'AppSpecContent' as const, appSpecContent: { sha256: 'abc' } };
      codeDeployMock
        .on(GetDeploymentCommand)
        .resolves({ deploymentInfo: { applicationName: 'app', revision } })
        .on(GetApplicationRevisionCommand, { applicationName: 'app', revision })
        .resolves({ revision: { revisionType: 'AppSpecContent', appSpecContent: { content: yamlAppSpec } } });
      lambdaMock.on(InvokeCommand).resolves(invokeAnswer({ ok: true }));

      const result = await runCheck(CHECK, rules, { ...clients, codeDeploy }, stackResource(), {
        trigger: 'BeforeAllowTraffic',
        deployment: { deploymentId: 'd-STORED' },
      });

      expect(result).toMatchObject({ status: 'PASS', evidence: { function: 'yaml-fn:4' } });
    });

    it('is an ERROR when no AppSpec can be found', async () => {
      codeDeployMock.on(GetDeploymentCommand).resolves({
        deploymentInfo: {
          applicationName: 'app',
          revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k' } },
        },
      });
      codeDeployMock.on(GetApplicationRevisionCommand).resolves({ revision: { revisionType: 'S3' } });

      const result = await runCheck(CHECK, rules, { ...clients, codeDeploy }, stackResource(), {
        trigger: 'BeforeAllowTraffic',
        deployment: { deploymentId: 'd-S3' },
      });

      expect(result).toMatchObject({
        status: 'ERROR',
        message: 'DeploymentTargetError: deployment d-S3 has no AppSpec content (revision type S3)',
      });
    });
  });
});
