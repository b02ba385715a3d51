/**
 * D17: a runtime folder another user made first (a shared XDG_RUNTIME_DIR, drover run as root) is
 * refused in one line by the daemon and by every client, never chmod-ed and used: whoever owns it
 * could swap the socket. Through the real binary; it needs root to hand the folder to another user.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { DROVER_BIN, drover, privateDirs } from '../helpers/drover.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-foreign-run-'));
const env = privateDirs(root);
const NOBODY = 65534;

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a runtime folder owned by another user', () => {
  it.runIf(process.getuid?.() === 0)('is refused by the daemon and the clients, and left as it was', async () => {
    const shared = path.join(root, 'run', 'drover');
    mkdirSync(shared, { recursive: true });
    chmodSync(shared, 0o777);
    chownSync(shared, NOBODY, NOBODY);
    for (const args of [['ls'], ['daemon'], ['daemon', 'status']]) {
      const result = await drover(args, { env, timeout: 30_000 });
      expect(result.exitCode, `drover ${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`${shared} belongs to user ${NOBODY}, not you (0)`);
    }
    const stat = statSync(shared);
    expect([stat.uid, stat.mode & 0o777]).toEqual([NOBODY, 0o777]);
  }, 60_000);

  it.runIf(process.getuid?.() === 0)("a socket another user's daemon holds is one line to the client (D24), not a stack", async () => {
    // nobody's own runtime folder (so the ownership check passes), holding a socket root listens on.
    const base = mkdtempSync(path.join(tmpdir(), 'drover-eacces-'));
    chmodSync(base, 0o755);
    const run = path.join(base, 'run', 'drover');
    mkdirSync(run, { recursive: true });
    chownSync(path.join(base, 'run'), NOBODY, NOBODY);
    chownSync(run, NOBODY, NOBODY);
    chmodSync(run, 0o700);
    const socket = path.join(run, 'drover.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    chmodSync(socket, 0o600);
    try {
      const result = await execa('setpriv', ['--reuid', `${NOBODY}`, '--regid', `${NOBODY}`, '--clear-groups', 'node', DROVER_BIN, 'ls'], {
        reject: false,
        stdin: 'ignore',
        cwd: base,
        env: privateDirs(base, { HOME: base }),
        timeout: 30_000,
      });
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([
        `drover: cannot connect to ${socket}: permission denied (its daemon runs as another user; run drover as that user, or point XDG_RUNTIME_DIR at your own folder)`,
      ]);
    } finally {
      server.close();
      rmSync(base, { recursive: true, force: true });
    }
  }, 60_000);
});

