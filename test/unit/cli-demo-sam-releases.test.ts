/** The SAM demo's releases: the CloudFormation releases with the compute and the API written in SAM. */
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, releases } from '../../cli/demo/releases.ts';
import { SAM_HOOKS, samReleases } from '../../cli/demo/sam/releases.ts';
import { isSamTemplate } from '../../cli/emulation/sam/index.ts';

const sam = samReleases();

describe('the SAM demo releases', () => {
  it('are the same five releases, told the same way, each a SAM template', () => {
    expect(sam.map((release) => [release.label, release.expected, release.change])).toEqual(
      releases().map((release) => [release.label, release.expected, release.change]),
    );
    for (const release of sam) expect(isSamTemplate(release.template)).toBe(true);
  });

  it('keep every data, key, policy, log and alarm resource of the CloudFormation release, as written', () => {
    for (const [index, release] of releases().entries()) {
      const kept = Object.entries(release.template.Resources).filter(
        ([, resource]) =>
          !/^AWS::(ApiGateway|Lambda)::/.test(resource.Type) && resource.Type !== 'AWS::IAM::Role',
      );
      for (const [logicalId, resource] of kept)
        expect(sam[index]?.template.Resources[logicalId]).toEqual(resource);
    }
  });

  it('write both functions as SAM functions behind ServiceApi, published to alias live and shifted by CodeDeploy through fitgate’s hooks', () => {
    const [v1, , v3] = sam;
    expect(v1?.template.Globals).toMatchObject({
      Function: { AutoPublishAlias: 'live', Runtime: 'nodejs22.x' },
    });
    for (const name of FUNCTIONS) {
      const properties = v1?.template.Resources[name]?.Properties;
      expect(v1?.template.Resources[name]?.Type).toBe('AWS::Serverless::Function');
      expect(properties?.Events).toMatchObject({
        Api: { Type: 'Api', Properties: { RestApiId: { Ref: 'ServiceApi' } } },
      });
      expect(properties?.DeploymentPreference).toMatchObject({ Hooks: SAM_HOOKS });
      expect(v3?.template.Resources[name]?.Properties?.DeploymentPreference).toMatchObject({
        Alarms: [{ Ref: `${name}Errors` }],
      });
    }
    expect(Object.values(SAM_HOOKS).every((hook) => hook.startsWith('CodeDeployHook_'))).toBe(true);
    expect(v1?.template.Resources.ServiceApi?.Properties).not.toHaveProperty('TracingEnabled');
    expect(v3?.template.Resources.ServiceApi?.Properties).toMatchObject({
      TracingEnabled: true,
      StageName: 'Prod',
    });
  });

  it('ship each function’s code from its folder, as the smoke invocation runs it', () => {
    expect(sam[0]?.template.Resources.myFirstFunction?.Properties?.CodeUri).toBe('functions/first');
    expect(sam[0]?.code.myFirstFunction).toContain("function: 'myFirstFunction'");
    expect(sam[0]?.code.mySecondFunction).toContain("function: 'mySecondFunction'");
  });
});
