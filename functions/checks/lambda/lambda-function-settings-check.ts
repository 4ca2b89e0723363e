import { listParam, numberParam, textParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { LambdaClients } from './clients.ts';
import { functionConfiguration } from './function-facts.ts';
import { deprecationOf, RUNTIMES_REVIEWED } from './runtimes.ts';

/**
 * N/A for container images. Otherwise PASS when the runtime is in `runtime` and each configured
 * `role`, `timeout` and `memorySize` equals the function's setting.
 */
export const lambdaFunctionSettingsCheck: CheckRule<LambdaClients> = async (context) => {
  const { params, resource } = context;
  const config = await functionConfiguration(context, resource.physicalId);
  if (config.PackageType === 'Image') {
    return {
      status: 'NOT_APPLICABLE',
      message: 'a container-image function has no managed runtime',
      evidence: { PackageType: 'Image' },
    };
  }
  const evidence = {
    Runtime: config.Runtime,
    Role: config.Role,
    Timeout: config.Timeout,
    MemorySize: config.MemorySize,
  };
  const findings: string[] = [];
  const runtimes = listParam(params.runtime);
  if (runtimes.length === 0) {
    return { status: 'ERROR', message: 'parameter runtime (the allowed runtimes) is required' };
  }
  if (!runtimes.includes(config.Runtime ?? '')) {
    const deprecated = deprecationOf(config.Runtime ?? '');
    const when =
      deprecated && deprecated <= RUNTIMES_REVIEWED ? ` (deprecated by Lambda on ${deprecated})` : '';
    findings.push(`runtime ${config.Runtime ?? '(none)'}${when} is not one of ${runtimes.join(', ')}`);
  }
  const role = textParam(params.role);
  if (role !== undefined && config.Role !== role) findings.push(`role is ${config.Role}, expected ${role}`);
  const timeout = numberParam(params.timeout, 'timeout');
  if (timeout !== undefined && config.Timeout !== timeout) {
    findings.push(`timeout is ${config.Timeout} s, expected ${timeout} s`);
  }
  const memorySize = numberParam(params.memorySize, 'memorySize');
  if (memorySize !== undefined && config.MemorySize !== memorySize) {
    findings.push(`memory size is ${config.MemorySize} MB, expected ${memorySize} MB`);
  }
  if (findings.length > 0) return { status: 'FAIL', message: findings.join('; '), evidence };
  return { status: 'PASS', message: `runtime ${config.Runtime} and the configured settings match`, evidence };
};
