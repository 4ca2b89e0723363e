import { GetFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import type { CheckRule } from '../types.ts';
import type { LambdaClients } from './clients.ts';
import { invocationTargets, unlessNotConfigured } from './function-facts.ts';

/** N/A without a function URL; otherwise PASS when every URL (function and aliases) needs AWS_IAM auth. */
export const lambdaFunctionUrlAuthRequired: CheckRule<LambdaClients> = async (context) => {
  const { clients, resource } = context;
  const targets = await invocationTargets(context, resource.physicalId);
  // GetFunctionUrlConfig per target rather than ListFunctionUrlConfigs, which moto lacks.
  const urls = new Map<string, { targets: string[]; AuthType: string }>();
  for (const target of targets) {
    const url = await unlessNotConfigured(() =>
      clients.lambda.send(
        new GetFunctionUrlConfigCommand({ FunctionName: resource.physicalId, Qualifier: target.qualifier }),
      ),
    );
    if (!url?.FunctionUrl) continue;
    const known = urls.get(url.FunctionUrl);
    if (known) known.targets.push(target.label);
    else urls.set(url.FunctionUrl, { targets: [target.label], AuthType: url.AuthType ?? 'NONE' });
  }
  if (urls.size === 0) {
    return { status: 'NOT_APPLICABLE', message: 'the function has no function URL' };
  }
  const functionUrls = [...urls.entries()].map(([url, config]) => ({ url, ...config }));
  const open = functionUrls.filter((config) => config.AuthType !== 'AWS_IAM');
  if (open.length > 0) {
    return {
      status: 'FAIL',
      message: `function URL without IAM auth on ${open.map((c) => `${c.targets.join('/')} (${c.AuthType})`).join(', ')}`,
      evidence: { functionUrls },
    };
  }
  return {
    status: 'PASS',
    message: `${functionUrls.length} function URL(s), all with AWS_IAM auth`,
    evidence: { functionUrls },
  };
};
