/**
 * CDK cloud assemblies as `cdk synth` writes them (cdk.out): the stacks in manifest.json (nested
 * assemblies of stages included), and their assets staged into the emulator the way `cdk deploy`
 * publishes them, so every bucket and key the template names exists in moto's S3:
 *
 * - file assets (Lambda code, nested stack templates): a directory is zipped, a file is uploaded as
 *   is, to each destination's bucketName/objectKey with ${AWS::AccountId}, ${AWS::Region} and
 *   ${AWS::Partition} filled in;
 * - Docker image assets are not built (no Docker): stubbed, with a note naming them;
 * - the bootstrap version: the template's BootstrapVersion parameter defaults to the SSM parameter
 *   /cdk-bootstrap/<qualifier>/version, which moto resolves from its SSM; it is set to the version
 *   the stack requires, so the CheckBootstrapVersion rule holds as in a bootstrapped account.
 *
 * https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
 * https://github.com/aws/aws-cdk-cli/tree/main/packages/%40aws-cdk/cloud-assembly-schema (manifest and asset manifest schema)
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { CliError } from '../../errors.ts';
import { ensureBucket, zipFolder } from '../staging.ts';
import { isRecord } from './values.ts';

export interface AssemblyStack {
  /** The artifact id (what `cdk deploy ID` takes). */
  readonly id: string;
  /** The CloudFormation stack name. */
  readonly stackName: string;
  readonly displayName: string;
  /** Absolute path of the template. */
  readonly templateFile: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly terminationProtection: boolean;
  /** The region of the stack's environment, when the assembly names one. */
  readonly region?: string;
  readonly assetManifests: readonly string[];
  readonly bootstrap?: { readonly version: number; readonly ssmParameter: string };
}

