/**
 * A detector turns one look at a screen into a verdict: a signal first (when one speaks), then
 * the highest-priority rule that matches, then its word for "nothing matched". Rules are data;
 * `classify` and `explain` read the same compiled set. The settle policy (how long a ready screen
 * must stay still) is the status tracker's, driven by the numbers here.
 */
import type { LookMemo } from './look-memo.ts';
import { compileRules, explain, firstMatch, type Explanation, type Rule } from './rules.ts';
import { ScreenRegions, type Region } from './regions.ts';
import type { Status } from './status.ts';

/** What a detector may look at: the composited screen, never raw bytes. */
export interface ScreenView {
  lines: string[];
  title: string;
  altScreen: boolean;
  /** The settle regions' text or the title differs from the previous look. */
  changed: boolean;
  /** Milliseconds since the settle regions' text or the title last changed. */
  quietMs: number;
  /** Live agents only: whether the launched program itself holds the terminal's foreground. */
  foregroundIsLeader?: boolean;
}

export interface Verdict {
  status: Status;
  rule: string;
  detail?: string;
  /** A turn coming, not yet drawn (the rule's `coming`). */
  coming?: true;
}

/** The verdict's rule when nothing on the screen is evidence either way. */
export const NO_RULE = 'no-rule';
const NO_EVIDENCE: Verdict = { status: 'unknown', rule: NO_RULE };

/** What a detector is made of: the data a provider writes. */
export interface DetectionSpec {
  rules: readonly Rule[];
  /** How long a ready screen must stay unchanged before idle/done is reported. */
  settleMs: number;
  /**
   * The parts of the screen whose change means "still moving" (default: the whole viewport).
   * Lets a provider ignore decoration that animates while the agent waits, such as a logo.
   */
  settleRegions?: readonly Region[];
  /**
   * How long after Enter the CLI may show nothing of the turn it has taken (Copilot CLI runs git
   * and writes its session before it draws the prompt): until then a ready screen is the one from
   * before the Enter, even once the input box has cleared. Without it, a ready screen that changed
   * and settled after the Enter is believed (and any is after a second).
   */
  submitLagMs?: number;
  /** Report a ready screen as `done` once the agent has worked (a turn ended), else `idle`. */
  doneAfterWork: boolean;
  /** The status before the screen has said anything (`starting` for an agent being launched). */
  initialStatus: Status;
  /** A signal that outranks the rules when it speaks (e.g. a shell's foreground process). */
  signal?(view: ScreenView): Verdict | undefined;
  /** What a screen no rule matches means (default: unknown, i.e. no evidence). */
  unmatched?(view: ScreenView): Verdict;
}

export interface Detector extends Readonly<DetectionSpec> {
  /** `memo`: the previous look at the same screen (one per screen), so unchanged regions are not read again. */
  classify(view: ScreenView, memo?: LookMemo): Verdict;
  /** Which rules match this screen, the winner first (what `explain` shows). */
  explain(lines: string[], title: string): Explanation;
}

/** A detector over `spec`; `source` names the rules in an error message. */
export function ruleDetector(spec: DetectionSpec, source = 'rules'): Detector {
  return bind(spec, compileRules(spec.rules, [], source));
}

/** The detector with override rules merged over its own (same id replaces, new ids are added). */
export function withRules(detector: Detector, overrides: unknown, source: string): Detector {
  return bind(detector, compileRules(detector.rules, overrides, source));
}

function bind(spec: DetectionSpec, compiled: ReturnType<typeof compileRules>): Detector {
  const { classify: _classify, explain: _explain, ...data } = spec as Partial<Detector> & DetectionSpec;
  return {
    ...data,
    rules: compiled.map((c) => c.rule),
    classify(view, memo) {
      const signalled = spec.signal?.(view);
      if (signalled) return signalled;
      const match = firstMatch(compiled, view.lines, view.title, memo);
      if (!match) return spec.unmatched?.(view) ?? NO_EVIDENCE;
      return { status: match.state, rule: match.id, ...(match.detail ? { detail: match.detail } : {}), ...(match.coming ? { coming: true } : {}) };
    },
    explain: (lines, title) => explain(compiled, lines, title),
  };
}

/**
 * The part of a screen whose change means "still moving" (the detector's settle regions, and the
 * title): what must be still for a ready verdict, and what a keypress must change to have landed.
 */
export function settleText(detector: Pick<DetectionSpec, 'settleRegions'>, lines: string[], title: string): string {
  const regions = detector.settleRegions;
  if (!regions) return `${title}\u0000${lines.join('\n')}`;
  const found = new ScreenRegions(lines, title);
  return `${title}\u0000${regions.map((region) => found.get(region).join('\n')).join('\u0000')}`;
}
