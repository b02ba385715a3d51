import type { Status } from '../engine/status.ts';

/** What a provider's status rules may look at: the composited screen, never raw bytes. */
export interface ScreenView {
  lines: string[];
  title: string;
  altScreen: boolean;
  /** The visible text or title differs from the previous look. */
  changed: boolean;
  /** Milliseconds since the visible text or title last changed. */
  quietMs: number;
}

export interface Verdict {
  status: Status;
  rule: string;
  detail?: string;
}

export interface StatusProvider {
  id: string;
  /** How long a ready screen must stay unchanged before idle/done is reported. */
  settleMs: number;
  classify(view: ScreenView): Verdict;
}
