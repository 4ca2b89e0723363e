/**
 * The cost model of one gated deployment, at public us-east-1 prices (November 2026). One table,
 * every price with its unit; the bench multiplies it by what it counted.
 */

export const PRICES_USD = {
  /** Step Functions Standard, per state transition ($0.025 per 1,000). */
  stateTransition: 0.000025,
  /** Lambda, per request ($0.20 per 1M). */
  lambdaRequest: 0.0000002,
  /** Lambda arm64, per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** Per API request, by signing service; control-plane reads (CloudFormation, IAM, Lambda Get*, API Gateway GET, Step Functions Describe*, DynamoDB Describe* and List* — counted as `dynamodb-control` —, Logs Describe*, CodeDeploy) are free. */
  apiRequest: {
    monitoring: 0.00001, // CloudWatch API: DescribeAlarms, PutMetricData ($0.01 per 1,000 requests)
    s3: 0.0000004, // S3 GET-class requests ($0.0004 per 1,000)
    kms: 0.000003, // KMS API requests ($0.03 per 10,000)
    sqs: 0.0000004, // SQS requests ($0.40 per 1M)
    dynamodb: 0.00000125, // DynamoDB on-demand data plane: Query/PutItem counted as one write request unit ($1.25 per 1M), an upper bound
  } as Readonly<Record<string, number>>,
} as const;

/** Memory of each Lambda state's function in the FitnessGate construct (infra/lib/fitness-gate.ts). */
export const LAMBDA_MEMORY_MB: Readonly<Record<string, number>> = { ListResources: 512 };
export const DEFAULT_LAMBDA_MEMORY_MB = 256;

export interface CostInput {
  readonly transitions: number;
  readonly lambdaInvocations: number;
  readonly lambdaMs: Readonly<Record<string, number>>;
  readonly apiCalls: Readonly<Record<string, number>>;
}

export interface CostBreakdown {
  readonly stepFunctions: number;
  readonly lambda: number;
  readonly apiCalls: number;
  readonly total: number;
}

export function modelCost(input: CostInput): CostBreakdown {
  const stepFunctions = input.transitions * PRICES_USD.stateTransition;
  const gbSeconds = Object.entries(input.lambdaMs).reduce(
    (sum, [state, ms]) => sum + ((LAMBDA_MEMORY_MB[state] ?? DEFAULT_LAMBDA_MEMORY_MB) / 1024) * (ms / 1000),
    0,
  );
  const lambda = input.lambdaInvocations * PRICES_USD.lambdaRequest + gbSeconds * PRICES_USD.lambdaGbSecond;
  const apiCalls = Object.entries(input.apiCalls).reduce(
    (sum, [service, count]) => sum + count * (PRICES_USD.apiRequest[service] ?? 0),
    0,
  );
  return { stepFunctions, lambda, apiCalls, total: stepFunctions + lambda + apiCalls };
}
