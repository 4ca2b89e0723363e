/**
 * Vitest global setup for the emulator-backed projects: one moto server on a free loopback port,
 * its endpoint and dummy credentials exported to the test workers, and the server stopped when the
 * run ends, pass or fail (the server also exits by itself if this process dies).
 */
import type { TestProject } from 'vitest/node';
import { localAwsEnv, startMoto } from '../../cli/emulation/moto.ts';

export default async function setup(project: TestProject) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    throw new Error(
      `fitgate needs Node.js 22 or later, this is ${process.version}; run the tests through npm test`,
    );
  }
  const moto = await startMoto();
  for (const [name, value] of Object.entries(localAwsEnv(moto.endpoint))) {
    process.env[name] = value;
  }
  project.provide('motoEndpoint', moto.endpoint);
  return async () => {
    await moto.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}
