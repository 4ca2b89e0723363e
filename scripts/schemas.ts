/**
 * Writes docs/schemas/*.schema.json, the JSON Schemas of the check-function contract
 * (functions/checks/custom/contract.ts): `npm run docs:schemas`. A unit test fails when they are stale.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contractSchemaFiles } from '../functions/checks/custom/contract.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const files = Object.entries(contractSchemaFiles()).map(([file, text]) => {
  const target = path.join(root, 'docs', 'schemas', file);
  writeFileSync(target, text);
  return target;
});
// As Biome formats JSON, so `npm run lint` stays clean (the staleness test compares the parsed JSON).
execFileSync(path.join(root, 'node_modules', '.bin', 'biome'), ['format', '--write', ...files], {
  stdio: 'ignore',
});
for (const file of files) console.log(`wrote ${path.relative(root, file)}`);
