import { describe, expect, it } from 'vitest';
import { invokeInline, parseFunctionName } from '../../cli/demo/local-invoke.ts';
import { FUNCTIONS, RELEASE_COUNT, release, releases, releaseTemplate } from '../../cli/demo/releases.ts';

type Props = Record<string, unknown>;
const props = (version: number, logicalId: string): Props =>
  (releaseTemplate(version).Resources[logicalId]?.Properties ?? {}) as Props;
const types = (version: number) => Object.values(releaseTemplate(version).Resources).map((r) => r.Type);

describe('the demo releases', () => {
  it('tells five releases, the last two expected to be rejected', () => {
    expect(releases().map((r) => [r.label, r.expected])).toEqual([
      ['v1', 'Succeeded'],
      ['v2', 'Succeeded'],
      ['v3', 'Succeeded'],
      ['v4', 'Failed'],
      ['v5', 'Failed'],
    ]);
    expect(() => releaseTemplate(RELEASE_COUNT + 1)).toThrow(RangeError);
  });

  it('v1 is the seed: one bucket and one table on AWS-managed keys, the others plain, two functions behind /first and /second', () => {
    expect(props(1, 'EncryptedBucket').BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
    });
    expect(props(1, 'PlainBucket')).toEqual({});
    expect(props(1, 'EncryptedTable').SSESpecification).toEqual({ SSEEnabled: true });
    expect(props(1, 'PlainTable').SSESpecification).toBeUndefined();
    expect(types(1)).not.toContain('AWS::KMS::Key');
    expect(props(1, 'FirstResource').PathPart).toBe('first');
    expect(props(1, 'SecondResource').PathPart).toBe('second');
    for (const name of FUNCTIONS)
      expect(releaseTemplate(1).Resources[name]?.Type).toBe('AWS::Lambda::Function');
  });

  it('v2 encrypts everything with a rotating customer-managed key', () => {
    expect(props(2, 'DataKey').EnableKeyRotation).toBe(true);
    for (const bucket of ['EncryptedBucket', 'PlainBucket']) {
      expect(JSON.stringify(props(2, bucket).BucketEncryption)).toContain(
        '"KMSMasterKeyID":{"Fn::GetAtt":["DataKey","Arn"]}',
      );
    }
    for (const table of ['EncryptedTable', 'PlainTable']) {
      expect(props(2, table).SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    }
    for (const name of FUNCTIONS)
      expect(props(2, `${name}Logs`).KmsKeyId).toEqual({ 'Fn::GetAtt': ['DataKey', 'Arn'] });
  });

  it('v3 adds versioning, PITR, TLS-only policies, retention and error alarms', () => {
    expect(props(3, 'PlainBucket').VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(props(3, 'PlainTable').PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
    });
    expect(JSON.stringify(props(3, 'PlainBucketPolicy'))).toContain('"aws:SecureTransport":"false"');
    expect(props(3, 'myFirstFunctionLogs').RetentionInDays).toBe(365);
    expect(props(3, 'myFirstFunctionErrors')).toMatchObject({
      MetricName: 'Errors',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
    });
  });

  it('v4 regresses: PlainBucket becomes public and loses its TLS-only policy', () => {
    expect(props(4, 'PlainBucket').PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicPolicy: false,
    });
    const policy = JSON.stringify(props(4, 'PlainBucketPolicy'));
    expect(policy).toContain('"Principal":"*","Action":"s3:GetObject"');
    expect(policy).not.toContain('aws:SecureTransport');
    expect(props(4, 'EncryptedBucketPolicy')).toEqual(props(3, 'EncryptedBucketPolicy'));
  });

  it('v5 is the v3 service again: only the line coverage its pipeline publishes dropped', () => {
    const v3 = releaseTemplate(3).Resources;
    const v5 = releaseTemplate(5).Resources;
    expect(Object.keys(v5).sort()).toEqual(Object.keys(v3).sort());
    // Only the functions' code differs: it answers with its release.
    for (const [logicalId, resource] of Object.entries(v5)) {
      if (resource.Type !== 'AWS::Lambda::Function') expect(resource, logicalId).toEqual(v3[logicalId]);
    }
    expect(release(5).ci.lineCoverage).toBeLessThan(80);
    expect(release(3).ci.lineCoverage).toBeGreaterThanOrEqual(80);
  });

  it('keeps the logical ids from release to release, so findings line up', () => {
    const ids = (version: number) => new Set(Object.keys(releaseTemplate(version).Resources));
    for (const id of ids(1)) expect(ids(4).has(id)).toBe(true);
    expect([...ids(4)].sort()).toEqual([...ids(3)].sort());
  });
});

describe('the in-process smoke invocation', () => {
  it('runs a release handler with its environment only', async () => {
    const fn = {
      code: release(2).code.myFirstFunction ?? '',
      handler: 'index.handler',
      environment: { RELEASE: '2' },
    };

    const answer = await invokeInline(fn, 'svc-myFirstFunction', { fitgate: 'smoke' }, '2');

    expect(answer).toMatchObject({ StatusCode: 200, ExecutedVersion: '2' });
    expect(answer.FunctionError).toBeUndefined();
    const payload = JSON.parse(new TextDecoder().decode(answer.Payload)) as {
      statusCode: number;
      body: string;
    };
    expect(payload.statusCode).toBe(200);
    expect(JSON.parse(payload.body)).toEqual({ function: 'myFirstFunction', release: '2' });
  });

  it('answers a throwing handler the way Lambda does; the handler gets no require', async () => {
    const throwing = {
      code: 'exports.handler = async () => { throw new RangeError("bad release"); };',
      handler: 'index.handler',
      environment: {},
    };
    const escaping = {
      code: 'exports.handler = async () => require("node:fs").readFileSync("/etc/hostname", "utf8");',
      handler: 'index.handler',
      environment: {},
    };

    for (const [fn, errorType] of [
      [throwing, 'RangeError'],
      [escaping, 'ReferenceError'],
    ] as const) {
      const answer = await invokeInline(fn, 'f', {});
      expect(answer.FunctionError).toBe('Unhandled');
      expect(JSON.parse(new TextDecoder().decode(answer.Payload))).toMatchObject({ errorType });
    }
  });

  it('reads names, qualified names and ARNs', () => {
    expect(parseFunctionName('fn')).toEqual({ name: 'fn' });
    expect(parseFunctionName('fn:3')).toEqual({ name: 'fn', qualifier: '3' });
    expect(parseFunctionName('arn:aws:lambda:us-east-1:123456789012:function:fn:live')).toEqual({
      name: 'fn',
      qualifier: 'live',
    });
  });
});