interface Artifact {
  readonly type?: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly dependencies?: readonly string[];
  readonly properties?: Record<string, unknown>;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${what} ${path} is not valid JSON`);
  }
}

function environmentRegion(environment: string | undefined): string | undefined {
  const region = /^aws:\/\/[^/]*\/(.+)$/.exec(environment ?? '')?.[1];
  return region && region !== 'unknown-region' ? region : undefined;
}

/** Every stack of a cloud assembly directory, nested assemblies (CDK stages) included. */
export function readAssembly(directory: string): AssemblyStack[] {
  const dir = resolve(directory);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new CliError(`${directory} is not a cloud assembly: it has no manifest.json (run cdk synth first)`);
  }
  const manifest = readJson(manifestPath, 'cloud assembly manifest');
  const artifacts = (isRecord(manifest) && isRecord(manifest.artifacts) ? manifest.artifacts : {}) as Record<
    string,
    Artifact
  >;
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries(artifacts)) {
    const properties = artifact.properties ?? {};
    if (artifact.type === 'cdk:cloud-assembly' && typeof properties.directoryName === 'string') {
      stacks.push(...readAssembly(join(dir, properties.directoryName)));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack' || typeof properties.templateFile !== 'string') continue;
    const assetManifests = (artifact.dependencies ?? []).flatMap((dependency) => {
      const file = artifacts[dependency]?.properties?.file;
      return artifacts[dependency]?.type === 'cdk:asset-manifest' && typeof file === 'string'
        ? [join(dir, file)]
        : [];
    });
    const version = properties.requiresBootstrapStackVersion;
    const ssmParameter = properties.bootstrapStackVersionSsmParameter;
    const region = environmentRegion(artifact.environment);
    stacks.push({
      id,
      stackName: typeof properties.stackName === 'string' ? properties.stackName : id,
      displayName: artifact.displayName ?? id,
      templateFile: join(dir, properties.templateFile),
      parameters: isRecord(properties.parameters)
        ? Object.fromEntries(Object.entries(properties.parameters).map(([k, v]) => [k, String(v)]))
        : {},
      terminationProtection: properties.terminationProtection === true,
      ...(region ? { region } : {}),
      assetManifests,
      ...(typeof version === 'number' && typeof ssmParameter === 'string'
        ? { bootstrap: { version, ssmParameter } }
        : {}),
    });
  }
  return stacks;
}

/** Picks the stacks to predict: one by artifact id, stack name or display name, or all of them. */
export function selectStacks(
  stacks: readonly AssemblyStack[],
  wanted: string | undefined,
  directory: string,
) {
  if (stacks.length === 0) throw new CliError(`the cloud assembly ${directory} has no stacks`);
  if (wanted === undefined) return [...stacks];
  const found = stacks.filter((s) => [s.id, s.stackName, s.displayName].includes(wanted));
  if (found.length === 0) {
    throw new CliError(
      `no stack ${wanted} in ${directory}; it has ${stacks.map((s) => s.displayName).join(', ')}`,
    );
  }
  return found;
}

export interface StageContext {
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  readonly accountId: string;
  readonly region: string;
  readonly partition?: string;
}

export interface StagedAssets {
  /** `bucket/key` of every object written. */
  readonly objects: string[];
  /** One line per Docker image asset, which the emulator does not build. */
  readonly notes: string[];
}

function fillPlaceholders(text: string, context: StageContext, region: string): string {
  return text
    .replaceAll('${AWS::AccountId}', context.accountId)
    .replaceAll('${AWS::Region}', region)
    .replaceAll('${AWS::Partition}', context.partition ?? 'aws');
}

/** The bytes `cdk deploy` would publish for a file asset. */
function assetBytes(path: string, packaging: unknown): Uint8Array {
  if (!existsSync(path)) throw new CliError(`asset ${path} is missing from the cloud assembly`);
  if (packaging === 'zip' && statSync(path).isDirectory()) {
    // Fixed timestamps, as CDK's own zips, so the archive depends only on the content.
    return zipFolder(path);
  }
  return readFileSync(path);
}

async function ensureBucketOnce(s3: S3Client, bucket: string, region: string, made: Set<string>) {
  if (made.has(bucket)) return;
  await ensureBucket(s3, bucket, region);
  made.add(bucket);
}

/** Uploads the stack's file assets and sets the bootstrap version; Docker images become notes. */
export async function stageAssets(stack: AssemblyStack, context: StageContext): Promise<StagedAssets> {
  const objects: string[] = [];
  const notes: string[] = [];
  const buckets = new Set<string>();
  for (const manifestPath of stack.assetManifests) {
    const manifest = readJson(manifestPath, 'asset manifest');
    const base = resolve(manifestPath, '..');
    const files = isRecord(manifest) && isRecord(manifest.files) ? manifest.files : {};
    for (const [hash, asset] of Object.entries(files)) {
      if (!isRecord(asset) || !isRecord(asset.source) || !isRecord(asset.destinations)) continue;
      if (typeof asset.source.path !== 'string') {
        notes.push(`file asset ${hash} is built by a command (executable), not staged`);
        continue;
      }
      const bytes = assetBytes(resolve(base, asset.source.path), asset.source.packaging);
      for (const destination of Object.values(asset.destinations)) {
        if (!isRecord(destination)) continue;
        const region = typeof destination.region === 'string' ? destination.region : context.region;
        const bucket = fillPlaceholders(String(destination.bucketName), context, region);
        const key = fillPlaceholders(String(destination.objectKey), context, region);
        await ensureBucketOnce(context.s3, bucket, context.region, buckets);
        await context.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
        objects.push(`${bucket}/${key}`);
      }
    }
    const images = isRecord(manifest) && isRecord(manifest.dockerImages) ? manifest.dockerImages : {};
    for (const [hash, image] of Object.entries(images)) {
      const name = isRecord(image) && typeof image.displayName === 'string' ? image.displayName : hash;
      notes.push(
        `Docker image asset ${name} is not built (the emulator runs no Docker): what uses it gets its image URI, no image`,
      );
    }
  }
  if (stack.bootstrap) {
    await context.ssm.send(
      new PutParameterCommand({
        Name: stack.bootstrap.ssmParameter,
        Value: String(stack.bootstrap.version),
        Type: 'String',
        Overwrite: true,
      }),
    );
  }
  return { objects, notes };
}
