import { makeFamilyHandler } from '../run.ts';
import { createSecretsManagerClients, type SecretsManagerClients } from './clients.ts';
import { secretsmanagerRotationEnabledCheck } from './secretsmanager-rotation-enabled-check.ts';
import { secretsmanagerSecretNotPublic } from './secretsmanager-secret-not-public.ts';
import { secretsmanagerUsingCmk } from './secretsmanager-using-cmk.ts';

/** Rules of the secretsmanager family, by check id (the inventory test pins this against the registry). */
export const rules = {
  'secretsmanager-rotation-enabled-check': secretsmanagerRotationEnabledCheck,
  'secretsmanager-using-cmk': secretsmanagerUsingCmk,
  'secretsmanager-secret-not-public': secretsmanagerSecretNotPublic,
};

export const makeHandler = (clients: SecretsManagerClients) =>
  makeFamilyHandler('secretsmanager', rules, clients);

export const handler = makeHandler(createSecretsManagerClients());
