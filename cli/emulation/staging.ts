/**
 * Putting local artifacts into the emulator's S3, as `sam package` and `cdk deploy` publish them:
 * the staging bucket, and folders zipped the same way every time (sorted entries, fixed timestamps,
 * Unix permissions kept, so a custom runtime's bootstrap stays executable and unchanged code keeps
 * its hash). Used by the SAM packaging (sam/package.ts) and the CDK assets (deploy/assets.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { type Zippable, zipSync } from 'fflate';

// DOS timestamps start in 1980; a date clear of every time zone keeps the zip byte-identical.
const ZIP_MTIME = new Date('1980-01-02T00:00:00Z');

function filesUnder(folder: string): string[] {
  const files: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      // Symbolic links are followed, as Python's zipfile does for files.
      const kind = entry.isSymbolicLink() ? statSync(path) : entry;
      if (kind.isDirectory()) visit(path);
      else if (kind.isFile()) files.push(path);
    }
  };
  visit(folder);
  return files.sort();
}

/** One file as a zip entry, with its Unix permissions. */
export function zipEntry(path: string): Zippable[string] {
  const mode = statSync(path).mode & 0o777;
  return [readFileSync(path), { os: 3, attrs: mode << 16, mtime: ZIP_MTIME }];
}

/** A zip of the folder's files, relative to it, in a stable order. */
export function zipFolder(folder: string): Uint8Array {
  const entries: Zippable = {};
  for (const file of filesUnder(folder))
    entries[relative(folder, file).split('\\').join('/')] = zipEntry(file);
  return zipSync(entries, { level: 6 });
}

/** Creates the bucket unless this account already owns it. */
export async function ensureBucket(s3: S3Client, bucket: string, region: string): Promise<void> {
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
      }),
    );
  } catch (error) {
    if (!(error instanceof BucketAlreadyOwnedByYou)) throw error;
  }
}
