/**
 * The custom family: runs one user-defined check function's work item. It invokes the user's Lambda
 * (any runtime) with the work-item contract (CustomCheckInput) and validates its answer against the
 * check-result contract (contract.ts). Whatever the function does — answers garbage, throws, times out,
 * is missing — the item ends with an ERROR result that names the function, never a failed execution;
 * only throttling is rethrown, so the Map's Retry tries the item again.
 */
import type { CheckTaskInput, CustomCheckInput, WorkItemOutcome } from '../../../statemachine/state.ts';
import { errorMessage, errorName, isThrottling, ThrottledError } from '../../shared/errors.ts';
import { parseCheckTaskInput, runWorkItem } from '../run.ts';
import type { CheckOutcome, CheckRule } from '../types.ts';
import { isUserCheckId } from '../user-defined.ts';
import { type CustomClients, createCustomClients, UnregisteredCheckFunctionError } from './clients.ts';
import { checkAnswerSchema, MAX_ANSWER_EVIDENCE_BYTES, MAX_ANSWER_MESSAGE } from './contract.ts';

/** One line for what was wrong with an answer: the first problem, naming the field. */
function answerProblem(payload: unknown): string | undefined {
  const parsed = checkAnswerSchema.safeParse(payload);
  if (parsed.success) return undefined;
  const [issue] = parsed.error.issues;
  const field = issue?.path.length ? issue.path.join('.') : 'the answer';
  const got = JSON.stringify(payload)?.slice(0, 80) ?? String(payload);
  return `${field}: ${issue?.message ?? 'invalid'} (answered ${got})`;
}

/** A valid answer as a check outcome: message cut to size, evidence dropped past its budget (said so). */
export function outcomeOfAnswer(payload: unknown, name: string): CheckOutcome {
  const problem = answerProblem(payload);
  if (problem) {
    return {
      status: 'ERROR',
      message: `check function ${name} answered outside the check-result contract: ${problem}`,
    };
  }
  const answer = checkAnswerSchema.parse(payload);
  const message =
    answer.message.length > MAX_ANSWER_MESSAGE
      ? `${answer.message.slice(0, MAX_ANSWER_MESSAGE - 1)}…`
      : answer.message;
  if (answer.evidence === undefined) return { status: answer.status, message };
  const bytes = Buffer.byteLength(JSON.stringify(answer.evidence), 'utf8');
  return {
    status: answer.status,
    message,
    evidence:
      bytes <= MAX_ANSWER_EVIDENCE_BYTES
        ? answer.evidence
        : { omitted: `the function's evidence (${bytes} bytes) is over ${MAX_ANSWER_EVIDENCE_BYTES} bytes` },
  };
}

/** What the user's function receives: the work item, its context and its declaration's params. */
export function customCheckInput(input: CheckTaskInput, checkId: string): CustomCheckInput {
  const declaration = input.checks?.functions?.find((fn) => fn.id === checkId);
  return {
    checkId,
    workItem: { family: input.workItem.family, resource: input.workItem.resource },
    stack: input.stack,
    trigger: input.trigger,
    deployment: input.deployment ?? null,
    params: (declaration?.params ?? {}) as CustomCheckInput['params'],
  };
}

function checkFunctionRule(input: CheckTaskInput): CheckRule<CustomClients> {
  return async ({ clients }) => {
    const checkId = String(input.workItem.family);
    const name = `${checkId} (${clients.describe(checkId)})`;
    try {
      const answer = await clients.invoke(checkId, customCheckInput(input, checkId));
      if (answer.kind === 'threw') {
        return {
          status: 'ERROR',
          message: `check function ${name} threw ${answer.error}: ${answer.message.replace(/\s+/g, ' ').slice(0, 200)}`,
        };
      }
      return outcomeOfAnswer(answer.payload, name);
    } catch (error) {
      if (error instanceof UnregisteredCheckFunctionError) return { status: 'ERROR', message: error.message };
      if (isThrottling(error))
        throw new ThrottledError(`${checkId}: ${errorName(error)} invoking its function`);
      const timedOut = /timeout|timed out/i.test(`${errorName(error)} ${errorMessage(error)}`);
      return {
        status: 'ERROR',
        message: timedOut
          ? `check function ${name} did not answer in time (${errorMessage(error).slice(0, 120)})`
          : `check function ${name} could not be invoked: ${errorName(error)}: ${errorMessage(error).slice(0, 200)}`,
      };
    }
  };
}

export const makeHandler =
  (clients: CustomClients) =>
  async (event: unknown): Promise<WorkItemOutcome> => {
    const input = parseCheckTaskInput(
      event,
      'custom',
      (family) => typeof family === 'string' && isUserCheckId(family),
    );
    const family = input.workItem.family;
    // The declaration (from the configuration in the state) says which check this item runs.
    const rule = checkFunctionRule(input);
    return runWorkItem(family, (check) => (check.id === family ? rule : undefined), clients, input);
  };

export const handler = makeHandler(createCustomClients());
