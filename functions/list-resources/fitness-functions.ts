/**
 * The gate's user-defined fitness functions (checks.metrics, checks.functions), as the FitnessGate
 * construct writes them into the ListResources task's Parameters in the state machine definition.
 * They live there rather than in FITGATE_CONFIG because a handful of metric functions would not fit
 * Lambda's 4 KB of environment; ListResources layers them over the gate's configuration, and they
 * travel on in the state like every other setting (docs/fitness-functions.md).
 *
 * Their placeholders (`${version}`, `${tag:release}`) must reach ListResources as written, not be
 * read as CloudFormation's DefinitionSubstitutions (`${Name}`): the definition's text spells their
 * `{` as the JSON escape `\u007b`, which any JSON parser reads back as `{`.
 */
import type { CheckSettingsConfig } from '../shared/config.ts';
import { withListResourcesParameter } from './gate-resources.ts';

/** The Parameters key of the ListResources task that carries them. */
export const FITNESS_FUNCTIONS_PARAMETER = 'fitnessFunctions';

export type FitnessFunctions = Pick<CheckSettingsConfig, 'metrics' | 'functions'>;

/** The definition with the fitness functions in the ListResources task's Parameters (none: unchanged). */
export function withFitnessFunctions<D extends { States: Record<string, unknown> }>(
  definition: D,
  fitnessFunctions: FitnessFunctions,
): D {
  const { metrics = [], functions = [] } = fitnessFunctions;
  if (metrics.length === 0 && functions.length === 0) return definition;
  return withListResourcesParameter(definition, FITNESS_FUNCTIONS_PARAMETER, {
    ...(metrics.length > 0 ? { metrics } : {}),
    ...(functions.length > 0 ? { functions } : {}),
  });
}

/** A fitness function's placeholder in a definition's text, `${version}`, as no substitution reads it. */
export function escapePlaceholders(definitionText: string): string {
  return definitionText.replace(
    /\$\{(?=(stackName|deploymentId|version|functionName|tag:)[^}]*\})/g,
    '$\\u007b',
  );
}
