/**
 * The baseline: the run of the last release CodeDeploy kept, of the same trigger (docs/baselines.md).
 *
 * - Per trigger: a pre-traffic run is compared with pre-traffic runs, a post-traffic run with
 *   post-traffic runs (they run three more checks). Ad-hoc and predict runs are compared with the
 *   kept release's pre-traffic run over the checks they run themselves (its `auditFitness`).
 * - A release is one CloudFormation update (StackInfo.releaseId), however many deployments it
 *   started. It is kept only when every deployment that gated it finished SUCCEEDED; an outcome
 *   still unknown is asked of CodeDeploy (GetDeployment). Runs of the current release are never
 *   its baseline.
 * - Items that cannot be read, or contradict themselves, are skipped with a note, never silently.
 *
 * The history is read newest first; runs of one release are contiguous (CloudFormation runs one
 * update of a stack at a time, and every gated run of an update starts during that update).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type HistoryRecord, isHookTrigger, type Trigger } from '../../statemachine/state.ts';
import type { FinalOutcome } from '../shared/history-table.ts';
import { type Baseline, isAuditCheck } from './core.ts';
import { parseHistoryItem } from './history.ts';

/** What CodeDeploy says of a deployment: its final outcome, or why it is not known (yet). */
export type ResolvedOutcome =
  | { readonly outcome: FinalOutcome; readonly at: string }
  | { readonly outcome?: undefined; readonly unknownBecause: string };

export type OutcomeResolver = (deploymentId: string) => Promise<ResolvedOutcome>;

export interface BaselineQuery {
  readonly trigger: Trigger;
  /** The release of the hook run being judged: its own runs are never its baseline. */
  readonly releaseId?: string;
  readonly deploymentId?: string;
}

/** An outcome the search learned from CodeDeploy, and the runs it belongs to (to record it). */
export interface LearnedOutcome {
  readonly deploymentId: string;
  readonly outcome: FinalOutcome;
  readonly at: string;
  readonly runs: readonly HistoryRecord[];
}

export interface BaselineSearch {
  readonly baseline?: Baseline;
  readonly notes: readonly string[];
  readonly learned: readonly LearnedOutcome[];
}

/** Items read before giving up (20 pages of 50): a stack with that many runs and no kept release. */
export const MAX_ITEMS_READ = 1000;
/** GetDeployment calls of one search, so a history of unknown outcomes cannot stall the gate. */
export const MAX_OUTCOME_LOOKUPS = 10;
/** Entries a note lists before it says how many more there are. */
const LISTED = 5;

/** Which runs an execution of a trigger is compared with. */
export function baselineTriggerOf(trigger: Trigger): Trigger {
  return isHookTrigger(trigger) ? trigger : 'BeforeAllowTraffic';
}

function listed(entries: readonly string[]): string {
  const shown = entries.slice(0, LISTED).join('; ');
  return entries.length > LISTED ? `${shown}; and ${entries.length - LISTED} more` : shown;
}

interface Release {
  readonly key: string;
  readonly runs: HistoryRecord[];
}

/** The release a run gated; runs recorded before releases were identified are each their own. */
function releaseKeyOf(record: HistoryRecord): string {
  return record.releaseId ?? `deployment ${record.deploymentId}`;
}

function describeRelease(release: Release): string {
  const at = release.key.includes('@') ? release.key.slice(release.key.lastIndexOf('@') + 1) : undefined;
  const deployments = [...new Set(release.runs.map((run) => run.deploymentId))].join(', ');
  return at ? `the stack update of ${at} (${deployments})` : `deployment ${deployments}`;
}

