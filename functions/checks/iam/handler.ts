import { makeFamilyHandler } from '../run.ts';
import { createIamClients, type IamClients } from './clients.ts';
import { iamCustomerPolicyBlockedKmsActions } from './iam-customer-policy-blocked-kms-actions.ts';
import { iamInlinePolicyBlockedKmsActions } from './iam-inline-policy-blocked-kms-actions.ts';
import { iamPolicyBlacklistedCheck } from './iam-policy-blacklisted-check.ts';
import { iamPolicyNoStatementsWithAdminAccess } from './iam-policy-no-statements-with-admin-access.ts';
import { iamPolicyNoStatementsWithFullAccess } from './iam-policy-no-statements-with-full-access.ts';

/** Rules of the iam family, by check id (the inventory test pins this against the registry). */
export const rules = {
  'iam-policy-no-statements-with-admin-access': iamPolicyNoStatementsWithAdminAccess,
  'iam-policy-no-statements-with-full-access': iamPolicyNoStatementsWithFullAccess,
  'iam-policy-blacklisted-check': iamPolicyBlacklistedCheck,
  'iam-inline-policy-blocked-kms-actions': iamInlinePolicyBlockedKmsActions,
  'iam-customer-policy-blocked-kms-actions': iamCustomerPolicyBlockedKmsActions,
};

export const makeHandler = (clients: IamClients) => makeFamilyHandler('iam', rules, clients);

export const handler = makeHandler(createIamClients());
