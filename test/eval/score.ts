/**
 * Scores a status timeline against labels, the way the status issue defines it:
 * - accuracy: share of labelled time where the reported status is a true one, excluding a 500 ms
 *   grace after each true transition;
 * - flaps: a status left and re-entered within 1 s;
 * - false ready: `done`/`idle` reported while truly `working` (outside grace);
 * - permission latency: first `needs_permission` report minus the moment the dialog was fully drawn;
 *   and minus the moment the CLI had the tool call (it has decided to ask: what a hook can say
 *   before the dialog is drawn).
 */
import type { Status } from '../../src/status/status.ts';
import type { Labels } from './labels.ts';

export const GRACE_S = 0.5;
export const FLAP_WINDOW_S = 1;

export interface Reported {
  t: number;
  status: Status;
}

export interface Score {
  scoredSeconds: number;
  correctSeconds: number;
  flaps: Array<{ status: Status; leftAt: number; backAt: number }>;
  falseReady: Array<{ from: number; to: number; reported: Status }>;
  /** Per permission prompt: seconds from fully drawn to reported (undefined = never reported). */
  permissionLatencies: Array<number | undefined>;
  /** Per permission prompt: seconds from the tool call reaching the CLI to reported (undefined = never reported). */
  permissionDecidedLatencies: Array<number | undefined>;
  /** Per true transition into done/idle: seconds until drover reported it (the settle policy's cost). */
  readyLatencies: number[];
  wrong: Array<{ from: number; to: number; reported: Status; truth: Status[] }>;
}

function truthAt(labels: Labels, t: number): Status[] {
  for (const segment of labels.segments) {
    if (t >= segment.from && t < segment.to) return Array.isArray(segment.status) ? segment.status : [segment.status];
  }
  return [];
}

/** Times where the set of true statuses changes. */
function transitions(labels: Labels): number[] {
  const out: number[] = [];
  for (let i = 1; i < labels.segments.length; i++) {
    const a = labels.segments[i - 1]!.status;
    const b = labels.segments[i]!.status;
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(labels.segments[i]!.from);
  }
  return out;
}

function reportedAt(timeline: Reported[], t: number): Status {
  let current = timeline[0]?.status ?? 'unknown';
  for (const change of timeline) {
    if (change.t > t) break;
    current = change.status;
  }
  return current;
}

export function score(labels: Labels, timeline: Reported[], permissionDrawnAt: Array<number | undefined>): Score {
  const end = labels.segments.at(-1)?.to ?? 0;
  const graceStarts = transitions(labels);
  const inGrace = (t: number) => graceStarts.some((b) => t >= b && t < b + GRACE_S);
  // Evaluate on a fine grid: every boundary of either timeline splits it, so 1 ms steps are exact enough.
  const step = 0.001;
  let scored = 0;
  let correct = 0;
  const wrong: Score['wrong'] = [];
  const falseReady: Score['falseReady'] = [];
  for (let t = 0; t < end; t += step) {
    const truth = truthAt(labels, t);
    if (truth.length === 0 || inGrace(t)) continue;
    scored += step;
    const reported = reportedAt(timeline, t);
    if (truth.includes(reported)) {
      correct += step;
      continue;
    }
    extend(wrong, t, step, { reported, truth }, (w) => w.reported === reported && w.truth.join() === truth.join());
    // Ready while the truth is work (or work and something else that is not ready either).
    if (truth.includes('working') && !truth.includes('done') && !truth.includes('idle') && (reported === 'done' || reported === 'idle')) {
      extend(falseReady, t, step, { reported }, (w) => w.reported === reported);
    }
  }

  const flaps: Score['flaps'] = [];
  for (let i = 1; i < timeline.length; i++) {
    const left = timeline[i - 1]!.status;
    const leftAt = timeline[i]!.t;
    const back = timeline.slice(i + 1).find((c) => c.status === left);
    if (back && back.t - leftAt < FLAP_WINDOW_S) flaps.push({ status: left, leftAt, backAt: back.t });
  }

  const permissionReports = labels.permissionPrompts.map((prompt) => {
    const report = timeline.find((c) => c.status === 'needs_permission' && c.t >= prompt.requestedAt - GRACE_S);
    return report && report.t <= prompt.answeredAt ? report.t : undefined;
  });
  const permissionLatencies = permissionReports.map((reportedAt, i) => {
    const drawnAt = permissionDrawnAt[i];
    // Still needs_permission from before the dialog was drawn counts as on time.
    return drawnAt === undefined || reportedAt === undefined ? undefined : reportedAt - drawnAt;
  });
  const permissionDecidedLatencies = permissionReports.map((reportedAt, i) =>
    reportedAt === undefined ? undefined : Math.max(0, reportedAt - labels.permissionPrompts[i]!.requestedAt),
  );

  const readyLatencies: number[] = [];
  labels.segments.forEach((segment, i) => {
    const status = segment.status;
    if (i === 0 || Array.isArray(status) || (status !== 'done' && status !== 'idle')) return;
    const previous = labels.segments[i - 1]!.status;
    if (Array.isArray(previous) && previous.includes(status)) return; // the moment itself is uncertain
    const report = timeline.find((c) => c.status === status && c.t >= segment.from - GRACE_S);
    if (report && report.t <= segment.to) readyLatencies.push(Math.max(0, report.t - segment.from));
  });

  return { scoredSeconds: scored, correctSeconds: correct, flaps, falseReady, permissionLatencies, permissionDecidedLatencies, readyLatencies, wrong };
}

function extend<T extends { from: number; to: number }>(
  list: T[],
  t: number,
  step: number,
  fields: Omit<T, 'from' | 'to'>,
  same: (last: T) => boolean,
): void {
  const last = list.at(-1);
  if (last && Math.abs(last.to - t) < step / 2 && same(last)) last.to = t + step;
  else list.push({ from: t, to: t + step, ...fields } as T);
}
