import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { rules } from '../../../functions/checks/kms/handler.ts';
import { registry } from '../../../functions/checks/registry.ts';
import { runWorkItem } from '../../../functions/checks/run.ts';
import { TEST_STACK } from '../../support/check-harness.ts';

describe('kms family handler', () => {
  it('binds a rule to every kms check of the registry, and to nothing else', () => {
    const checkIds = registry.filter((check) => check.family === 'kms').map((check) => check.id);

    expect(Object.keys(rules).sort()).toEqual(checkIds.sort());
    expect(checkIds).toHaveLength(3);
  });

  it('runs the three checks with one DescribeKey (SDK mock: counts calls)', async () => {
    const client = new KMSClient({});
    const kms = mockClient(client);
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: {
        KeyId: 'k',
        KeyState: 'Enabled',
        KeyManager: 'CUSTOMER',
        KeySpec: 'SYMMETRIC_DEFAULT',
        Origin: 'AWS_KMS',
      },
    });
    kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify({ Statement: [] }) });
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });

    const outcome = await runWorkItem(
      'kms',
      rules,
      { kms: client },
      {
        workItem: { family: 'kms', resource: { logicalId: 'Key', physicalId: 'k', type: 'AWS::KMS::Key' } },
        stack: TEST_STACK,
        trigger: 'adhoc',
      },
    );

    expect(outcome.results.map((result) => [result.checkId, result.status])).toEqual([
      ['kms-key-policy-no-public-access', 'PASS'],
      ['kms-cmk-not-scheduled-for-deletion', 'PASS'],
      ['cmk-backing-key-rotation-enabled', 'PASS'],
    ]);
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(1);
  });
});
