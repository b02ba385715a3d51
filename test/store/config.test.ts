import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfigPath, loadConfig } from '../../src/store/config.ts';
import { resolveProvider } from '../../src/providers/index.ts';
import type { AgentProvider } from '../../src/providers/types.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'drover-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

const view = (lines: string[]) => ({ lines, title: '', altScreen: false, changed: false, quietMs: 10_000 });

describe('config', () => {
  it('lives under XDG_CONFIG_HOME, and a missing default file is an empty config', () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: '/x/cfg' })).toBe('/x/cfg/drover/config.json');
    expect(loadConfig(path.join(dir, 'absent.json'))).toEqual({
      providers: {},
      keybindings: { detach: 'C-]' },
      notify: { bell: true, osc: true },
      policies: [],
      inbox: { batch: 1 },
      hosts: [],
    });
    expect(() => loadConfig(path.join(dir, 'absent.json'), { required: true })).toThrow(/config file not found/);
  });

  it('names the key path of a bad value in one line', () => {
    const bad = configFile('bad.json', JSON.stringify({ providers: { claude: { settleMs: -5 } } }));
    expect(() => loadConfig(bad)).toThrow(`${bad}: providers.claude.settleMs: Too small: expected number to be >=0`);
    const badKey = configFile('key.json', JSON.stringify({ keybindings: { detach: 'ctrl-x' } }));
    expect(() => loadConfig(badKey)).toThrow(`${badKey}: keybindings.detach: must look like C-] or C-a, got "ctrl-x"`);
    const badPolicy = configFile('policy.json', JSON.stringify({ policies: [{ id: 'git', action: 'allow', command: '(' }] }));
    expect(() => loadConfig(badPolicy)).toThrow(/policies\[0\]\.command: invalid regular expression/);
    const twoHosts = configFile('hosts.json', JSON.stringify({ hosts: [{ name: 'box', ssh: 'a' }, { name: 'box', ssh: 'b' }] }));
    expect(() => loadConfig(twoHosts)).toThrow(`${twoHosts}: hosts: each host needs its own name`);
    const optionHost = configFile('option.json', JSON.stringify({ hosts: [{ name: 'box', ssh: '-oProxyCommand=x' }] }));
    expect(() => loadConfig(optionHost)).toThrow(`${optionHost}: hosts[0].ssh: an ssh destination cannot start with "-"`);
    const notJson = configFile('not.json', '{ providers: ');
    expect(() => loadConfig(notJson)).toThrow(/not valid JSON .*; fix it or move it aside$/);
  });

  it('overrides a built-in provider rule by id and keeps the rest', () => {
    const config = loadConfig(
      configFile('override.json', JSON.stringify({
        providers: {
          claude: {
            settleMs: 400,
            rules: [{ id: 'claude.working', state: 'working', priority: 50, region: 'viewport', match: { contains: 'BUSY-MARK' } }],
          },
        },
      })),
    );
    const claude = resolveProvider('claude', config.providers) as AgentProvider;
    expect(claude.detect.settleMs).toBe(400);
    expect(claude.detect.classify(view(['BUSY-MARK'])).rule).toBe('claude.working');
    expect(claude.detect.classify(view(['footer · esc to interrupt'])).status).toBe('unknown');
    expect(claude.detect.rules.some((r) => r.id === 'claude.permission')).toBe(true);
  });

  it('defines a custom command on the shell provider, with its own rules', () => {
    const config = loadConfig(
      configFile('custom.json', JSON.stringify({
        providers: {
          aider: {
            args: ['--no-git'],
            rules: [{ id: 'aider.ready', state: 'idle', priority: 20, region: { bottom_lines: 1 }, match: { line_regex: '^> $' } }],
          },
        },
      })),
    );
    const aider = resolveProvider('aider', config.providers) as AgentProvider;
    expect(aider.integrate.launch).toMatchObject({ command: 'aider', args: ['--no-git'] });
    expect(aider.detect.classify(view(['> '])).rule).toBe('aider.ready');
    // The shell's live signal still outranks the screen.
    expect(aider.detect.classify({ ...view(['> ']), foregroundIsLeader: false }).status).toBe('working');
  });
});
