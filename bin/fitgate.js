#!/usr/bin/env node
// The `fitgate` command. The installed package runs the compiled CLI (dist/); a clone of the
// repository, which has the TypeScript sources and no build, runs them directly (Node 22 strips types).
import { existsSync } from 'node:fs';

const source = new URL('../cli/bin/fitgate.ts', import.meta.url);
await import(existsSync(source) ? source.href : new URL('../dist/cli/bin/fitgate.js', import.meta.url).href);
