/** Copilot CLI's hooks: a plugin folder per launch (`--plugin-dir`), and what each hook event says. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copilot } from '../../src/providers/copilot/index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'drover-copilot-hooks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Copilot CLI hooks', () => {
  it("are a plugin loaded for this launch only, in Copilot's hooks.json format, private to the user", () => {
    const { args } = copilot.integrate.hooks!({ dir, command: (event) => `drover hook copilot ${event}` });
    const plugin = path.join(dir, 'copilot-plugin');
    expect(args).toEqual(['--plugin-dir', plugin]);
    expect(JSON.parse(readFileSync(path.join(plugin, '.plugin', 'plugin.json'), 'utf8'))).toMatchObject({ name: 'drover' });
    const hooksFile = path.join(plugin, 'hooks', 'hooks.json');
    const { version, hooks } = JSON.parse(readFileSync(hooksFile, 'utf8'));
    expect(version).toBe(1);
    expect(Object.keys(hooks).sort()).toEqual(['agentStop', 'postToolUse', 'preToolUse', 'sessionStart', 'userPromptSubmitted']);
    expect(hooks.preToolUse).toEqual([{ type: 'command', bash: 'drover hook copilot preToolUse', timeoutSec: 5 }]);
    expect(statSync(hooksFile).mode & 0o777).toBe(0o600);
  });

  it('say working on a prompt or a tool, idle when the agent stops, and carry the session id', () => {
    const sessionId = '3ad4ea49-be8b-4c87-84f0-15eec8c05d11';
    const report = (event: string) => copilot.integrate.hookReport!(event, { sessionId, timestamp: 1, cwd: '/w' });
    expect(report('sessionStart')).toEqual({ sessionId });
    expect(report('userPromptSubmitted')).toEqual({ sessionId, status: 'working' });
    expect(report('preToolUse')).toEqual({ sessionId, status: 'working' });
    expect(report('agentStop')).toEqual({ sessionId, status: 'idle' });
    expect(copilot.integrate.hookReport!('agentStop', {})).toEqual({ status: 'idle' });
    expect(copilot.integrate.resumeArgs!(sessionId)).toEqual(['--resume', sessionId]);
  });
});
