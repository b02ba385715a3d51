/**
 * Claude Code screens the recorded fixtures do not have: a message sent while Claude is still
 * starting (drover's own SessionStart hook running) shows the spinner above an empty prompt box
 * for a moment before the footer says "esc to interrupt". Seen live: a worker that a handoff had
 * just spawned read `done` there, and the handoff returned before the worker had answered.
 */
import { describe, expect, it } from 'vitest';
import { claude } from '../../src/providers/claude/index.ts';

const rule = '─'.repeat(120);
const header = [' ▐▛███▛█   Claude Code v2.1.330', '▝▜██████▀  Opus 5.5 · API Usage Billing', ' ▝▝   ▝▝   ~/work', ''];
const effort = `${' '.repeat(100)}◐ medium · /effort`;

const classify = (lines: string[]) => claude.detect.classify({ lines, title: '', altScreen: false, changed: false, quietMs: 5000 });

describe('claude status', () => {
  it('takes the spinner above an empty prompt box as working, before the footer says so', () => {
    const starting = [...header, '❯ Look at the project.', '', '✢ Quantumizing…', '', effort, rule, '❯ ', rule, '  ⏸ manual mode on · ? for shortcuts · ← for agents'];
    expect(classify(starting)).toMatchObject({ status: 'working', rule: 'claude.spinner' });
    const hook = [...header, '❯ Look at the project.', '', '· Quantumizing… (running SessionStart hook · 0s)', '', effort, rule, '❯ ', rule, '  ⏸ manual mode on'];
    expect(classify(hook)).toMatchObject({ status: 'working' });
  });

  it('reads the turn-end line and an answer ending in an ellipsis as idle', () => {
    const ended = [...header, '❯ Look at the project.', '', '● Nothing is left to do…', '', '✻ Brewed for 4s · done 1:48 AM', '', effort, rule, '❯ ', rule, '  ⏸ manual mode on · ? for shortcuts'];
    expect(classify(ended)).toMatchObject({ status: 'idle', rule: 'claude.prompt' });
  });
});
