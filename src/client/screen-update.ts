/** A subscriber's side of `event.screen`: the daemon sends a connection only the rows that changed. */
import type { EventParams, ScreenState } from '../protocol/schema.ts';

export type ScreenUpdate = Omit<EventParams<'event.screen'>, 'agent'>;

/** The screen after an update: a whole one, or the rows that changed (null: as in `base`). */
export function applyScreenUpdate(base: ScreenState | undefined, update: ScreenUpdate): ScreenState | undefined {
  const { partial, lines, styled, ...rest } = update;
  if (!partial) return { ...rest, lines: lines.map((line) => line ?? ''), ...(styled ? { styled: styled.map((row) => row ?? []) } : {}) };
  if (!base || base.lines.length !== lines.length) return undefined;
  return {
    ...rest,
    lines: lines.map((line, y) => line ?? base.lines[y]!),
    ...(styled ? { styled: styled.map((row, y) => row ?? base.styled?.[y] ?? []) } : {}),
  };
}
