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
