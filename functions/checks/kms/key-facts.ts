import { DescribeKeyCommand, type KeyMetadata } from '@aws-sdk/client-kms';
import type { CheckContext } from '../types.ts';
import type { KmsClients } from './clients.ts';

/** DescribeKey once per key and invocation, shared by the checks of the kms family. */
export async function describeKey(
  { clients, memo }: Pick<CheckContext<KmsClients>, 'clients' | 'memo'>,
  keyId: string,
): Promise<KeyMetadata> {
  const response = await memo(`kms:key:${keyId}`, () =>
    clients.kms.send(new DescribeKeyCommand({ KeyId: keyId })),
  );
  if (!response.KeyMetadata) throw new TypeError(`DescribeKey returned no KeyMetadata for ${keyId}`);
  return response.KeyMetadata;
}

/** Key states in which the key is on its way out (ScheduleKeyDeletion, or a replica's deletion). */
export const DELETION_STATES: ReadonlySet<string> = new Set(['PendingDeletion', 'PendingReplicaDeletion']);
