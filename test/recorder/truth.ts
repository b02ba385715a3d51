/** Builds the labelled timeline as the recorder learns what happened, on the wall clock. */
import type { Status } from '../../src/status/status.ts';
import type { Segment } from '../eval/labels.ts';

interface Mark {
  wallMs: number;
  status: Status | Status[];
  why: string;
}

export class TruthBuilder {
  private readonly marks: Mark[] = [];

  /** From `wallMs` on, the truth is `status` (a list: one of them, not known which). */
  mark(wallMs: number, status: Status | Status[], why: string): void {
    const last = this.marks.at(-1);
    if (last && wallMs < last.wallMs) throw new Error(`truth marks out of order: ${why} at ${wallMs} < ${last.why} at ${last.wallMs}`);
    this.marks.push({ wallMs, status, why });
  }

  /** The wall time of the latest mark (0 before any). */
  get lastMarkAt(): number {
    return this.marks.at(-1)?.wallMs ?? 0;
  }

  /** Segments in recording seconds, given the wall time of the recording's t=0 and when it ended. */
  segments(recordingStartWallMs: number, endS: number): Segment[] {
    const out: Segment[] = [];
    this.marks.forEach((mark, i) => {
      const from = Math.max(0, (mark.wallMs - recordingStartWallMs) / 1000);
      const next = this.marks[i + 1];
      const to = next ? (next.wallMs - recordingStartWallMs) / 1000 : endS;
      if (to <= from) return;
      out.push({ from: round(from), to: round(to), status: mark.status, why: mark.why });
    });
    return out;
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
