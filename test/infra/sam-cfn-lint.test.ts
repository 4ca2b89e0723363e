/**
 * cfn-lint, with its SAM transform (it runs the same aws-sam-translator), on the SAM templates the
 * project ships: the service whose DeploymentPreference hooks are fitgate's, and the SAM demo's
 * five releases. Errors and warnings alike fail the test.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { samReleases } from '../../cli/demo/sam/releases.ts';
import { HOOKS_TEMPLATE } from '../support/sam-fixtures.ts';
import { cfnLint } from './synth.ts';

const dir = mkdtempSync(join(tmpdir(), 'fitgate-sam-lint-'));
const describeMatches = (matches: ReturnType<typeof cfnLint>) =>
  matches.map((match) => `${match.Rule.Id} ${match.Location.Path.join('/')}: ${match.Message.slice(0, 200)}`);

describe('cfn-lint with the SAM transform', () => {
  it('finds nothing in the SAM service whose DeploymentPreference hooks are fitgate’s CodeDeployHook_* functions', () => {
    const template = readFileSync(HOOKS_TEMPLATE, 'utf8');
    expect(template).toMatch(/PreTraffic: !Ref PreTrafficHook/);
    expect(template).toMatch(/Default: CodeDeployHook_fitgate-PreTraffic/);

    expect(describeMatches(cfnLint([HOOKS_TEMPLATE]))).toEqual([]);
  });

  it('finds nothing in the SAM demo’s five releases', () => {
    const files = samReleases().map((release) => {
      const file = join(dir, `sam-release-v${release.version}.json`);
      writeFileSync(file, JSON.stringify(release.template, null, 2));
      return file;
    });

    expect(describeMatches(cfnLint(files))).toEqual([]);
  });

  it('does see into the transformed template (a Ref inside a SAM policy template to nothing is an error)', () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(
      broken,
      readFileSync(HOOKS_TEMPLATE, 'utf8').replace(
        'TableName: !Ref OrdersTable',
        'TableName: !Ref NoSuchTable',
      ),
    );

    const matches = cfnLint([broken]);

    expect(matches.some((match) => match.Level === 'Error' && match.Rule.Id === 'E1020')).toBe(true);
    expect(matches.find((match) => match.Rule.Id === 'E1020')?.Message).toContain('OrdersFunctionAliaslive');
  });
});
