/** DefinitionSubstitutions as CloudFormation applies them, for moto, which reads DefinitionString only. */
import { describe, expect, it } from 'vitest';
import { substituteDefinition } from '../../cli/emulation/deploy/state-machine-definitions.ts';

describe('substituteDefinition', () => {
  it('joins the literal parts with the substitutions’ values, which CloudFormation resolves at deploy time', () => {
    const definition = '{"States":{"A":{"Resource":"${FnArn}","Next":"B"},"B":{"Resource":"${FnArn}"}}}';

    expect(substituteDefinition(definition, { FnArn: { 'Fn::GetAtt': ['Fn', 'Arn'] } })).toEqual({
      'Fn::Join': [
        '',
        [
          '{"States":{"A":{"Resource":"',
          { 'Fn::GetAtt': ['Fn', 'Arn'] },
          '","Next":"B"},"B":{"Resource":"',
          { 'Fn::GetAtt': ['Fn', 'Arn'] },
          '"}}}',
        ],
      ],
    });
  });

  it('leaves the definition’s own $$. and $. paths, and placeholders it has no value for, as they are', () => {
    const definition =
      '{"Parameters":{"id.$":"$$.Execution.Id","x.$":"$.x","y":"${Unknown}","t":"${Table}"}}';

    expect(substituteDefinition(definition, { Table: 'orders', Retries: 3 })).toEqual({
      'Fn::Join': [
        '',
        ['{"Parameters":{"id.$":"$$.Execution.Id","x.$":"$.x","y":"${Unknown}","t":"', 'orders', '"}}'],
      ],
    });
    expect(substituteDefinition('{"n":"${Retries}"}', { Retries: 3 })).toEqual({
      'Fn::Join': ['', ['{"n":"', '3', '"}']],
    });
    expect(substituteDefinition(definition, {})).toBe(definition);
  });
});
