/**
 * Ground truth for a recorded agent session, written by the fixture recorder from what it knows
 * (the keys it sent, the mock model's events, what it waited to see before answering), never
 * from a detector. Times are seconds into the recording.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { STATUSES } from '../../src/status/status.ts';

const status = z.enum(STATUSES);

export const labelsSchema = z.strictObject({
  version: z.literal(1),
  provider: z.string(),
  /** The CLI's version (`--version`); absent in recordings made before the version matrix. */
  cliVersion: z.string().optional(),
  scenario: z.string(),
  recording: z.string(),
  cols: z.number().int(),
  rows: z.number().int(),
  /**
   * The agent's own hook reports, captured beside the recording (`<name>.hooks.jsonl`): present
   * when the CLI was recorded with drover's hooks injected, even if none fired.
   */
  hooks: z.string().optional(),
  /** How the labels were derived, in words. */
  method: z.string(),
  segments: z.array(
    z.strictObject({
      from: z.number(),
      to: z.number(),
      /** The true status; a list where the truth is known only to be one of them (e.g. between two looks). */
      status: z.union([status, z.array(status).min(2)]),
      why: z.string(),
    }),
  ),
  /** Each permission dialog: when the tool call reached the CLI and when the driver answered it. */
  permissionPrompts: z.array(z.strictObject({ requestedAt: z.number(), answeredAt: z.number() })),
});
export type Labels = z.infer<typeof labelsSchema>;
export type Segment = Labels['segments'][number];

export function readLabels(file: string): Labels {
  const result = labelsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!result.success) throw new Error(`${file}: ${result.error.issues[0]?.path.join('.')}: ${result.error.issues[0]?.message}`);
  return result.data;
}

/** One hook report captured beside a recording (see test/recorder/hooks.ts): seconds into the recording. */
export const hookReportSchema = z.strictObject({
  /** When it reached the socket: when the daemon would have acted on it. */
  t: z.number(),
  /** When the hook process started: what a report's staleness is judged by. */
  madeAt: z.number(),
  event: z.string(),
  payload: z.record(z.string(), z.unknown()),
});
export type HookReportLine = z.infer<typeof hookReportSchema>;

export function readHookReports(file: string): HookReportLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const result = hookReportSchema.safeParse(JSON.parse(line));
      if (!result.success) throw new Error(`${file}:${i + 1}: ${result.error.issues[0]?.path.join('.')}: ${result.error.issues[0]?.message}`);
      return result.data;
    });
}
