/**
 * Staging a SAM template's local artifacts as `sam package` does, against an in-memory uploader:
 * which properties, zipped or not, where paths start, and what the template says afterwards.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSamTemplate, partitionOf, transformsOf } from '../../cli/emulation/sam/index.ts';
import { packageLocalArtifacts } from '../../cli/emulation/sam/package.ts';
import { zipFolder } from '../../cli/emulation/staging.ts';
import type { CfnTemplate } from '../../cli/emulation/template.ts';

let dir: string;
const uploads = new Map<string, Uint8Array>();
const options = () => ({
  baseDir: dir,
  bucket: 'staging',
  prefix: 'svc',
  upload: async (key: string, body: Uint8Array) => {
    uploads.set(key, body);
  },
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fitgate-sam-package-'));
  mkdirSync(join(dir, 'src', 'lib'), { recursive: true });
  writeFileSync(join(dir, 'src', 'index.js'), 'exports.handler = async () => 1;\n');
  writeFileSync(join(dir, 'src', 'lib', 'util.js'), 'module.exports = 2;\n');
  writeFileSync(join(dir, 'src', 'bootstrap'), '#!/bin/sh\n');
  chmodSync(join(dir, 'src', 'bootstrap'), 0o755);
  writeFileSync(join(dir, 'single.js'), 'exports.handler = async () => 3;\n');
  writeFileSync(join(dir, 'api.yaml'), 'openapi: 3.0.1\npaths: {}\n');
  writeFileSync(join(dir, 'machine.asl.json'), '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}');
  writeFileSync(join(dir, 'template.yaml'), 'Resources: {}\n');
});

function sam(resources: CfnTemplate['Resources'], globals?: Record<string, unknown>): CfnTemplate {
  return {
    Transform: 'AWS::Serverless-2016-10-31',
    ...(globals ? { Globals: globals } : {}),
    Resources: resources,
  };
}

const fn = (properties: Record<string, unknown>) => ({
  Type: 'AWS::Serverless::Function',
  Properties: properties,
});

describe('the SAM transform declaration', () => {
  it('is found as a name or in a list, and only then', () => {
    expect(isSamTemplate(sam({}))).toBe(true);
    expect(
      isSamTemplate({ Transform: ['AWS::LanguageExtensions', 'AWS::Serverless-2016-10-31'], Resources: {} }),
    ).toBe(true);
    expect(isSamTemplate({ Resources: {} })).toBe(false);
    expect(transformsOf({ Transform: 'AWS::Include', Resources: {} })).toEqual(['AWS::Include']);
  });

  it('passes the partition CloudFormation would answer for the region', () => {
    expect(partitionOf('eu-west-1')).toBe('aws');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
  });
});

describe('packageLocalArtifacts', () => {
  it('zips a CodeUri folder, uploads it under the MD5 of its bytes and rewrites CodeUri to the S3 URI', async () => {
    const { template, staged } = await packageLocalArtifacts(sam({ Fn: fn({ CodeUri: 'src/' }) }), options());

    const [artifact] = staged;
    expect(artifact).toMatchObject({
      logicalId: 'Fn',
      property: 'CodeUri',
      source: 'src',
      bucket: 'staging',
    });
    expect(artifact?.key).toMatch(/^svc\/[0-9a-f]{32}$/);
    expect(template.Resources.Fn?.Properties?.CodeUri).toBe(`s3://staging/${artifact?.key}`);
    const entries = unzipSync(uploads.get(artifact?.key ?? '') ?? new Uint8Array());
    expect(Object.keys(entries).sort()).toEqual(['bootstrap', 'index.js', 'lib/util.js']);
    expect(new TextDecoder().decode(entries['lib/util.js'])).toBe('module.exports = 2;\n');
  });

  it('makes the same zip twice, so unchanged code keeps its key (and AutoPublishAlias its version)', () => {
    expect(Buffer.from(zipFolder(join(dir, 'src'))).equals(Buffer.from(zipFolder(join(dir, 'src'))))).toBe(
      true,
    );
  });

  it('keeps the executable bit of a file, as a custom runtime’s bootstrap needs', () => {
    const zip = Buffer.from(zipFolder(join(dir, 'src')));
    // Central directory entries: external attributes at offset 38, the name at 46.
    const at = zip.indexOf(Buffer.from('bootstrap'), zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
    expect((zip.readUInt32LE(at - 46 + 38) >>> 16) & 0o777).toBe(0o755);
  });

  it('zips a single code file, uploads definitions as they are, and writes a state machine’s location as {Bucket, Key}', async () => {
    const { template, staged } = await packageLocalArtifacts(
      sam({
        Fn: fn({ CodeUri: 'single.js' }),
        Api: { Type: 'AWS::Serverless::Api', Properties: { DefinitionUri: 'api.yaml', StageName: 'prod' } },
        Machine: { Type: 'AWS::Serverless::StateMachine', Properties: { DefinitionUri: 'machine.asl.json' } },
      }),
      options(),
    );

    const byId = Object.fromEntries(staged.map((artifact) => [artifact.logicalId, artifact]));
    expect(Object.keys(unzipSync(uploads.get(byId.Fn?.key ?? '') ?? new Uint8Array()))).toEqual([
      'single.js',
    ]);
    expect(new TextDecoder().decode(uploads.get(byId.Api?.key ?? ''))).toContain('openapi: 3.0.1');
    expect(template.Resources.Machine?.Properties?.DefinitionUri).toEqual({
      Bucket: 'staging',
      Key: byId.Machine?.key,
    });
  });

  it('leaves S3 locations, objects, intrinsics and inline code alone', async () => {
    const given = sam({
      S3: fn({ CodeUri: 's3://bucket/code.zip' }),
      Object: fn({ CodeUri: { Bucket: 'bucket', Key: 'code.zip' } }),
      Intrinsic: fn({ CodeUri: { 'Fn::Sub': 's3://${Bucket}/code.zip' } }),
      Inline: fn({ InlineCode: 'exports.handler = async () => 1;' }),
      Image: fn({ PackageType: 'Image', ImageUri: 'repo:tag' }),
      Api: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'prod', DefinitionBody: {} } },
    });

    const { template, staged } = await packageLocalArtifacts(given, options());

    expect(staged).toEqual([]);
    expect(template).toEqual(given);
  });

  it('copies Globals.Function.CodeUri into functions without one, and packages the template folder when there is none', async () => {
    const globalCode = await packageLocalArtifacts(
      sam({ Fn: fn({}) }, { Function: { CodeUri: 'src' } }),
      options(),
    );
    const folder = await packageLocalArtifacts(sam({ Fn: fn({}) }), options());

    expect(globalCode.staged[0]?.source).toBe('src');
    expect(folder.staged[0]?.source).toBe('.');
    expect(Object.keys(unzipSync(uploads.get(folder.staged[0]?.key ?? '') ?? new Uint8Array()))).toContain(
      'template.yaml',
    );
  });

  it('names the resource, the property and the folder when a path does not exist', async () => {
    await expect(packageLocalArtifacts(sam({ Fn: fn({ CodeUri: 'missing/' }) }), options())).rejects.toThrow(
      `CodeUri of Fn refers to missing/, which does not exist (paths are relative to ${dir})`,
    );
  });
});
