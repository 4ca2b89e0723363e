/**
 * ListResources on a 500-resource stack (CloudFormation's limit) in moto: its output, the state
 * every later state starts from, must fit Step Functions' 256 KiB payload limit with room to spare.
 */
import { describe, expect, it } from 'vitest';
import { syntheticTemplate } from '../../bench/synthetic-stack.ts';
import { deployStack } from '../../cli/emulation/deploy/index.ts';
import { makeHandler } from '../../functions/list-resources/handler.ts';
import { createCloudFormationClient, createCodeDeployClient } from '../../functions/shared/clients.ts';

const STATE_LIMIT_BYTES = 256 * 1024;

describe('ListResources at scale', () => {
  it('plans a 500-resource stack inside the 256 KiB state limit', { timeout: 300_000 }, async () => {
    const deployed = await deployStack({
      stackName: 'scale-500',
      template: syntheticTemplate(500),
      timeoutMs: 240_000,
    });
    expect(deployed.resources.length).toBeGreaterThanOrEqual(490);

    const plan = await makeHandler({
      cloudFormation: createCloudFormationClient(),
      codeDeploy: createCodeDeployClient(),
    })({
      input: {
        stackName: 'scale-500',
        trigger: 'BeforeAllowTraffic',
        deploymentId: 'd-SCALE0001',
        hookExecutionId: 'h',
      },
      executionName: 'scale',
      startedAt: new Date().toISOString(),
    });

    const bytes = Buffer.byteLength(JSON.stringify(plan), 'utf8');
    expect(plan.items.length).toBeGreaterThan(500);
    expect(bytes).toBeLessThan(STATE_LIMIT_BYTES / 2);
    expect(plan.messageBudget * plan.items.length).toBeLessThanOrEqual(64 * 1024);
  });
});
