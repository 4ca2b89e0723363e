import { booleanParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import { bucketVersioning } from './bucket-facts.ts';
import type { S3Clients } from './clients.ts';

/** PASS when versioning is Enabled (and MFA delete too, when `isMfaDeleteEnabled`). */
export const s3BucketVersioningEnabled: CheckRule<S3Clients> = async (context) => {
  const versioning = await bucketVersioning(context);
  const status = versioning.Status ?? 'never enabled';
  if (versioning.Status !== 'Enabled') {
    return { status: 'FAIL', message: `versioning is ${status}`, evidence: { Status: status } };
  }
  if (
    booleanParam(context.params.isMfaDeleteEnabled, 'isMfaDeleteEnabled', false) &&
    versioning.MFADelete !== 'Enabled'
  ) {
    return {
      status: 'FAIL',
      message: 'versioning is Enabled but MFA delete is not',
      evidence: { MFADelete: versioning.MFADelete ?? 'Disabled' },
    };
  }
  return { status: 'PASS', message: 'versioning is Enabled' };
};
