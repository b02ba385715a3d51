/**
 * D17: a runtime folder another user made first (a shared XDG_RUNTIME_DIR, drover run as root) is
 * refused in one line by the daemon and by every client, never chmod-ed and used: whoever owns it
 * could swap the socket. Through the real binary; it needs root to hand the folder to another user.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drover, privateDirs } from '../helpers/drover.ts';

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
});
