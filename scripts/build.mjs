/**
 * `npm run build`: src/ bundled into dist/ by esbuild, one ES module entry (the CLI) split into
 * chunks at each lazy import, so a verb loads only its own code and what it shares.
 *
 * Why a bundler and not tsc's one-file-per-module output: Node's ES module loader pays per file,
 * and Ink, React and their dependencies are a few hundred files — loading them took the TUI
 * 0.7–1.5 s before its first frame on this project's 2-core machine, bundled about 0.25 s. Types
 * are checked separately (`npm run typecheck`); esbuild only strips them.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  // Every output file sits two folders below the package root (dist/cli/, dist/chunks/), as every
  // source file does (src/<folder>/): paths made from import.meta.url (bin/drover.js,
  // package.json) hold in both.
  entryPoints: { 'cli/main': 'src/cli/main.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // A native addon: it stays in node_modules, built for this machine by npm.
  external: ['node-pty'],
  // React's production build; Ink's optional devtools bridge is never loaded in production.
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { 'react-devtools-core': './scripts/no-devtools.mjs' },
  // Bundled CommonJS packages still call require() for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
