/**
 * A state.json replaced while the daemon runs (by hand, by a restore, by a second drover) is not
 * silently overwritten by the daemon's next write: it is kept aside as state.json.foreign-<time>,
 * and the daemon says so in its log and in the user's inbox. Through the real binary and daemon.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { privateDaemon } from '../helpers/drover.ts';
import { until } from '../helpers/until.ts';

const { root, run, remove } = privateDaemon('foreign-state', { PS1: 'ready$ ' });
afterAll(remove);

const stateDir = path.join(root, 'state', 'drover');

describe('a state file replaced under the daemon', () => {
  it('is kept aside, never overwritten, and the log and the inbox say so', async () => {
    const first = await run('spawn', 'shell', '--name', 'one', '--cwd', root, '--', '--norc', '--noprofile', '-i');
    expect(first.exitCode, first.stderr).toBe(0);
    // Settled (idle, stored): no write of the daemon's is under way while the file is replaced.
    await until(async () => JSON.parse(readFileSync(path.join(stateDir, 'state.json'), 'utf8')).agents[0]?.status === 'idle', 'the agent stored idle');

    // Someone else's state, written the way an editor or a restore would: a new file in its place.
    const foreign = `${JSON.stringify({ schemaVersion: 1, agents: [], inbox: [], approvals: [], audit: [], note: 'not the daemon\'s' })}\n`;
    rmSync(path.join(stateDir, 'state.json'));
    writeFileSync(path.join(stateDir, 'state.json'), foreign, { mode: 0o600 });

    const second = await run('spawn', 'shell', '--name', 'two', '--cwd', root, '--', '--norc', '--noprofile', '-i');
    expect(second.exitCode, second.stderr).toBe(0);

    const aside = readdirSync(stateDir).filter((name) => name.startsWith('state.json.foreign-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(stateDir, aside[0]!), 'utf8')).toBe(foreign);
    expect(readFileSync(path.join(stateDir, 'daemon.log'), 'utf8')).toContain(aside[0]!);
    const inbox = await run('inbox', '--json');
    expect(inbox.exitCode, inbox.stderr).toBe(0);
    expect(JSON.parse(inbox.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'system', to: 'user', body: expect.stringContaining(aside[0]!) })]));
  }, 60_000);
});
