import type { CheckRule } from '../types.ts';
import type { S3Clients } from './clients.ts';
import { assessPublicAccess } from './public-access.ts';

/** FAIL when an ACL grant or a policy statement lets the public write, and Block Public Access does not stop it. */
export const s3BucketPublicWriteProhibited: CheckRule<S3Clients> = (context) =>
  assessPublicAccess(context, 'write');
