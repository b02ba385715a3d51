import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Director } from '../../../src/doctor/mock-model/director.ts';
import { loadScenario, parseScenario } from '../../../src/doctor/mock-model/scenario.ts';
import type { RequestInfo } from '../../../src/doctor/mock-model/types.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'mock-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('loadScenario', () => {
  it('reads both file forms', () => {
    expect(loadScenario(file('list.json', '[{"text":"hi"}]'))).toEqual({ turns: [{ text: 'hi' }] });
    const obj = loadScenario(file('obj.json', '{"turns":[],"default":{"text":"d"},"loop":false,"aux_patterns":["x"]}'));
    expect(obj.default).toEqual({ text: 'd' });
  });

  it('gives a one-line error naming the file and the problem', () => {
    const cases: [string, RegExp][] = [
      ['not json', /bad\.json: invalid JSON: /],
      ['[{"text": 3}]', /bad\.json: turns\[0\]\.text: Invalid input: expected string, received number$/],
      ['[{"tool": {"shell": "ls", "name": "Bash"}}]', /bad\.json: turns\[0\]\.tool: give either "name"/],
      ['[{"stall_s": 1, "sticky": true}]', /bad\.json: turns\[0\]: a stall-only turn is a prefix/],
      ['[{}]', /bad\.json: turns\[0\]: a turn needs text, thinking, tool, error or stall_s/],
      ['[{"error": 200}]', /bad\.json: turns\[0\]\.error: /],
      ['{"turns": [], "aux_patterns": ["("]}', /bad\.json: aux_patterns\[0\]: not a valid regular expression/],
      ['{"turns": [], "aux_input_patterns": ["["]}', /bad\.json: aux_input_patterns\[0\]: not a valid regular expression/],
      ['{"turns": [{"stall_s": 1}], "loop": true}', /bad\.json: "loop" needs at least one turn/],
    ];
    for (const [text, expected] of cases) {
      const p = file('bad.json', text);
      expect(() => loadScenario(p)).toThrow(expected);
      try {
        loadScenario(p);
      } catch (err) {
        expect((err as Error).message).not.toContain('\n');
      }
    }
    expect(() => loadScenario(path.join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read: /);
  });
});

describe('Director', () => {
  const request = (promptKey = '1:go'): RequestInfo => ({
    protocol: 'anthropic',
    model: 'm',
    stream: true,
    tools: [{ name: 'Bash', kind: 'function' }],
    system: '',
    lastInput: 'user:text',
    promptKey,
    snippet: '',
  });

  it('repeats a turn `times` times, then loops', () => {
    const d = new Director(parseScenario({ turns: [{ text: 'a', times: 2 }, { text: 'b' }], loop: true }));
    const texts = Array.from({ length: 5 }, () => d.decide(request()).reply.text);
    expect(texts).toEqual(['a', 'a', 'b', 'a', 'a']);
  });

  it('serves the default turn, with a trailing stall prefix, once turns run out', () => {
    const d = new Director(parseScenario({ turns: [{ text: 'a' }, { stall_s: 2 }], default: { text: 'd' } }));
    d.decide(request());
    expect(d.decide(request())).toMatchObject({ source: 'default', turns: [1], reply: { text: 'd', stallMs: 2000 } });
    expect(d.decide(request())).toMatchObject({ source: 'default', turns: [], reply: { text: 'd', stallMs: 0 } });
  });

  it('a builtin-only tool list (web search) is aux', () => {
    const d = new Director(parseScenario([{ text: 'a' }]));
    expect(d.roleOf({ ...request(), tools: [{ name: 'web_search', kind: 'builtin' }] })).toBe('aux');
    expect(d.roleOf({ ...request(), system: 'the MANAGED memory extraction subagent' })).toBe('aux');
    expect(d.roleOf(request())).toBe('main');
  });
});
