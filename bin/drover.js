#!/usr/bin/env node
// Runs drover straight from its TypeScript sources: no build step, nothing to go stale. With
// drover's own tsconfig (JSX for the TUI), not whatever tsconfig.json the current folder holds.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
