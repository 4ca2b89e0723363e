/**
 * Counts AWS API requests by service, read from each request's SigV4 credential scope
 * (`Credential=<key>/<date>/<region>/<service>/aws4_request`) on Node's http client channel.
 * DynamoDB bills read and write request units, which only its data-plane operations consume: its
 * control-plane reads (DescribeTable, DescribeContinuousBackups, …, named by the JSON protocol's
 * X-Amz-Target header) are counted apart, as `dynamodb-control`.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

const SCOPE = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/;

export class ApiCallCounter {
  private counts: Record<string, number> = {};
  private readonly listener = (message: unknown) => {
    const request = (message as { request?: ClientRequest }).request;
    const authorization = String(request?.getHeader('authorization') ?? '');
    const scope = SCOPE.exec(authorization)?.[1];
    const operation = String(request?.getHeader('x-amz-target') ?? '').split('.')[1] ?? '';
    const service = scope === 'dynamodb' && /^(Describe|List)/.test(operation) ? 'dynamodb-control' : scope;
    if (service) this.counts[service] = (this.counts[service] ?? 0) + 1;
  };

  start(): void {
    this.counts = {};
    subscribe('http.client.request.start', this.listener);
  }

  stop(): Record<string, number> {
    unsubscribe('http.client.request.start', this.listener);
    return { ...this.counts };
  }
}
