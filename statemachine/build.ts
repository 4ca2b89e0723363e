/** `npm run build:asl`: writes statemachine/fitness.asl.json from the builder (statemachine/definition.ts). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { definitionText } from './definition.ts';

const path = fileURLToPath(new URL('./fitness.asl.json', import.meta.url));
writeFileSync(path, definitionText());
process.stdout.write(`wrote ${path}\n`);
