/**
 * D28: the config is no looser than the CLI. A detach key `drover attach --detach-key` refuses, a
 * provider built on a base drover does not know, or a regex that can take exponential time, stops
 * the daemon at start with one line naming the key path; nothing starts half-configured. Through
 * the real binary.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drover, privateDirs } from '../helpers/drover.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-config-'));
const env = privateDirs(root);
const configFile = path.join(env.XDG_CONFIG_HOME, 'drover', 'config.json');

afterAll(async () => {
  await drover(['daemon', 'stop'], { env, timeout: 30_000 });
  rmSync(root, { recursive: true, force: true });
});

async function refusedAtStart(config: unknown, pattern: RegExp): Promise<void> {
  mkdirSync(path.dirname(configFile), { recursive: true });
  writeFileSync(configFile, JSON.stringify(config));
  const result = await drover(['ls'], { env, timeout: 30_000 });
  expect(result.exitCode, result.stderr).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

describe('the config is as strict as the CLI', () => {
  it('refuses a detach key attach would refuse', async () => {
    await refusedAtStart({ keybindings: { detach: 'C-q' } }, /keybindings\.detach: C-q would collide with flow control/);
    const cli = await drover(['attach', 'x', '--detach-key', 'C-q'], { env, timeout: 30_000 });
    expect(cli.stderr).toMatch(/C-q would collide with flow control/);
  }, 60_000);

  it('refuses a provider on an unknown base', async () => {
    await refusedAtStart({ providers: { aider: { base: 'nope', command: 'aider' } } }, /providers\.aider\.base: unknown provider "nope" \(known: /);
  }, 60_000);

  it('refuses a rule or policy regex that can take exponential time', async () => {
    await refusedAtStart({ policies: [{ id: 'slow', action: 'allow', command: '(a+)+$' }] }, /policies\[0\]\.command: "\(a\+\)\+\$" can take exponential time/);
    const rule = { id: 'shell.slow', state: 'idle', priority: 1, region: 'viewport', match: { regex: '^(\\w+\\s?)*$' } };
    await refusedAtStart({ providers: { shell: { rules: [rule] } } }, /providers\.shell\.rules\[0\]\.match.*can take exponential time/);
  }, 60_000);

  it('starts with both fixed', async () => {
    writeFileSync(configFile, JSON.stringify({ keybindings: { detach: 'C-a' }, providers: { aider: { base: 'shell', command: 'aider' } } }));
    const result = await drover(['ls'], { env, timeout: 30_000 });
    expect(result.exitCode, result.stderr).toBe(0);
  }, 60_000);
});
