import { makeFamilyHandler } from '../run.ts';
import { createEventsClients, type EventsClients } from './clients.ts';
import { eventbridgeBusPolicyNotPublic } from './eventbridge-bus-policy-not-public.ts';
import { eventbridgeRuleTargetsDlq } from './eventbridge-rule-targets-dlq.ts';

/** Rules of the events family, by check id (the inventory test pins this against the registry). */
export const rules = {
  'eventbridge-bus-policy-not-public': eventbridgeBusPolicyNotPublic,
  'eventbridge-rule-targets-dlq': eventbridgeRuleTargetsDlq,
};

export const makeHandler = (clients: EventsClients) => makeFamilyHandler('events', rules, clients);

export const handler = makeHandler(createEventsClients());
