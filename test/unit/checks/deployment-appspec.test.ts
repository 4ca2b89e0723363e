import { describe, expect, it } from 'vitest';
import { appSpecContent } from '../../../cli/emulation/codedeploy-standin.ts';
import { parseAppSpec } from '../../../functions/checks/stack/deployment-target.ts';

describe('parseAppSpec', () => {
  it('reads the JSON AppSpec CodeDeploy keeps for a Lambda deployment', () => {
    const content = appSpecContent({
      functionName: 'orders',
      alias: 'live',
      currentVersion: '6',
      targetVersion: '7',
    });

    expect(parseAppSpec(content)).toEqual({
      functionName: 'orders',
      alias: 'live',
      currentVersion: '6',
      targetVersion: '7',
    });
  });

  it('reads a YAML AppSpec with numeric versions and hooks', () => {
    const content = [
      'version: 0.0',
      'Resources:',
      '  - myFunction:',
      '      Type: AWS::Lambda::Function',
      '      Properties:',
      '        Name: "orders"',
      '        Alias: "live"',
      '        CurrentVersion: 1',
      '        TargetVersion: 2',
      'Hooks:',
      '  - BeforeAllowTraffic: "fitgate-hook"',
    ].join('\n');

    expect(parseAppSpec(content)).toEqual({
      functionName: 'orders',
      alias: 'live',
      currentVersion: '1',
      targetVersion: '2',
    });
  });

  it('rejects an AppSpec without a Lambda function, or one without a target version', () => {
    expect(() => parseAppSpec('{"version":0,"Resources":[]}')).toThrow('names no AWS::Lambda::Function');
    expect(() =>
      parseAppSpec(
        JSON.stringify({
          Resources: [{ f: { Type: 'AWS::Lambda::Function', Properties: { Name: 'f', Alias: 'live' } } }],
        }),
      ),
    ).toThrow('lacks Name, Alias or TargetVersion');
  });
});
