/** `fitgate checks` and the bare command line, as processes. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG_END, CATALOG_START, catalogMarkdown } from '../../cli/format/markdown.ts';
import { registry } from '../../functions/checks/registry.ts';
import { errorLine, runCli } from '../cli/run-cli.ts';

describe('fitgate checks', () => {
  it('prints the catalog as a table by default', async () => {
    const run = await runCli(['checks']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(
      /^CHECK +SOURCE +SEVERITY +PILLAR +FAMILY +RESOURCE TYPES +MOTO$/,
    );
    expect(run.stdout.trimEnd().split('\n').pop()).toBe(`${registry.length} checks`);
    expect(run.stderr).toBe('');
  });

  it('prints the registry as JSON', async () => {
    const run = await runCli(['checks', '--format', 'json']);

    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { id: string }[]).map((check) => check.id)).toEqual(
      registry.map((check) => check.id),
    );
  });

  it('prints the Markdown the README holds', async () => {
    const run = await runCli(['checks', '--format', 'markdown']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${catalogMarkdown(registry)}\n`);
  });

  it('regenerates a README section between the markers and leaves the rest alone', async () => {
    const readme = join(mkdtempSync(join(tmpdir(), 'fitgate-readme-')), 'README.md');
    writeFileSync(readme, `# Project\n\n${CATALOG_START}\nstale\n${CATALOG_END}\n\nmore text\n`);

    const first = await runCli(['checks', '--readme', readme]);
    const second = await runCli(['checks', '--readme', readme]);

    expect(first.code).toBe(0);
    expect(first.stderr).toBe(`${readme}: check catalog updated (${registry.length} checks)\n`);
    expect(second.stderr).toBe(`${readme}: check catalog already up to date (${registry.length} checks)\n`);
    expect(readFileSync(readme, 'utf8')).toBe(
      `# Project\n\n${CATALOG_START}\n${catalogMarkdown(registry)}\n${CATALOG_END}\n\nmore text\n`,
    );
  });

  it('refuses an unknown format', async () => {
    expect(errorLine(await runCli(['checks', '--format', 'csv']))).toBe(
      "fitgate: --format must be one of table, json, markdown (got csv); see 'fitgate checks --help'",
    );
  });
});

describe('fitgate checks --coverage TEMPLATE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fitgate-coverage-'));
  const yaml = join(dir, 'service.yaml');
  writeFileSync(
    yaml,
    [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      '  WithLogs: { Type: String, Default: "no" }',
      'Conditions:',
      '  Logs: !Equals [!Ref WithLogs, "yes"]',
      'Resources:',
      '  Site:',
      '    Type: AWS::S3::Bucket',
      '  SitePolicy:',
      '    Type: AWS::S3::BucketPolicy',
      '    Properties:',
      '      Bucket: !Ref Site',
      '      PolicyDocument: { Statement: [] }',
      '  Handler:',
      '    Type: AWS::Lambda::Function',
      '    Properties: { Runtime: nodejs22.x, Handler: index.handler, Role: !GetAtt [HandlerRole, Arn] }',
      '  HandlerRole:',
      '    Type: AWS::IAM::Role',
      '  Invoke:',
      '    Type: AWS::Lambda::Permission',
      '    Properties: { FunctionName: !GetAtt Handler.Arn, Action: lambda:InvokeFunction, Principal: s3.amazonaws.com }',
      '  Live:',
      '    Type: AWS::Lambda::Alias',
      '    Properties: { FunctionName: !Ref Handler, FunctionVersion: !GetAtt Version.Version, Name: live }',
      '  Version:',
      '    Type: AWS::Lambda::Version',
      '    Properties: { FunctionName: !Ref Handler }',
      '  Network:',
      '    Type: AWS::EC2::VPC',
      '    Properties: { CidrBlock: 10.0.0.0/16 }',
      '  Wait:',
      '    Type: AWS::CloudFormation::WaitConditionHandle',
      '  AccessLogs:',
      '    Type: AWS::Logs::LogGroup',
      '    Condition: Logs',
      '',
    ].join('\n'),
  );

  it('lists each resource: judged directly, through which parent, of no risk, or not judged and why', async () => {
    const run = await runCli(['checks', '--coverage', yaml]);

    expect(run.code, run.stderr).toBe(0);
    const row = (id: string) => run.stdout.split('\n').find((line) => line.startsWith(`${id} `)) ?? '';
    expect(row('Site')).toMatch(/^Site +AWS::S3::Bucket +directly +s3-bucket-public-read-prohibited, /);
    expect(row('SitePolicy')).toMatch(
      /^SitePolicy +AWS::S3::BucketPolicy +through Site +s3-bucket-public-read-prohibited, s3-bucket-public-write-prohibited, s3-bucket-ssl-requests-only$/,
    );
    expect(row('Invoke')).toMatch(/through Handler +lambda-function-public-access-prohibited$/);
    expect(row('Live')).toMatch(
      /through Handler +lambda-function-public-access-prohibited, lambda-function-url-auth-required, lambda-dlq-check, lambda-sqs-visibility-timeout$/,
    );
    expect(row('Version')).toMatch(/through Live +lambda-dlq-check, lambda-sqs-visibility-timeout$/);
    expect(row('Network')).toMatch(/not judged +no check judges this type$/);
    expect(row('Wait')).toMatch(/no risk +a presigned URL/);
    expect(row('AccessLogs')).toBe('');
    expect(run.stdout).toContain(
      'judged 7 of 8 resources (87.5 %): 3 directly, 4 through a parent; 1 not judged; 1 of a no-risk type left out',
    );
    expect(run.stdout).toContain(
      "note: 1 resources left out: their Condition is false with the parameters' defaults",
    );
    expect(run.stderr).toBe('');
  });

  it('decides the Conditions with --parameters FILE, as the stack would be created with them', async () => {
    const parameters = join(dir, 'params.json');
    writeFileSync(parameters, JSON.stringify({ WithLogs: 'yes' }));

    const run = await runCli(['checks', '--coverage', yaml, '--parameters', parameters, '--format', 'json']);

    expect(run.code, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as {
      resources: { logicalId: string }[];
      coverage: { resources: number };
    };
    expect(parsed.resources.map((r) => r.logicalId)).toContain('AccessLogs');
    expect(parsed.coverage.resources).toBe(10); // one more than with the defaults
    expect(errorLine(await runCli(['checks', '--parameters', parameters]))).toBe(
      "fitgate: --parameters applies to --coverage TEMPLATE; see 'fitgate checks --help'",
    );
  });

  it('prints JSON with every resource and the complete coverage, for a CDK-synthesized template too', async () => {
    const json = join(dir, 'Cdk.template.json');
    writeFileSync(
      json,
      JSON.stringify({
        Resources: {
          Queue4A7E3555: { Type: 'AWS::SQS::Queue', Metadata: { 'aws:cdk:path': 'Cdk/Queue/Resource' } },
          QueuePolicy25439813: {
            Type: 'AWS::SQS::QueuePolicy',
            Properties: { Queues: [{ Ref: 'Queue4A7E3555' }], PolicyDocument: { Statement: [] } },
          },
          CDKMetadata: {
            Type: 'AWS::CDK::Metadata',
            Properties: { Analytics: 'v2:deflate64:H4sI' },
            Condition: 'CDKMetadataAvailable',
          },
        },
        Conditions: {
          CDKMetadataAvailable: { 'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }] },
        },
      }),
    );

    const run = await runCli(['checks', '--coverage', json, '--format', 'json']);

    expect(run.code, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as {
      resources: { logicalId: string; judged: string; parent?: string }[];
      coverage: { percent: number; noRisk: number };
    };
    expect(parsed.resources.map((r) => [r.logicalId, r.judged, r.parent])).toEqual([
      ['Queue4A7E3555', 'direct', undefined],
      ['QueuePolicy25439813', 'through', 'Queue4A7E3555'],
      ['CDKMetadata', 'no-risk', undefined],
    ]);
    expect(parsed.coverage).toMatchObject({ percent: 100, noRisk: 1 });
  });

  it('reads a SAM template as CloudFormation processes it: the resources AWS’s translator makes', async () => {
    const sam = join(dir, 'sam');
    mkdirSync(join(sam, 'src'), { recursive: true });
    writeFileSync(join(sam, 'src', 'index.js'), 'exports.handler = async () => ({});\n');
    const template = join(sam, 'template.yaml');
    writeFileSync(
      template,
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Api:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      CodeUri: src/',
        '      Handler: index.handler',
        '      Runtime: nodejs20.x',
        '      Events:',
        '        Get: { Type: Api, Properties: { Path: /items, Method: get } }',
        '',
      ].join('\n'),
    );

    const run = await runCli(['checks', '--coverage', template, '--format', 'json']);

    expect(run.code, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as {
      resources: { logicalId: string; type: string; judged: string; parent?: string }[];
      coverage: { percent: number; notJudged: number };
      notes: string[];
    };
    const byId = new Map(parsed.resources.map((r) => [r.logicalId, r]));
    expect(byId.get('Api')).toMatchObject({ type: 'AWS::Lambda::Function', judged: 'direct' });
    expect(byId.get('ApiRole')).toMatchObject({ type: 'AWS::IAM::Role', judged: 'direct' });
    expect(byId.get('ApiGetPermissionProd')).toMatchObject({ judged: 'through', parent: 'Api' });
    expect(parsed.resources.some((r) => r.type.startsWith('AWS::Serverless::'))).toBe(false);
    expect(parsed.coverage).toMatchObject({ percent: 100, notJudged: 0 });
    expect(parsed.notes[0]).toMatch(/^a SAM template: the resources above are those AWS’s SAM translator/);
  });

  it('exits 2 with one line for a template it cannot read', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'Resources: [unclosed\n');

    const bad = await runCli(['checks', '--coverage', broken]);
    const missing = await runCli(['checks', '--coverage', join(dir, 'absent.yaml')]);
    const noResources = join(dir, 'empty.json');
    writeFileSync(noResources, '{"Outputs": {}}');
    const empty = await runCli(['checks', '--coverage', noResources]);

    for (const run of [bad, missing, empty]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(errorLine(missing)).toMatch(/^fitgate: cannot read template .*absent\.yaml: ENOENT$/);
    expect(errorLine(bad)).toMatch(/^fitgate: .*broken\.yaml/);
    expect(errorLine(await runCli(['checks', '--coverage', yaml, '--readme', 'README.md']))).toBe(
      "fitgate: --readme and --coverage do not go together; see 'fitgate checks --help'",
    );
  });
});

describe('fitgate without a valid command', () => {
  it('shows the commands with --help and a command’s options with <command> --help', async () => {
    const help = await runCli(['--help']);
    const auditHelp = await runCli(['audit', '--help']);

    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: fitgate <command> \[options\]/);
    expect(auditHelp.code).toBe(0);
    expect(auditHelp.stdout).toContain('exit status: 0 Succeeded, 1 Failed, 2 usage or infrastructure error');
  });

  it('exits 2 with one line for no command or an unknown one', async () => {
    expect(errorLine(await runCli([]))).toBe(
      'fitgate: no command given; usage: fitgate audit|predict|checks|history|demo [options] (fitgate --help)',
    );
    expect(errorLine(await runCli(['deploy']))).toBe(
      'fitgate: unknown command deploy; usage: fitgate audit|predict|checks|history|demo [options] (fitgate --help)',
    );
  });
});
