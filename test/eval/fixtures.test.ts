/**
 * Every labelled recording of a real agent CLI (fixtures/<provider>/) replayed through drover on
 * a virtual clock and scored against its labels. The bar is the status issue's: ≥ 99% of
 * labelled time right per provider, no flaps, never done/idle while truly working, and
 * needs_permission within 100 ms of the dialog being fully drawn. A recording with the agent's
 * hook reports captured beside it is scored again with them, to the same bar.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateFixture, labelledRecordings, summarize, type FixtureResult } from './evaluate.ts';
import { FIXTURES } from '../helpers/fixtures.ts';
import { readLabels } from './labels.ts';

const files = labelledRecordings();
const results: FixtureResult[] = [];

describe('labelled recordings of the real CLIs', () => {
  it('exist for the six CLIs that run here', () => {
    const providers = new Set(files.map((file) => readLabels(file).provider));
    expect([...providers].sort()).toEqual(['claude', 'codex', 'copilot', 'gemini', 'opencode', 'qwen']);
  });

  for (const file of files) {
    it(`${path.relative(FIXTURES, file)}: no flaps, never ready while working, prompt seen in time`, async () => {
      const result = await evaluateFixture(file);
      results.push(result);
      expect(result.score.flaps).toEqual([]);
      expect(result.score.falseReady).toEqual([]);
      for (const latency of result.score.permissionLatencies) {
        expect(latency, 'needs_permission reported after the dialog was drawn').toBeDefined();
        expect(latency!).toBeLessThanOrEqual(0.1);
      }
      if (result.withHooks) {
        expect(result.withHooks.score.flaps, 'with hooks').toEqual([]);
        expect(result.withHooks.score.falseReady, 'with hooks').toEqual([]);
        for (const latency of result.withHooks.score.permissionLatencies) expect(latency!, 'with hooks').toBeLessThanOrEqual(0.1);
      }
    });
  }

  it('are right ≥ 99% of the labelled time, per provider and CLI version', () => {
    expect(results).toHaveLength(files.length);
    for (const summary of summarize(results)) {
      expect(summary.accuracy, `${summary.provider} ${summary.version} accuracy`).toBeGreaterThanOrEqual(0.99);
      if (summary.withHooks) expect(summary.withHooks.accuracy, `${summary.provider} ${summary.version} accuracy with hooks`).toBeGreaterThanOrEqual(0.99);
    }
  });
});
