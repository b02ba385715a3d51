#!/usr/bin/env node
/**
 * Makes node-pty's terminal masters close-on-exec (run by `npm install`, as drover's postinstall).
 *
 * node-pty 1.1 starts a program with forkpty(3) on Linux and never sets FD_CLOEXEC on the master
 * it returns, so every process the daemon starts later (each agent, and its children) inherits the
 * masters of the agents before it: it can read their terminals and type into them. Node has no
 * fcntl, and the fd is node-pty's, so the fix goes where the fd is made: one fcntl in node-pty's
 * pty.cc, then node-pty rebuilt (on Linux it is always built from source: it ships no Linux
 * binaries). Upstream: microsoft/node-pty#657; its fix (closing fds in the child, in 1.2 betas)
 * leaves the masters inheritable by the daemon's other children.
 *
 * Idempotent: the built binary is checked first. Where node-pty is not built from pty.cc's
 * forkpty path (macOS, whose posix_spawn path closes them, and Windows), there is nothing to do.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const MESSAGE = 'Could not set master fd to close-on-exec.';
const UNPATCHED = `    default:
      if (pty_nonblock(master) == -1) {
        throw Napi::Error::New(napiEnv, "Could not set master fd to nonblocking.");
      }
`;
const PATCHED = `${UNPATCHED}      // drover: a later child must not inherit this terminal (see drover's scripts/node-pty-cloexec.js).
      if (fcntl(master, F_SETFD, FD_CLOEXEC) == -1) {
        throw Napi::Error::New(napiEnv, "${MESSAGE}");
      }
`;

if (process.platform === 'darwin' || process.platform === 'win32') process.exit(0);

const nodePty = path.dirname(createRequire(import.meta.url).resolve('node-pty/package.json'));
const binary = path.join(nodePty, 'build', 'Release', 'pty.node');
const built = () => {
  try {
    return readFileSync(binary).includes(MESSAGE);
  } catch {
    return false;
  }
};
if (built()) process.exit(0);

const source = path.join(nodePty, 'src', 'unix', 'pty.cc');
const text = readFileSync(source, 'utf8');
if (!text.includes(PATCHED)) {
  if (!text.includes(UNPATCHED)) {
    // A node-pty whose source moved on: the leak may be fixed there, or not (test/terminal/pty.test.ts tells).
    console.warn(`drover: ${source} is not the node-pty 1.1 source this patch knows: its terminal masters are left as they are`);
    process.exit(0);
  }
  writeFileSync(source, text.replace(UNPATCHED, PATCHED));
}
// node-pty's own install script, in the folder whose node_modules holds it: there is no prebuilt
// binary for this platform, so node-gyp builds pty.cc.
const [npm, ...npmArgs] = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
// Local to that folder even inside a global install (`npm install -g` passes npm_config_global on).
execFileSync(npm, [...npmArgs, 'rebuild', 'node-pty', '--global=false', '--prefix', path.dirname(path.dirname(nodePty))], {
  stdio: 'inherit',
  env: { ...process.env, npm_config_global: 'false' },
});
if (!built()) {
  console.error(`drover: rebuilt ${binary}, but it does not set its terminal masters close-on-exec`);
  process.exit(1);
}
