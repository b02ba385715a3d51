#!/usr/bin/env node
// drover's compiled code (dist/, built from src/ by `npm run build`, which `npm install` runs).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(`drover: not built (no ${main.pathname}): run npm install, or npm run build\n`);
  process.exit(2);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
