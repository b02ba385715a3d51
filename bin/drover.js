#!/usr/bin/env node
// Runs drover straight from its TypeScript sources: no build step, nothing to go stale.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
