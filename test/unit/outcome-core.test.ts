import { describe, expect, it } from 'vitest';
import { deploymentStateChange } from '../../functions/outcome/core.ts';
import {
  isAccepted,
  outcomeOfDeploymentStatus,
  outcomeUpdate,
  releaseIdOf,
} from '../../functions/shared/history-table.ts';

/** The example event of the EventBridge events reference for CodeDeploy, with a given state. */
function event(state: string) {
  return {
    account: '123456789012',
    region: 'us-east-1',
    'detail-type': 'CodeDeploy Deployment State-change Notification',
    source: 'aws.codedeploy',
    version: '0',
    time: '2016-06-30T22:06:31Z',
    id: 'c071bfbf-83c4-49ca-a6ff-3df053957145',
    resources: [
      'arn:aws:codedeploy:us-east-1:123456789012:application:myApplication',
      'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:myApplication/myDeploymentGroup',
    ],
    detail: {
      instanceGroupId: '9fd2fbef-2157-40d8-91e7-6845af69e2d2',
      region: 'us-east-1',
      application: 'myApplication',
      deploymentId: 'd-123456789',
      state,
      deploymentGroup: 'myDeploymentGroup',
    },
  };
}

describe('deploymentStateChange', () => {
  it.each([
    ['SUCCESS', 'SUCCEEDED'],
    ['FAILURE', 'FAILED'],
    ['STOP', 'STOPPED'],
  ])('reads %s as %s, at the event time', (state, outcome) => {
    expect(deploymentStateChange(event(state))).toEqual({
      deploymentId: 'd-123456789',
      outcome,
      at: '2016-06-30T22:06:31.000Z',
    });
  });

  it('ends nothing on START or READY', () => {
    for (const state of ['START', 'READY']) {
      expect(deploymentStateChange(event(state))).toEqual({
        deploymentId: 'd-123456789',
        at: '2016-06-30T22:06:31.000Z',
      });
    }
  });

  it('refuses events of another kind, and a deployment event without a deployment id', () => {
    expect(() =>
      deploymentStateChange({
        ...event('SUCCESS'),
        'detail-type': 'CodeDeploy Instance State-change Notification',
      }),
    ).toThrow('the outcome tracker takes CodeDeploy Deployment State-change Notification events only');
    expect(() => deploymentStateChange(null)).toThrow('events only');
    expect(() => deploymentStateChange({ ...event('SUCCESS'), detail: { state: 'SUCCESS' } })).toThrow(
      'names no deploymentId',
    );
  });
});

describe('the history table contract', () => {
  it('identifies a release by the stack and its last update, else its creation', () => {
    const created = new Date('2026-01-01T00:00:00Z');
    const updated = new Date('2026-02-01T10:00:00.123Z');
    expect(releaseIdOf('arn:stack/svc/1', updated, created)).toBe('arn:stack/svc/1@2026-02-01T10:00:00.123Z');
    expect(releaseIdOf('arn:stack/svc/1', undefined, created)).toBe(
      'arn:stack/svc/1@2026-01-01T00:00:00.000Z',
    );
    expect(releaseIdOf('arn:stack/svc/1', undefined, undefined)).toBeUndefined();
  });

  it('accepts only a hook run the gate let through and CodeDeploy finished', () => {
    expect(isAccepted({ trigger: 'BeforeAllowTraffic', decision: 'Succeeded', outcome: 'SUCCEEDED' })).toBe(
      true,
    );
    expect(isAccepted({ trigger: 'AfterAllowTraffic', decision: 'Succeeded', outcome: 'STOPPED' })).toBe(
      false,
    );
    expect(isAccepted({ trigger: 'BeforeAllowTraffic', decision: 'Failed', outcome: 'SUCCEEDED' })).toBe(
      false,
    );
    expect(isAccepted({ trigger: 'adhoc', decision: 'Succeeded', outcome: 'SUCCEEDED' })).toBe(false);
  });

  it('maps only final GetDeployment statuses to an outcome', () => {
    expect(['Succeeded', 'Failed', 'Stopped'].map(outcomeOfDeploymentStatus)).toEqual([
      'SUCCEEDED',
      'FAILED',
      'STOPPED',
    ]);
    expect(
      ['Created', 'Queued', 'InProgress', 'Baking', 'Ready', undefined].map(outcomeOfDeploymentStatus),
    ).toEqual(Array(6).fill(undefined));
  });

  it('records an outcome only on an existing item, and a lookup never overwrites a known one', () => {
    const mark = { outcome: 'SUCCEEDED', at: 't', source: 'GetDeployment', accepted: true } as const;
    expect(outcomeUpdate('h', { stackName: 's', runId: 'r' }, mark).ConditionExpression).toBe(
      'attribute_exists(runId)',
    );
    expect(
      outcomeUpdate('h', { stackName: 's', runId: 'r' }, mark, { onlyIfUnknown: true }).ConditionExpression,
    ).toBe('attribute_exists(runId) AND (attribute_not_exists(#outcome) OR #outcome = :pending)');
  });
});
