import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Four projects, one per level of the test pyramid, plus the public real-world stacks (issue #7) and
// the consumer apps that install the packed package (issue #14). The emulator-backed projects share
// one moto server per project (global setup) and run their files one at a time, because each file
// starts from a reset emulator.
const emulated = {
  globalSetup: ['test/support/moto-global-setup.ts'],
  setupFiles: ['test/support/reset-moto.ts'],
  fileParallelism: false,
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

// The real-stack corpus lives beside the repository (../shared/real-stacks), not in it: a clone alone
// skips that project with one notice; CI, which has the corpus, runs it.
const REAL_STACKS = new URL('../shared/real-stacks/', import.meta.url);
const realStacks = existsSync(REAL_STACKS);
if (!realStacks) {
  console.warn(
    `real-stacks: skipped, the public template corpus is not beside the repository (${REAL_STACKS.pathname})`,
  );
}

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 10_000 } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], ...emulated } },
      { test: { name: 'workflow', include: ['test/workflow/**/*.test.ts'], ...emulated } },
      ...(realStacks
        ? [{ test: { name: 'real-stacks', include: ['test/real-stacks/**/*.test.ts'], ...emulated } }]
        : []),
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
