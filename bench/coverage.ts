/**
 * `npm run bench:coverage`: how much of 21 stacks the gate judges, before and after coverage learned
 * to see resources judged through a parent (docs/plan-and-coverage.md). The stacks: the 15 public
 * templates of ../shared/real-stacks that moto creates (with their params/ files), the demo's four
 * releases, the CDK sample service as synthesized, and the 500-resource synthetic stack of the
 * scale test. Each is read as a template (`fitgate checks --coverage`, every resource listed as on
 * AWS), so the numbers do not depend on what the emulator skips.
 *
 *   before = resources of a type some check runs on / resources         (the old `audited` rule)
 *   after  = (judged directly + judged through a parent) / (resources − no-risk resources)
 *
 * Usage: npm run -s bench:coverage -- [--json]
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { App } from 'aws-cdk-lib';
import { releases } from '../cli/demo/releases.ts';
import { type CfnTemplate, loadTemplateFile } from '../cli/emulation/template.ts';
import { renderTable } from '../cli/format/table.ts';
import { templateCoverage } from '../cli/template-coverage.ts';
import { registry } from '../functions/checks/registry.ts';
import { SampleServiceStack } from '../infra/lib/sample-service-stack.ts';
import { syntheticTemplate } from './synthetic-stack.ts';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });

const CORPUS = fileURLToPath(new URL('../../shared/real-stacks/', import.meta.url));
/** The corpus templates moto creates (test/real-stacks/corpus.ts DEPLOYABLE). */
const REAL_STACKS = [
  's3-lambda-trigger.yaml',
  'apigw-lambda-proxy.yaml',
  'apigw-rest-dynamodb.yaml',
  's3-eventbridge-sqs.yaml',
  'iot-sns-sqs.yaml',
  'log-setup-management.yaml',
  's3-kms-replication-source.json',
  'compliant-bucket.json',
  'widdix-s3.yaml',
  'widdix-alert.yaml',
  'widdix-cloudtrail.yaml',
  'widdix-kms-key.yaml',
  'sfn-sqs-sns-lambda.yaml',
  'sfn-dynamodb.yaml',
  'sfn-fargate-apigw.yaml',
];

interface Stack {
  readonly name: string;
  readonly template: CfnTemplate;
  readonly parameters?: Record<string, string>;
}

function realStacks(): Stack[] {
  if (!existsSync(CORPUS)) {
    process.stderr.write(`real stacks skipped: the corpus is not at ${CORPUS}\n`);
    return [];
  }
  return REAL_STACKS.map((file) => {
    const params = JSON.parse(
      readFileSync(join(CORPUS, 'params', file.replace(/\.(json|ya?ml)$/, '.json')), 'utf8'),
    ) as Record<string, unknown>;
    return {
      name: file,
      template: loadTemplateFile(join(CORPUS, file)),
      parameters: Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)])),
    };
  });
}

function sampleService(): Stack {
  // As the infra tests synthesize it: no bundling (placeholder assets), no Docker.
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'fitgate-bench-coverage-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new SampleServiceStack(app, 'FitgateSample');
  const template = app.synth().getStackByName(stack.stackName).template as CfnTemplate;
  return { name: 'FitgateSample (CDK synth)', template };
}

const stacks: Stack[] = [
  ...realStacks(),
  ...releases().map((release) => ({ name: `demo ${release.label}`, template: release.template })),
  sampleService(),
  { name: 'synthetic 500 (scale test)', template: syntheticTemplate(500) },
];

const typed = new Set(registry.flatMap((check) => check.resourceTypes));
const percent = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((10000 * part) / whole) / 100;

const rows = stacks.map(({ name, template, parameters }) => {
  const { resources, coverage } = templateCoverage(template, parameters);
  const before = resources.filter(({ resource }) => resource.type && typed.has(resource.type)).length;
  return {
    stack: name,
    resources: coverage.resources,
    beforeJudged: before,
    beforePercent: percent(before, coverage.resources),
    direct: coverage.audited,
    throughParent: coverage.throughParent,
    notJudged: coverage.notJudged,
    noRisk: coverage.noRisk,
    afterPercent: coverage.percent,
  };
});
const sum = (key: 'resources' | 'beforeJudged' | 'direct' | 'throughParent' | 'notJudged' | 'noRisk') =>
  rows.reduce((total, row) => total + row[key], 0);
const total = {
  stack: `all ${rows.length}`,
  resources: sum('resources'),
  beforeJudged: sum('beforeJudged'),
  beforePercent: percent(sum('beforeJudged'), sum('resources')),
  direct: sum('direct'),
  throughParent: sum('throughParent'),
  notJudged: sum('notJudged'),
  noRisk: sum('noRisk'),
  afterPercent: percent(sum('direct') + sum('throughParent'), sum('resources') - sum('noRisk')),
};

if (values.json) {
  process.stdout.write(`${JSON.stringify([...rows, total], null, 2)}\n`);
} else {
  const cell = (value: number | null) => (value === null ? '—' : String(value));
  process.stdout.write(
    `${renderTable(
      [
        { header: 'STACK' },
        { header: 'RESOURCES', align: 'right' },
        { header: 'BEFORE', align: 'right' },
        { header: 'BEFORE %', align: 'right' },
        { header: 'DIRECT', align: 'right' },
        { header: 'THROUGH', align: 'right' },
        { header: 'NOT JUDGED', align: 'right' },
        { header: 'NO RISK', align: 'right' },
        { header: 'AFTER %', align: 'right' },
      ],
      [...rows, total].map((row) => [
        row.stack,
        String(row.resources),
        String(row.beforeJudged),
        cell(row.beforePercent),
        String(row.direct),
        String(row.throughParent),
        String(row.notJudged),
        String(row.noRisk),
        cell(row.afterPercent),
      ]),
    )}\n`,
  );
}
