import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import { createKmsClient, createS3Client, createS3ControlClient } from '../../shared/clients.ts';

/** The clients the S3 checks use; tests hand in clients pointed at the emulator or a named mock. */
export interface S3Clients {
  readonly s3: S3Client;
  readonly s3Control: S3ControlClient;
  readonly kms: KMSClient;
}

export function createS3Clients(): S3Clients {
  return { s3: createS3Client(), s3Control: createS3ControlClient(), kms: createKmsClient() };
}
