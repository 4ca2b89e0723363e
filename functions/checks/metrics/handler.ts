/**
 * The metrics family: the user's metric fitness functions (config `checks.metrics`), all of them in
 * one work item on the stack, each one's result its own entry. The functions travel in the work item
 * (`checks.metrics`), so the evaluator runs exactly what ListResources planned and the Aggregate scores.
 */
import type { WorkItemOutcome } from '../../../statemachine/state.ts';
import { parseCheckTaskInput, runWorkItem } from '../run.ts';
import { createMetricClients, type MetricClients } from './clients.ts';
import { metricFunctionRule } from './metric-function.ts';

export const makeHandler =
  (clients: MetricClients) =>
  async (event: unknown): Promise<WorkItemOutcome> => {
    const input = parseCheckTaskInput(event, 'metrics');
    const functions = new Map((input.checks?.metrics ?? []).map((fn) => [fn.id, fn]));
    return runWorkItem(
      'metrics',
      (check) => {
        const fn = functions.get(check.id);
        return fn ? metricFunctionRule(fn) : undefined;
      },
      clients,
      input,
    );
  };

export const handler = makeHandler(createMetricClients());
