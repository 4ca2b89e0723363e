/**
 * Facts about one Lambda function, loaded once per invocation and shared by its checks. Aliases
 * have their own resource policy, URL and async config, so the checks on those repeat their call
 * for every invocation target: the unqualified function and each alias.
 */
import {
  type AliasConfiguration,
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  paginateListAliases,
} from '@aws-sdk/client-lambda';
import { isAwsError } from '../../shared/errors.ts';
import type { CheckContext } from '../types.ts';
import type { LambdaClients } from './clients.ts';

type FactContext = Pick<CheckContext<LambdaClients>, 'clients' | 'memo'>;

/** An invocation target: the unqualified function (no qualifier) or one alias. */
export interface InvocationTarget {
  readonly qualifier?: string;
  /** `$unqualified` or the alias name, for messages and evidence. */
  readonly label: string;
}

export const UNQUALIFIED: InvocationTarget = { label: '$unqualified' };

/** GetFunctionConfiguration of the function, or of one alias/version with `qualifier`. */
export function functionConfiguration(
  { clients, memo }: FactContext,
  functionName: string,
  qualifier?: string,
): Promise<FunctionConfiguration> {
  return memo(`lambda:configuration:${functionName}:${qualifier ?? ''}`, () =>
    clients.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }),
    ),
  );
}

/** Every alias of the function (paginated). A missing function raises ResourceNotFoundException. */
export function functionAliases(
  { clients, memo }: FactContext,
  functionName: string,
): Promise<AliasConfiguration[]> {
  return memo(`lambda:aliases:${functionName}`, async () => {
    const aliases: AliasConfiguration[] = [];
    for await (const page of paginateListAliases(
      { client: clients.lambda },
      { FunctionName: functionName },
    )) {
      aliases.push(...(page.Aliases ?? []));
    }
    return aliases;
  });
}

/**
 * The unqualified function and each alias. Listing the aliases first also tells a missing function
 * (an ERROR) apart from the "not configured" ResourceNotFoundException the per-target calls return.
 */
export async function invocationTargets(
  context: FactContext,
  functionName: string,
): Promise<InvocationTarget[]> {
  const aliases = await functionAliases(context, functionName);
  return [
    UNQUALIFIED,
    ...aliases.flatMap((alias) => (alias.Name ? [{ qualifier: alias.Name, label: alias.Name }] : [])),
  ];
}

/** Runs a per-target read whose ResourceNotFoundException means "not configured" (undefined). */
export async function unlessNotConfigured<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}
