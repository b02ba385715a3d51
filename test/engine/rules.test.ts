import { describe, expect, it } from 'vitest';
import { ScreenRegions } from '../../src/status/regions.ts';
import { compileRules, explain, firstMatch, RuleError, type Rule } from '../../src/status/rules.ts';

const rule = '─'.repeat(40);
// A screen shaped like the agent TUIs: transcript, status line, prompt box between rules, footer.
const screen = [
  '● Earlier answer',
  '✢ Thinking… (3s)',
  '',
  rule,
  '❯ draft message',
  rule,
  '  footer · esc to interrupt',
  '',
];

describe('screen regions', () => {
  const regions = new ScreenRegions(screen, 'the title');
  it('finds the prompt box between the last two rules, and what follows the last', () => {
    expect(regions.get('prompt_box')).toEqual(['❯ draft message']);
    expect(regions.get('after_last_rule')).toEqual(['  footer · esc to interrupt', '']);
  });
  it('counts bottom and above-the-box lines among non-empty lines only', () => {
    expect(regions.get({ bottom_lines: 2 })).toEqual([rule, '  footer · esc to interrupt']);
    expect(regions.get({ above_prompt_box: 2 })).toEqual(['● Earlier answer', '✢ Thinking… (3s)']);
  });
  it('gives the title and the whole viewport', () => {
    expect(regions.get('title')).toEqual(['the title']);
    expect(regions.get('viewport')).toBe(screen);
  });
  it('has no prompt box without two rules', () => {
    const plain = new ScreenRegions(['just text', '$ '], '');
    expect(plain.get('prompt_box')).toEqual([]);
    expect(plain.get('after_last_rule')).toEqual([]);
    expect(plain.get({ above_prompt_box: 3 })).toEqual([]);
  });
});

const rules: Rule[] = [
  { id: 'busy', state: 'working', priority: 50, region: 'after_last_rule', match: { contains: 'esc to interrupt' } },
  { id: 'ready', state: 'idle', priority: 10, region: 'prompt_box', match: { line_regex: '^❯' } },
  {
    id: 'asks',
    state: 'needs_input',
    priority: 90,
    region: { above_prompt_box: 3 },
    match: { all: [{ regex: '\\?\\s*$' }, { not: { contains: 'Thinking' } }] },
  },
  {
    id: 'spinner',
    state: 'working',
    priority: 40,
    region: { above_prompt_box: 1 },
    match: { any: [{ contains: 'Musing' }, { line_regex: '^\\S+ Thinking… \\((\\d+)s\\)' }] },
    detail: 'Thinking… \\((\\d+s)\\)',
  },
];

describe('rules', () => {
  const compiled = compileRules(rules);

  it('picks the highest-priority match and explains the others', () => {
    const result = explain(compiled, screen, '');
    expect(result.winner).toMatchObject({ id: 'busy', state: 'working', region: 'after_last_rule' });
    expect(result.winner!.text).toContain('esc to interrupt');
    expect(result.matched.map((m) => m.id)).toEqual(['busy', 'spinner', 'ready']);
    expect(result.matched[1]!.detail).toBe('3s');
    expect(firstMatch(compiled, screen, '')!.id).toBe('busy');
  });

  it('honours not / all', () => {
    const asking = ['Shall I go on?', '', rule, '❯', rule, 'footer'];
    expect(firstMatch(compiled, asking, '')!.id).toBe('asks');
    const thinking = ['Thinking about it?', '', rule, '❯', rule, 'footer'];
    expect(firstMatch(compiled, thinking, '')!.id).toBe('ready');
  });

  it('checks "and" conditions on other regions', () => {
    const titled = compileRules([
      {
        id: 'title-spinner-in-a-turn',
        state: 'working',
        priority: 60,
        region: 'title',
        match: { regex: '^⠋ ' },
        and: [{ region: 'viewport', match: { contains: 'draft message' } }],
      },
    ]);
    expect(firstMatch(titled, screen, '⠋ work')!.id).toBe('title-spinner-in-a-turn');
    expect(firstMatch(titled, ['no turn yet'], '⠋ work')).toBeUndefined();
    expect(firstMatch(titled, screen, 'work')).toBeUndefined();
  });

  it('lets overrides replace a rule by id and add new ones', () => {
    const overridden = compileRules(rules, [
      { id: 'busy', state: 'working', priority: 5, region: 'viewport', match: { contains: 'never on screen' } },
      { id: 'title', state: 'done', priority: 100, region: 'title', match: { regex: '^done$' } },
    ]);
    expect(overridden.map((c) => c.rule.id)).toEqual(['title', 'asks', 'spinner', 'ready', 'busy']);
    expect(firstMatch(overridden, screen, 'done')!.id).toBe('title');
    expect(firstMatch(overridden, screen, 'not done')!.id).toBe('spinner');
  });

  it('rejects bad rules with the path of the problem', () => {
    const bad = (overrides: unknown) => () => compileRules(rules, overrides, 'config.providers.claude.rules');
    expect(bad([{ id: 'x', state: 'sleeping', priority: 1, region: 'viewport', match: { contains: 'a' } }])).toThrow(
      /^config\.providers\.claude\.rules\[0\]\.state: Invalid option/,
    );
    expect(bad([{ id: 'x', state: 'idle', priority: 1, region: 'viewport', match: { regex: '(' } }])).toThrow(
      /invalid regular expression/,
    );
    expect(bad([{ id: 'x', state: 'idle', priority: 1, region: { bottom_lines: 0 }, match: { contains: 'a' } }])).toThrow(RuleError);
    expect(bad({ id: 'not-a-list' })).toThrow(/^config\.providers\.claude\.rules: Invalid input: expected array/);
  });
});
