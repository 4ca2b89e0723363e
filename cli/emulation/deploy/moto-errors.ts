/** moto's answers, one line each: what it said when a call failed. */
import type { CfnTemplate, IntrinsicResolver } from '../template.ts';
import { isRecord, oneLine } from './values.ts';

export interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $responseBodyText?: unknown;
  $response?: { statusCode?: number; body?: unknown };
  $fault?: string;
}

/**
 * One line with the useful part of what moto said. moto often answers with an HTML 500 page or a
 * JSON body where the SDK expects XML ("Deserialization error"); the raw text is then on the error.
 */
export function motoReason(error: unknown): string {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode ?? shape.$response?.statusCode;
  const body =
    typeof shape.$responseBodyText === 'string'
      ? shape.$responseBodyText
      : typeof shape.$response?.body === 'string'
        ? shape.$response.body
        : undefined;
  const message = shape.message ?? String(error);
  const deserialization =
    /Deserialization error|XML parse error|Unable to parse|invalid XML|Unexpected token/i.test(message);
  if (body !== undefined && (deserialization || !shape.name || shape.name === 'Error')) {
    const trimmed = body.trim();
    if (trimmed.startsWith('{')) {
      try {
        const json = JSON.parse(trimmed) as Record<string, unknown>;
        const type = String(json.__type ?? json.code ?? json.Code ?? `HTTP ${status}`).replace(/^.*#/, '');
        const detail = String(json.message ?? json.Message ?? '');
        const code = /Error Code: ([A-Za-z]+)/.exec(detail)?.[1];
        return oneLine(`${type}${code ? ` (${code})` : ''}${detail ? `: ${detail}` : ''}`);
      } catch {
        // not JSON after all
      }
    }
    if (/<html|<!doctype/i.test(trimmed)) {
      const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
      const words = title?.replace(/^\d+\s*/, '');
      return `HTTP ${status ?? 500}${words ? ` ${words}` : ''} (moto raised an exception on this request)`;
    }
    const code = /<Code>([^<]*)<\/Code>/.exec(trimmed)?.[1];
    const detail = /<Message>([^<]*)<\/Message>/.exec(trimmed)?.[1];
    if (code) return oneLine(`${code}${detail ? `: ${detail}` : ''}`);
    if (trimmed) return oneLine(`HTTP ${status ?? '?'}: ${trimmed}`);
  }
  const network = shape.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  if (network && /^E[A-Z]+$/.test(network)) {
    return `cannot reach the emulator at ${process.env.AWS_ENDPOINT_URL ?? 'the default endpoint'} (${network})`;
  }
  if (shape.name && shape.name !== 'Error' && !deserialization) return oneLine(`${shape.name}: ${message}`);
  return oneLine(status ? `HTTP ${status}: ${message}` : message);
}

/** moto needs a function's S3 code bucket to exist; say which bucket when that is what failed. */
export function lambdaCodeHint(error: unknown, template: CfnTemplate, preview: IntrinsicResolver): string {
  if (!/NoSuchBucket|NoSuchKey/.test(motoReason(error))) return '';
  const buckets: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function' || !isRecord(resource.Properties?.Code)) continue;
    if (resource.Properties.Code.S3Bucket === undefined) continue;
    let bucket: string;
    try {
      bucket = String(preview.property(logicalId, 'Code.S3Bucket'));
    } catch {
      bucket = 'an S3 bucket';
    }
    buckets.push(`${logicalId} (${bucket})`);
  }
  return buckets.length > 0
    ? ` — Lambda code in S3 must exist in the emulator before the deploy: ${buckets.join(', ')}`
    : '';
}

export function isAlreadyExists(error: unknown): boolean {
  return (error as { name?: string })?.name === 'AlreadyExistsException';
}
