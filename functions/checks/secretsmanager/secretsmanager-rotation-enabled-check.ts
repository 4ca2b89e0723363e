import { numberParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { SecretsManagerClients } from './clients.ts';
import { describeSecret } from './secret-facts.ts';

const HOURS_PER_UNIT: Readonly<Record<string, number>> = { hour: 1, hours: 1, day: 24, days: 24 };

/** The rotation interval in hours: AutomaticallyAfterDays, or a `rate(n hours|days)` schedule; undefined for cron. */
export function rotationIntervalHours(
  rules: { AutomaticallyAfterDays?: number; ScheduleExpression?: string } | undefined,
): number | undefined {
  if (rules?.AutomaticallyAfterDays !== undefined) return rules.AutomaticallyAfterDays * 24;
  const rate = /^rate\(\s*(\d+)\s+(hours?|days?)\s*\)$/i.exec(rules?.ScheduleExpression ?? '');
  return rate ? Number(rate[1]) * (HOURS_PER_UNIT[(rate[2] as string).toLowerCase()] ?? 24) : undefined;
}

/**
 * PASS when rotation is enabled and, with `maximumAllowedRotationFrequency` (days) or
 * `maximumAllowedRotationFrequencyInHours`, the secret rotates at least that often
 * (https://docs.aws.amazon.com/config/latest/developerguide/secretsmanager-rotation-enabled-check.html).
 */
export const secretsmanagerRotationEnabledCheck: CheckRule<SecretsManagerClients> = async (context) => {
  const secret = await describeSecret(context);
  const evidence = { RotationEnabled: secret.RotationEnabled === true, RotationRules: secret.RotationRules };
  if (secret.RotationEnabled !== true) {
    return { status: 'FAIL', message: 'rotation is not enabled', evidence };
  }
  const maxDays = numberParam(
    context.params.maximumAllowedRotationFrequency,
    'maximumAllowedRotationFrequency',
  );
  const maxHours =
    numberParam(
      context.params.maximumAllowedRotationFrequencyInHours,
      'maximumAllowedRotationFrequencyInHours',
    ) ?? (maxDays === undefined ? undefined : maxDays * 24);
  if (maxHours === undefined) return { status: 'PASS', message: 'rotation is enabled', evidence };
  const interval = rotationIntervalHours(secret.RotationRules);
  if (interval === undefined) {
    return {
      status: 'FAIL',
      message: `the rotation schedule ${secret.RotationRules?.ScheduleExpression ?? '(none)'} cannot be compared with the allowed ${maxHours} hours`,
      evidence,
    };
  }
  if (interval > maxHours) {
    return {
      status: 'FAIL',
      message: `the secret rotates every ${interval} hours, more than the allowed ${maxHours}`,
      evidence,
    };
  }
  return {
    status: 'PASS',
    message: `rotation is enabled, every ${interval} hours (≤ ${maxHours})`,
    evidence,
  };
};
