import { makeFamilyHandler } from '../run.ts';
import { createSnsClients, type SnsClients } from './clients.ts';
import { snsEncryptedKms } from './sns-encrypted-kms.ts';
import { snsTopicNoPublicAccess } from './sns-topic-no-public-access.ts';
import { snsTopicSslPublishOnly } from './sns-topic-ssl-publish-only.ts';

/** Rules of the sns family, by check id (the inventory test pins this against the registry). */
export const rules = {
  'sns-encrypted-kms': snsEncryptedKms,
  'sns-topic-no-public-access': snsTopicNoPublicAccess,
  'sns-topic-ssl-publish-only': snsTopicSslPublishOnly,
};

export const makeHandler = (clients: SnsClients) => makeFamilyHandler('sns', rules, clients);

export const handler = makeHandler(createSnsClients());
