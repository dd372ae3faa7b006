#!/usr/bin/env node
// The `edge-trainer` command. The CLI is written in TypeScript, so this shim registers tsx's ESM
// loader and then hands the arguments to scripts/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
