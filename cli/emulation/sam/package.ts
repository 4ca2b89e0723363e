/**
 * Stages a SAM template's local artifacts the way `sam package` does, before the transform: each
 * local CodeUri / ContentUri / DefinitionUri (relative to the template's directory) is uploaded to a
 * staging bucket (folders zipped; a function's or layer's single non-zip file zipped too) and the
 * property rewritten to the S3 location. S3 URIs, objects ({Bucket, Key}) and intrinsics are left
 * alone, as `sam package` leaves them.
 *
 * Which properties, and how (SAM CLI samcli/lib/package/packageable_resources.py and
 * artifact_exporter.py; https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-package.html):
 *
 * | resource type                    | property      | a folder | a file       | omitted                  |
 * |----------------------------------|---------------|----------|--------------|--------------------------|
 * | AWS::Serverless::Function (Zip)  | CodeUri       | zipped   | zipped¹      | Globals.Function.CodeUri, else the template's folder |
 * | AWS::Serverless::LayerVersion    | ContentUri    | zipped   | zipped¹      | the template's folder    |
 * | AWS::Serverless::Api             | DefinitionUri | zipped   | as is        | nothing staged           |
 * | AWS::Serverless::HttpApi         | DefinitionUri | zipped   | as is        | nothing staged           |
 * | AWS::Serverless::StateMachine    | DefinitionUri | zipped   | as is, as {Bucket, Key} | nothing staged |
 *
 * ¹ unless it already is a zip archive. A function with InlineCode, or of PackageType Image, is not
 * packaged. Keys are the MD5 of the uploaded bytes under the stack's prefix, as `sam deploy` names
 * them; zips are deterministic (sorted entries, fixed timestamps), so unchanged code keeps its key
 * and AutoPublishAlias its version.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { zipEntry, zipFolder } from '../staging.ts';
import type { CfnTemplate } from '../template.ts';
import { SamTransformError } from './translator.ts';

interface PackageableProperty {
  readonly type: string;
  readonly property: string;
  /** Lambda code: a single file that is not a zip is zipped (FORCE_ZIP). */
  readonly forceZip: boolean;
  /** An omitted property packages the template's folder (PACKAGE_NULL_PROPERTY). */
  readonly packageOmitted: boolean;
  /** The S3 location is written as {Bucket, Key} rather than an s3:// URI. */
  readonly asObject: boolean;
}

export const PACKAGEABLE: readonly PackageableProperty[] = [
  {
    type: 'AWS::Serverless::Function',
    property: 'CodeUri',
    forceZip: true,
    packageOmitted: true,
    asObject: false,
  },
  {
    type: 'AWS::Serverless::LayerVersion',
    property: 'ContentUri',
    forceZip: true,
    packageOmitted: true,
    asObject: false,
  },
  {
    type: 'AWS::Serverless::Api',
    property: 'DefinitionUri',
    forceZip: false,
    packageOmitted: false,
    asObject: false,
  },
  {
    type: 'AWS::Serverless::HttpApi',
    property: 'DefinitionUri',
    forceZip: false,
    packageOmitted: false,
    asObject: false,
  },
  {
    type: 'AWS::Serverless::StateMachine',
    property: 'DefinitionUri',
    forceZip: false,
    packageOmitted: false,
    asObject: true,
  },
];

export interface StagedArtifact {
  readonly logicalId: string;
  readonly property: string;
  /** The local path, relative to the base folder when inside it. */
  readonly source: string;
  readonly bucket: string;
  readonly key: string;
  readonly bytes: number;
}

export interface PackageOptions {
  /** The folder relative paths start from: the template file's. */
  readonly baseDir: string;
  readonly bucket: string;
  /** Key prefix, e.g. the stack name (as `sam deploy` uses it). */
  readonly prefix: string;
  readonly upload: (key: string, body: Uint8Array) => Promise<void>;
}

const ZIP_MAGIC = [0x50, 0x4b];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isZipArchive(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === ZIP_MAGIC[0] && bytes[1] === ZIP_MAGIC[1];
}

function artifactBytes(path: string, forceZip: boolean): Uint8Array {
  const stats = statSync(path);
  if (stats.isDirectory()) return zipFolder(path);
  const bytes = readFileSync(path);
  if (forceZip && !isZipArchive(bytes)) return zipSync({ [basename(path)]: zipEntry(path) }, { level: 6 });
  return bytes;
}

function localPathOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '' || /^s3:\/\//.test(value)) return undefined;
  // An https:// S3 URL is a remote location too; only local paths are staged.
  if (/^https?:\/\//.test(value)) return undefined;
  return value;
}

/**
 * A copy of the template with every local artifact uploaded and its property rewritten. Throws
 * SamTransformError naming the resource and property when a path does not exist.
 */
export async function packageLocalArtifacts(
  template: CfnTemplate,
  options: PackageOptions,
): Promise<{ template: CfnTemplate; staged: StagedArtifact[] }> {
  const packaged = structuredClone(template) as CfnTemplate;
  const staged: StagedArtifact[] = [];
  const uploaded = new Map<string, Uint8Array>();
  const globalCodeUri =
    isRecord(packaged.Globals) && isRecord(packaged.Globals.Function)
      ? packaged.Globals.Function.CodeUri
      : undefined;
  for (const [logicalId, resource] of Object.entries(packaged.Resources)) {
    const spec = PACKAGEABLE.find((candidate) => candidate.type === resource.Type);
    if (!spec) continue;
    const properties = (resource.Properties ?? {}) as Record<string, unknown>;
    if (spec.type === 'AWS::Serverless::Function') {
      if (properties.InlineCode !== undefined || properties.PackageType === 'Image') continue;
      // `sam package` copies Globals.Function.CodeUri into each function that has none.
      if (properties.CodeUri === undefined && globalCodeUri !== undefined) properties.CodeUri = globalCodeUri;
    }
    let value = properties[spec.property];
    if (value === undefined) {
      if (!spec.packageOmitted) continue;
      value = '.';
    }
    const local = localPathOf(value);
    if (local === undefined) continue;
    const path = isAbsolute(local) ? local : resolve(options.baseDir, local);
    let body: Uint8Array;
    try {
      body = artifactBytes(path, spec.forceZip);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new SamTransformError(
        `${spec.property} of ${logicalId} refers to ${local}, which ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? error})`} (paths are relative to ${options.baseDir})`,
      );
    }
    const key = `${options.prefix}/${createHash('md5').update(body).digest('hex')}`;
    if (!uploaded.has(key)) {
      await options.upload(key, body);
      uploaded.set(key, body);
    }
    properties[spec.property] = spec.asObject
      ? { Bucket: options.bucket, Key: key }
      : `s3://${options.bucket}/${key}`;
    (resource as { Properties?: Record<string, unknown> }).Properties = properties;
    const source = relative(options.baseDir, path);
    staged.push({
      logicalId,
      property: spec.property,
      source: source.startsWith('..') ? path : source || '.',
      bucket: options.bucket,
      key,
      bytes: body.length,
    });
  }
  return { template: packaged, staged };
}
