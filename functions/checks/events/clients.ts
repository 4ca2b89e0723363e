import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createCloudFormationClient, createEventBridgeClient } from '../../shared/clients.ts';

/**
 * The clients the EventBridge checks use. A rule's physical id may omit its event bus, so the rule
 * check also reads the stack's template (GetTemplate, ListStackResources).
 */
export interface EventsClients {
  readonly eventBridge: EventBridgeClient;
  readonly cloudFormation: CloudFormationClient;
}

export function createEventsClients(): EventsClients {
  return { eventBridge: createEventBridgeClient(), cloudFormation: createCloudFormationClient() };
}
