/**
 * Spawning on a real Supervisor and store file, with programs in real PTYs: what the store keeps
 * of an agent and what its listeners are told, however quickly the program moves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Supervisor } from '../../src/engine/supervisor.ts';
import { Store } from '../../src/store/store.ts';

let dir: string;
let store: Store;
let supervisor: Supervisor;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'drover-supervisor-'));
  store = await Store.open(path.join(dir, 'state.json'));
  supervisor = new Supervisor({ store, stateDir: dir, cols: 80, rows: 24 });
});

afterEach(async () => {
  await supervisor.stopAll();
  await store.idle();
  rmSync(dir, { recursive: true, force: true });
});

describe('spawning', () => {
  it('reserves the names the inbox uses as addresses', async () => {
    for (const name of ['user', 'system']) {
      await expect(supervisor.spawn({ provider: 'shell', name, cwd: dir })).rejects.toThrow(`the name "${name}" is reserved: pick another`);
    }
    expect(store.read().agents).toEqual([]);
  });
});
