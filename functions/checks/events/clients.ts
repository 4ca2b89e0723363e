import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createEventBridgeClient } from '../../shared/clients.ts';

/** The clients the EventBridge checks use; tests hand in clients pointed at the emulator or a named mock. */
export interface EventsClients {
  readonly eventBridge: EventBridgeClient;
}

export function createEventsClients(): EventsClients {
  return { eventBridge: createEventBridgeClient() };
}
