/** Replays every labelled agent recording under fixtures/ through drover and scores it. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { replayRecording } from '../../src/engine/replay.ts';
import { getProvider } from '../../src/providers/index.ts';
import type { AgentProvider } from '../../src/providers/types.ts';
import { FIXTURES } from '../helpers/fixtures.ts';
import { readLabels, type Labels } from './labels.ts';
import { score, type Reported, type Score } from './score.ts';

export interface FixtureResult {
  file: string;
  labels: Labels;
  timeline: Reported[];
  score: Score;
}

export function labelledRecordings(): string[] {
  if (!existsSync(FIXTURES)) return [];
  return readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.labels.json'))
    .sort()
    .map((file) => path.join(FIXTURES, file));
}

export async function evaluateFixture(labelsFile: string): Promise<FixtureResult> {
  const labels = readLabels(labelsFile);
  const provider = getProvider(labels.provider) as AgentProvider;
  const cast = path.join(path.dirname(labelsFile), labels.recording);
  // When is each permission dialog fully drawn? The first frame after the tool call in which the
  // prompt parser finds the whole dialog (question and every option).
  const drawnAt: Array<number | undefined> = labels.permissionPrompts.map(() => undefined);
  const result = await replayRecording(cast, provider.detect, {
    until: labels.segments.at(-1)?.to,
    observe: (screen, atMs) => {
      const t = atMs / 1000;
      labels.permissionPrompts.forEach((prompt, i) => {
        if (drawnAt[i] !== undefined || t < prompt.requestedAt || t > prompt.answeredAt) return;
        const parsed = provider.read.permissionPrompt(screen.lines());
        if (parsed && parsed.options.length >= 2) drawnAt[i] = t;
      });
    },
  });
  result.screen.dispose();
  const timeline = result.changes.map((c) => ({ t: c.at / 1000, status: c.status }));
  return { file: labelsFile, labels, timeline, score: score(labels, timeline, drawnAt) };
}

/**
 * The versions the first corpus (fixtures/<provider>/*.cast) was recorded with, before labels
 * named their CLI's version.
 */
const FIRST_CORPUS_VERSIONS: Record<string, string> = {
  claude: '2.1.330',
  codex: '0.169.0',
  gemini: '0.61.0',
  opencode: '1.18.33',
  qwen: '0.15.10',
};

export function cliVersion(labels: Labels): string {
  return labels.cliVersion ?? FIRST_CORPUS_VERSIONS[labels.provider] ?? 'unknown';
}

/** The figures for one CLI at one version. */
export interface ProviderSummary {
  provider: string;
  version: string;
  /** The terminal sizes recorded, e.g. ["120x35", "80x24"]. */
  sizes: string[];
  recordings: number;
  scoredSeconds: number;
  accuracy: number;
  flaps: number;
  falseReady: number;
  permissionPrompts: number;
  worstPermissionLatency: number | undefined;
  missedPermissions: number;
  /** Median and worst seconds from a turn truly ending to drover saying done. */
  readyLatency: { median: number; worst: number } | undefined;
}

export function summarize(results: FixtureResult[]): ProviderSummary[] {
  const byVersion = new Map<string, FixtureResult[]>();
  for (const r of results) {
    const key = `${r.labels.provider}@${cliVersion(r.labels)}`;
    byVersion.set(key, [...(byVersion.get(key) ?? []), r]);
  }
  return [...byVersion.values()].map((rs) => {
    const scored = rs.reduce((s, r) => s + r.score.scoredSeconds, 0);
    const correct = rs.reduce((s, r) => s + r.score.correctSeconds, 0);
    const latencies = rs.flatMap((r) => r.score.permissionLatencies);
    const seen = latencies.filter((l): l is number => l !== undefined);
    const sizes = new Set(rs.map((r) => `${r.labels.cols}x${r.labels.rows}`));
    return {
      provider: rs[0]!.labels.provider,
      version: cliVersion(rs[0]!.labels),
      sizes: [...sizes].sort((a, b) => Number.parseInt(a) - Number.parseInt(b)),
      recordings: rs.length,
      scoredSeconds: scored,
      accuracy: scored ? correct / scored : 1,
      flaps: rs.reduce((s, r) => s + r.score.flaps.length, 0),
      falseReady: rs.reduce((s, r) => s + r.score.falseReady.length, 0),
      permissionPrompts: latencies.length,
      worstPermissionLatency: seen.length ? Math.max(...seen) : undefined,
      missedPermissions: latencies.length - seen.length,
      readyLatency: summarizeLatency(rs.flatMap((r) => r.score.readyLatencies)),
    };
  });
}

function summarizeLatency(values: number[]): { median: number; worst: number } | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, worst: sorted.at(-1)! };
}
