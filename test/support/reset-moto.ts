/** Every emulator-backed test file starts from an empty moto, with the SDK pointed at it. */
import { beforeAll, inject } from 'vitest';
import { localAwsEnv } from '../../cli/emulation/moto.ts';

const endpoint = inject('motoEndpoint');
Object.assign(process.env, localAwsEnv(endpoint));
// The handlers' structured logs would drown the test output; assertions read results instead.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

beforeAll(async () => {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed with HTTP ${response.status}`);
});
