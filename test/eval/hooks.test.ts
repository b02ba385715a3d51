/**
 * Scoring with the agent's own hook reports: the reports the recorder captured beside a real
 * recording reach the status tracker at their recorded times, the way the daemon hands them over
 * (a stale one dropped), and the score measures a dialog from the moment the CLI had the tool call.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayRecording } from '../../src/engine/replay.ts';
import { getProvider } from '../../src/providers/index.ts';
import type { AgentProvider } from '../../src/providers/types.ts';
import { openAsciicast } from '../../src/terminal/asciicast.ts';
import { FIXTURES } from '../helpers/fixtures.ts';
import { evaluateFixture, hookReports } from './evaluate.ts';
import { readHookReports, readLabels, type Labels } from './labels.ts';
import { score } from './score.ts';

// Qwen Code draws its permission dialog seconds after its PermissionRequest hook has run.
const LABELS = path.join(FIXTURES, 'qwen/0.24.4/deny-100x30.labels.json');

describe('the eval with hook reports', () => {
  it('gives each captured report to the tracker when it arrived: Qwen\'s dialog is needs_permission before it is drawn', async () => {
    const labels = readLabels(LABELS);
    const permissionReport = readHookReports(path.join(path.dirname(LABELS), labels.hooks!)).find((r) => r.event === 'PermissionRequest');
    expect(permissionReport, 'the recording captured Qwen\'s PermissionRequest hook').toBeDefined();

    const result = await evaluateFixture(LABELS);
    const fromScreen = result.timeline.find((c) => c.status === 'needs_permission')!.t;
    const fromHook = result.withHooks!.timeline.find((c) => c.status === 'needs_permission')!.t;
    expect(fromHook).toBeCloseTo(permissionReport!.t, 3);
    expect(fromHook).toBeLessThan(fromScreen - 1);
    // The rest of the timeline is the screen's: the hook changed only when the dialog was known.
    expect(result.withHooks!.timeline.map((c) => c.status)).toEqual(result.timeline.map((c) => c.status));
    const [screenLatency] = result.score.permissionDecidedLatencies;
    const [hookLatency] = result.withHooks!.score.permissionDecidedLatencies;
    expect(hookLatency).toBeCloseTo(permissionReport!.t - labels.permissionPrompts[0]!.requestedAt, 3);
    expect(hookLatency!).toBeLessThan(screenLatency! - 1);
    expect(result.withHooks!.score.flaps).toEqual([]);
  });

  it('drops a report made before the screen moved on, as the daemon does', async () => {
    const labels = readLabels(LABELS);
    const provider = getProvider('qwen') as AgentProvider;
    const cast = path.join(path.dirname(LABELS), labels.recording);
    const screenOnly = await replayRecording(cast, provider.detect);
    screenOnly.screen.dispose();
    const working = screenOnly.changes.find((c) => c.status === 'working')!;
    // A dialog reported while the CLI was still starting, reaching the tracker once it works.
    const verdict = { status: 'needs_permission' as const, rule: 'hook.PermissionRequest' };
    const stale = await replayRecording(cast, provider.detect, { reports: [{ verdict, madeMs: 1000, receivedMs: working.at + 500 }] });
    stale.screen.dispose();
    expect(stale.changes.map((c) => [c.at, c.status])).toEqual(screenOnly.changes.map((c) => [c.at, c.status]));
    // The same report made when it arrived is taken at once.
    const fresh = await replayRecording(cast, provider.detect, { reports: [{ verdict, madeMs: working.at + 500, receivedMs: working.at + 500 }] });
    fresh.screen.dispose();
    expect(fresh.changes).toContainEqual(expect.objectContaining({ at: working.at + 500, status: 'needs_permission', rule: 'hook.PermissionRequest' }));
  });
});

describe("opencode's report of a failed turn's end, come after the next Enter", () => {
  // drover doctor opencode at 120x35 (opencode 1.18.33, load 9): the error scenario, then the
  // interrupt scenario's message typed as soon as drover said error. Its hook reports are the ones
  // the daemon received in that run, times taken from the recording's start (not labelled: no
  // .labels.json; the driver's keys in the recording say when the turn ran).
  const cast = path.join(FIXTURES, 'opencode/1.18.33/doctor-error-interrupt-120x35.cast');
  const hooks = cast.replace(/\.cast$/, '.hooks.jsonl');

  it('keeps the new turn working from its Enter to the Esc', async () => {
    const provider = getProvider('opencode') as AgentProvider;
    const keys: { time: number; data: string }[] = [];
    for await (const event of (await openAsciicast(cast)).events) if (event.type === 'i') keys.push({ time: event.time, data: event.data });
    const escIndex = keys.findIndex((k) => k.data === '\x1b');
    const esc = keys[escIndex]!.time;
    const enter = keys.slice(0, escIndex).filter((k) => k.data === '\r').at(-1)!.time;
    const lines = readHookReports(hooks);
    // The case: the failed turn's idle made after the Enter, before the new turn's busy.
    const idle = lines.filter((r) => r.event === 'session.status' && (r.payload.status as { type?: string }).type === 'idle' && r.madeAt > enter && r.t < esc);
    expect(idle).toHaveLength(1);
    const busy = lines.find((r) => r.event === 'session.status' && r.madeAt > enter && (r.payload.status as { type?: string }).type === 'busy')!;
    expect(busy.t).toBeGreaterThan(idle[0]!.t);

    const result = await replayRecording(cast, provider.detect, { reports: hookReports(provider, hooks), until: esc });
    result.screen.dispose();
    const turn = result.changes.filter((c) => c.at >= enter * 1000 - 0.001);
    expect(turn.map((c) => `${c.status} ${c.rule}`)).toEqual(['working input.submit']);
  });
});

describe('score: a dialog measured from the tool call', () => {
  const labels: Labels = {
    version: 1,
    provider: 'qwen',
    scenario: 'deny',
    recording: 'x.cast',
    cols: 80,
    rows: 24,
    method: 'test',
    segments: [
      { from: 0, to: 10, status: 'working', why: 'submitted' },
      { from: 10, to: 12, status: ['working', 'needs_permission'], why: 'the CLI has the tool call' },
      { from: 12, to: 14, status: 'needs_permission', why: 'dialog on screen' },
      { from: 14, to: 20, status: 'done', why: 'denied' },
    ],
    permissionPrompts: [{ requestedAt: 10, answeredAt: 14 }],
  };

  it('from the tool call and from the dialog drawn; a dialog never reported is missed', () => {
    const screen = score(labels, [{ t: 0, status: 'working' }, { t: 12.02, status: 'needs_permission' }, { t: 14.3, status: 'done' }], [12]);
    expect(screen.permissionDecidedLatencies[0]).toBeCloseTo(2.02, 6);
    expect(screen.permissionLatencies[0]).toBeCloseTo(0.02, 6);
    const hooked = score(labels, [{ t: 0, status: 'working' }, { t: 10.3, status: 'needs_permission' }, { t: 14.3, status: 'done' }], [12]);
    expect(hooked.permissionDecidedLatencies[0]).toBeCloseTo(0.3, 6);
    expect(hooked.correctSeconds).toBeCloseTo(hooked.scoredSeconds, 6);
    const missed = score(labels, [{ t: 0, status: 'working' }, { t: 14.3, status: 'done' }], [12]);
    expect(missed.permissionDecidedLatencies).toEqual([undefined]);
  });

  it('counts ready while the truth is work or a dialog not drawn yet as false ready', () => {
    const result = score(labels, [{ t: 0, status: 'working' }, { t: 10.8, status: 'done' }, { t: 12.02, status: 'needs_permission' }], [12]);
    expect(result.falseReady).toHaveLength(1);
    expect(result.falseReady[0]!.from).toBeCloseTo(10.8, 2);
  });
});
