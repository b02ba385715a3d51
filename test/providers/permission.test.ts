/**
 * Each provider's permission-prompt parser on the real dialogs in the fixture corpus: at the moment
 * the recorder answered, the screen must parse into the tool, the command it asks about, and
 * options that include allow-once and deny with the keys that pick them.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayRecording } from '../../src/engine/replay.ts';
import { getProvider } from '../../src/providers/index.ts';
import type { AgentProvider } from '../../src/providers/types.ts';
import { FIXTURES } from '../helpers/fixtures.ts';
import { readLabels } from '../eval/labels.ts';
import { labelledRecordings } from '../eval/evaluate.ts';

const withPrompts = labelledRecordings().filter((file) => readLabels(file).permissionPrompts.length > 0);

describe('permission prompts on recorded screens', () => {
  it('are in the corpus for every CLI that runs here', () => {
    expect(new Set(withPrompts.map((f) => readLabels(f).provider)).size).toBe(6);
  });

  for (const file of withPrompts) {
    it(path.relative(FIXTURES, file), async () => {
      const labels = readLabels(file);
      const provider = getProvider(labels.provider) as AgentProvider;
      const [prompt] = labels.permissionPrompts;
      const result = await replayRecording(path.join(path.dirname(file), labels.recording), provider.detect, { until: prompt!.answeredAt - 0.05 });
      const parsed = provider.read.permissionPrompt(result.screen.lines());
      result.screen.dispose();
      expect(parsed, 'the dialog parses').toBeDefined();
      expect(parsed!.summary).toMatch(labels.scenario === 'deny' ? /rm -f .*precious\.txt|outside/ : /touch .*created\.txt|outside/);
      expect(parsed!.tool).not.toBe('unknown');
      const choices = parsed!.options.map((o) => o.choice);
      expect(choices).toContain('once');
      expect(choices).toContain('deny');
      for (const option of parsed!.options) expect(option.keys.length).toBeGreaterThan(0);
    });
  }
});