export async function searchBaseline(
  items: AsyncIterable<Record<string, AttributeValue>>,
  query: BaselineQuery,
  resolveOutcome: OutcomeResolver,
): Promise<BaselineSearch> {
  const wanted = baselineTriggerOf(query.trigger);
  const forAudit = !isHookTrigger(query.trigger);
  const unreadable: string[] = [];
  const notKept: string[] = [];
  const learned: LearnedOutcome[] = [];
  const known = new Map<string, ResolvedOutcome>();
  let lookups = 0;
  let read = 0;

  async function outcomeOf(deploymentId: string, runs: readonly HistoryRecord[]): Promise<ResolvedOutcome> {
    const cached = known.get(deploymentId);
    if (cached) return cached;
    const recorded = runs.find(
      (run) => run.deploymentId === deploymentId && run.outcome && run.outcome !== 'PENDING',
    );
    let resolved: ResolvedOutcome;
    if (recorded?.outcome && recorded.outcome !== 'PENDING') {
      resolved = { outcome: recorded.outcome, at: recorded.outcomeAt ?? '' };
    } else if (lookups >= MAX_OUTCOME_LOOKUPS) {
      resolved = { unknownBecause: `not asked: already ${MAX_OUTCOME_LOOKUPS} GetDeployment calls` };
    } else {
      lookups += 1;
      resolved = await resolveOutcome(deploymentId);
      if (resolved.outcome) {
        learned.push({
          deploymentId,
          outcome: resolved.outcome,
          at: resolved.at,
          runs: runs.filter((run) => run.deploymentId === deploymentId),
        });
      }
    }
    known.set(deploymentId, resolved);
    return resolved;
  }

  /** The release's baseline run when CodeDeploy kept the whole release, else why not. */
  async function judge(release: Release): Promise<Baseline | undefined> {
    const candidates = release.runs.filter((run) => {
      if (run.trigger !== wanted || run.decision !== 'Succeeded') return false;
      const fitness = forAudit ? run.auditFitness : run.fitness;
      return fitness !== null && fitness !== undefined;
    });
    if (candidates.length === 0) return undefined;
    const deployments = [...new Set(release.runs.map((run) => run.deploymentId as string))];
    const failures: string[] = [];
    for (const deploymentId of deployments) {
      const resolved = await outcomeOf(deploymentId, release.runs);
      if (resolved.outcome !== 'SUCCEEDED') {
        failures.push(
          `${deploymentId} ${resolved.outcome ?? `outcome unknown (${resolved.unknownBecause})`}`,
        );
      }
    }
    if (failures.length > 0) {
      notKept.push(`${describeRelease(release)}: ${failures.join(', ')}`);
      return undefined;
    }
    const [newest] = candidates as [HistoryRecord];
    const findings = forAudit
      ? newest.findings.filter((finding) => isAuditCheck(finding.slice(0, finding.indexOf('@'))))
      : newest.findings;
    return {
      fitness: (forAudit ? newest.auditFitness : newest.fitness) as number,
      findings,
      since: newest.deploymentId ?? newest.executionName,
      ...(newest.findingsOmitted ? { findingsOmitted: newest.findingsOmitted } : {}),
    };
  }

  let baseline: Baseline | undefined;
  let open: Release | undefined;
  let sameRelease = 0;
  for await (const item of items) {
    read += 1;
    const { record, problems } = parseHistoryItem(item);
    if (problems.length > 0) {
      unreadable.push(`${record.runId || '(no runId)'}: ${problems.join(', ')}`);
    } else if (record.deploymentId && isHookTrigger(record.trigger)) {
      // Runs gating the same stack update are one release. An audit compares with the live release,
      // which may well be the release it looks at: only hook runs exclude their own.
      if (
        !forAudit &&
        ((query.releaseId && record.releaseId === query.releaseId) ||
          (query.deploymentId && record.deploymentId === query.deploymentId))
      ) {
        sameRelease += 1;
      } else {
        const key = releaseKeyOf(record);
        if (open && open.key !== key) {
          baseline = await judge(open);
          if (baseline) break;
          open = undefined;
        }
        open ??= { key, runs: [] };
        open.runs.push(record);
      }
    }
    if (read >= MAX_ITEMS_READ) break;
  }
  if (!baseline && open) baseline = await judge(open);

  const notes: string[] = [];
  if (unreadable.length > 0) {
    notes.push(
      `${unreadable.length} history item${unreadable.length === 1 ? '' : 's'} skipped as unreadable or inconsistent, never a baseline: ${listed(unreadable)}`,
    );
  }
  if (sameRelease > 0) {
    notes.push(
      `${sameRelease} earlier run${sameRelease === 1 ? '' : 's'} of this same release (stack update) not used as baseline`,
    );
  }
  if (notKept.length > 0) {
    notes.push(`releases CodeDeploy did not finish successfully, not baselines: ${listed(notKept)}`);
  }
  if (!baseline && read >= MAX_ITEMS_READ) {
    notes.push(`no kept release among the newest ${MAX_ITEMS_READ} history items: no baseline`);
  }
  if (baseline?.findingsOmitted) {
    notes.push(
      `the baseline's history item kept ${baseline.findings.length} of its findings (${baseline.findingsOmitted} cut to fit the item): findings listed as new may be old ones`,
    );
  }
  if (baseline && forAudit) {
    notes.push(
      `compared with the kept release's ${wanted} run over the checks a ${query.trigger} run performs`,
    );
  }
  return { ...(baseline ? { baseline } : {}), notes, learned };
}
