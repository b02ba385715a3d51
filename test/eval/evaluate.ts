/** Replays every labelled agent recording under fixtures/ through drover and scores it. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { replayRecording, type ReplayedReport } from '../../src/engine/replay.ts';
import { hookRule } from '../../src/engine/status-tracker.ts';
import { getProvider } from '../../src/providers/index.ts';
import type { AgentProvider } from '../../src/providers/types.ts';
import { FIXTURES } from '../helpers/fixtures.ts';
import { readHookReports, readLabels, type Labels } from './labels.ts';
import { score, type Reported, type Score } from './score.ts';

export interface Scored {
  timeline: Reported[];
  score: Score;
}

export interface FixtureResult extends Scored {
  file: string;
  labels: Labels;
  /**
   * The same recording with the agent's hook reports (captured beside it) given to the status
   * tracker at their recorded times, as the daemon gives them; absent for a recording made
   * without drover's hooks.
   */
  withHooks?: Scored & { reports: number };
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
  const until = labels.segments.at(-1)?.to;
  // When is each permission dialog fully drawn? The first frame after the tool call in which the
  // prompt parser finds the whole dialog (question and every option).
  const drawnAt: Array<number | undefined> = labels.permissionPrompts.map(() => undefined);
  const result = await replayRecording(cast, provider.detect, {
    until,
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
  const timeline = timelineOf(result.changes);
  const scored: FixtureResult = { file: labelsFile, labels, timeline, score: score(labels, timeline, drawnAt) };
  if (!labels.hooks) return scored;

  const reports = hookReports(provider, path.join(path.dirname(labelsFile), labels.hooks));
  const hooked = await replayRecording(cast, provider.detect, { until, reports });
  hooked.screen.dispose();
  const hookedTimeline = timelineOf(hooked.changes);
  return { ...scored, withHooks: { timeline: hookedTimeline, score: score(labels, hookedTimeline, drawnAt), reports: reports.length } };
}

/** The captured reports that say a status, as the provider's integrate part reads each (the daemon's reading). */
export function hookReports(provider: AgentProvider, file: string): ReplayedReport[] {
  return readHookReports(file).flatMap((report) => {
    const status = provider.integrate.hookReport?.(report.event, report.payload).status;
    return status ? [{ verdict: { status, rule: hookRule(report.event) }, madeMs: report.madeAt * 1000, receivedMs: report.t * 1000 }] : [];
  });
}

function timelineOf(changes: Array<{ at: number; status: Reported['status'] }>): Reported[] {
  return changes.map((c) => ({ t: c.at / 1000, status: c.status }));
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
  /** The recordings with hook reports, scored with them, beside the screen alone on the same ones. */
  withHooks: HooksSummary | undefined;
}

export interface HooksSummary {
  recordings: number;
  accuracy: number;
  screenAccuracy: number;
  flaps: number;
  falseReady: number;
  permissionPrompts: number;
  /** Worst seconds from the CLI having the tool call (it has decided to ask) to needs_permission. */
  worstDecidedLatency: number | undefined;
  worstDecidedLatencyScreen: number | undefined;
  missedPermissions: number;
}

export function summarize(results: FixtureResult[]): ProviderSummary[] {
  const byVersion = new Map<string, FixtureResult[]>();
  for (const r of results) {
    const key = `${r.labels.provider}@${cliVersion(r.labels)}`;
    byVersion.set(key, [...(byVersion.get(key) ?? []), r]);
  }
  return [...byVersion.values()].map((rs) => {
    const scores = rs.map((r) => r.score);
    const latencies = scores.flatMap((s) => s.permissionLatencies);
    const seen = defined(latencies);
    const sizes = new Set(rs.map((r) => `${r.labels.cols}x${r.labels.rows}`));
    return {
      provider: rs[0]!.labels.provider,
      version: cliVersion(rs[0]!.labels),
      sizes: [...sizes].sort((a, b) => Number.parseInt(a) - Number.parseInt(b)),
      recordings: rs.length,
      scoredSeconds: sum(scores, (s) => s.scoredSeconds),
      accuracy: accuracy(scores),
      flaps: sum(scores, (s) => s.flaps.length),
      falseReady: sum(scores, (s) => s.falseReady.length),
      permissionPrompts: latencies.length,
      worstPermissionLatency: seen.length ? Math.max(...seen) : undefined,
      missedPermissions: latencies.length - seen.length,
      readyLatency: summarizeLatency(scores.flatMap((s) => s.readyLatencies)),
      withHooks: summarizeHooks(rs),
    };
  });
}

function summarizeHooks(results: FixtureResult[]): HooksSummary | undefined {
  const hooked = results.filter((r) => r.withHooks);
  if (hooked.length === 0) return undefined;
  const scores = hooked.map((r) => r.withHooks!.score);
  const decided = scores.flatMap((s) => s.permissionDecidedLatencies);
  const decidedScreen = defined(hooked.flatMap((r) => r.score.permissionDecidedLatencies));
  return {
    recordings: hooked.length,
    accuracy: accuracy(scores),
    screenAccuracy: accuracy(hooked.map((r) => r.score)),
    flaps: sum(scores, (s) => s.flaps.length),
    falseReady: sum(scores, (s) => s.falseReady.length),
    permissionPrompts: decided.length,
    worstDecidedLatency: defined(decided).length ? Math.max(...defined(decided)) : undefined,
    worstDecidedLatencyScreen: decidedScreen.length ? Math.max(...decidedScreen) : undefined,
    missedPermissions: decided.length - defined(decided).length,
  };
}

function accuracy(scores: Score[]): number {
  const scored = sum(scores, (s) => s.scoredSeconds);
  return scored ? sum(scores, (s) => s.correctSeconds) / scored : 1;
}

function sum<T>(items: T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

function defined(values: Array<number | undefined>): number[] {
  return values.filter((v): v is number => v !== undefined);
}

function summarizeLatency(values: number[]): { median: number; worst: number } | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, worst: sorted.at(-1)! };
}
