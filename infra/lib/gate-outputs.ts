/**
 * How the CLI and other stacks find a deployed gate: the stack outputs of the gate's stack (and of
 * every stack it guards from another stack), and the exports of the gate's stack, named after the gate.
 */

/** Output keys: the state machine `fitgate audit` starts, and the table `fitgate history` reads. */
export const STATE_MACHINE_OUTPUT = 'FitnessStateMachineArn';
export const HISTORY_TABLE_OUTPUT = 'FitnessHistoryTable';

/** `<gateName>-StateMachineArn` and `<gateName>-HistoryTable`: unique per account and region, as gate names are. */
export function gateExportName(gateName: string, what: 'StateMachineArn' | 'HistoryTable'): string {
  return `${gateName}-${what}`;
}
