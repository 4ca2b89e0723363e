import {
  type EventSourceMappingConfiguration,
  paginateListEventSourceMappings,
} from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { CheckContext, CheckRule } from '../types.ts';
import type { LambdaClients } from './clients.ts';
import { functionConfiguration, invocationTargets } from './function-facts.ts';

/** cdk-nag LambdaEventSourceSQSVisibilityTimeout: Lambda itself only enforces 1×. */
const TIMEOUT_MULTIPLE = 6;

const SQS_ARN = /^arn:[^:]+:sqs:([^:]+):(\d{12}):(.+)$/;

/**
 * Mappings of the function and of each alias (a mapping on an alias ARN is not listed under the
 * bare name on AWS), deduplicated by UUID.
 */
async function eventSourceMappings(
  context: CheckContext<LambdaClients>,
): Promise<EventSourceMappingConfiguration[]> {
  const { clients, resource } = context;
  const aliases = (await invocationTargets(context, resource.physicalId)).flatMap((target) =>
    target.qualifier ? [target.qualifier] : [],
  );
  const config = await functionConfiguration(context, resource.physicalId);
  const functionArn = config.FunctionArn?.replace(/:\$LATEST$/, '');
  const names = [resource.physicalId, ...aliases.map((alias) => `${functionArn}:${alias}`)];
  const byUuid = new Map<string, EventSourceMappingConfiguration>();
  for (const name of names) {
    for await (const page of paginateListEventSourceMappings(
      { client: clients.lambda },
      { FunctionName: name },
    )) {
      for (const mapping of page.EventSourceMappings ?? []) byUuid.set(mapping.UUID ?? '', mapping);
    }
  }
  return [...byUuid.values()];
}

/** PASS when every SQS queue feeding the function has VisibilityTimeout ≥ 6 × the function timeout. */
export const lambdaSqsVisibilityTimeout: CheckRule<LambdaClients> = async (context) => {
  const { clients, resource } = context;
  const sqsMappings = (await eventSourceMappings(context)).filter((m) =>
    SQS_ARN.test(m.EventSourceArn ?? ''),
  );
  if (sqsMappings.length === 0) {
    return { status: 'NOT_APPLICABLE', message: 'the function has no SQS event source' };
  }
  const queues = [];
  for (const mapping of sqsMappings) {
    const [, , accountId, queueName] = SQS_ARN.exec(mapping.EventSourceArn ?? '') ?? [];
    const { QueueUrl } = await clients.sqs.send(
      new GetQueueUrlCommand({ QueueName: queueName, QueueOwnerAWSAccountId: accountId }),
    );
    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );
    // The mapping's FunctionArn names the version or alias it invokes, whose timeout applies.
    const qualifier = mapping.FunctionArn?.split(':')[7];
    const config = await functionConfiguration(context, resource.physicalId, qualifier);
    const visibilityTimeout = Number(Attributes?.VisibilityTimeout ?? 30);
    const functionTimeout = config.Timeout ?? 3;
    queues.push({
      queueName: queueName ?? '',
      target: qualifier ?? '$unqualified',
      visibilityTimeout,
      functionTimeout,
      required: TIMEOUT_MULTIPLE * functionTimeout,
    });
  }
  const short = queues.filter((queue) => queue.visibilityTimeout < queue.required);
  if (short.length > 0) {
    return {
      status: 'FAIL',
      message: `visibility timeout below ${TIMEOUT_MULTIPLE} × the function timeout: ${short
        .map((q) => `${q.queueName} ${q.visibilityTimeout} s < ${q.required} s`)
        .join(', ')}`,
      evidence: { queues },
    };
  }
  return {
    status: 'PASS',
    message: `${queues.length} SQS source(s) give at least ${TIMEOUT_MULTIPLE} × the function timeout`,
    evidence: { queues },
  };
};
