import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePrivateDir, runtimeDir, stateDir, stateFile } from '../../src/store/paths.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'drover-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;

describe('paths', () => {
  it('follows XDG_STATE_HOME and XDG_RUNTIME_DIR', () => {
    const env = { HOME: '/home/u', XDG_STATE_HOME: '/x/state', XDG_RUNTIME_DIR: '/run/user/7' };
    expect(stateDir(env)).toBe('/x/state/drover');
    expect(stateFile(env)).toBe('/x/state/drover/state.json');
    expect(runtimeDir(env)).toBe('/run/user/7/drover');
  });

  it('falls back to ~/.local/state, and to the state dir for runtime files; relative XDG paths are ignored', () => {
    expect(stateDir({ HOME: '/home/u' })).toBe('/home/u/.local/state/drover');
    expect(runtimeDir({ HOME: '/home/u' })).toBe('/home/u/.local/state/drover/run');
    expect(stateDir({ HOME: '/home/u', XDG_STATE_HOME: 'rel/state' })).toBe('/home/u/.local/state/drover');
    expect(runtimeDir({ HOME: '/home/u', XDG_RUNTIME_DIR: '' })).toBe('/home/u/.local/state/drover/run');
  });

  it('creates private dirs (0700, parents too) and tightens a looser existing one', () => {
    const nested = path.join(dir, 'a', 'b');
    expect(ensurePrivateDir(nested)).toBe(nested);
    expect(mode(nested)).toBe(0o700);
    expect(mode(path.join(dir, 'a'))).toBe(0o700);

    const loose = path.join(dir, 'loose');
    mkdirSync(loose);
    chmodSync(loose, 0o755);
    ensurePrivateDir(loose);
    expect(mode(loose)).toBe(0o700);
  });
});
