/**
 * The TUI's state outside React, so it outlives the Ink tree: leaving for an attached agent or an
 * editor unmounts Ink, and coming back finds the same pane and selection.
 */
import { useSyncExternalStore } from 'react';
import { ErrorCode, RpcError } from '../protocol/errors.ts';
import type { TuiState } from './state.ts';

export class TuiStore {
  private readonly listeners = new Set<() => void>();

  constructor(private state: TuiState) {}

  readonly getState = (): TuiState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  update(change: (state: TuiState) => TuiState): void {
    const next = change(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  /** A line for the status bar, until the next key; `error` marks a refusal. */
  tell(text: string, error = false): void {
    this.update((s) => ({ ...s, notice: { text, error } }));
  }

  /** A failed daemon call, on the status bar (the TUI carries on). */
  fail(what: string, error: unknown): void {
    this.tell(`${what}: ${describeError(error)}`, true);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof RpcError && error.code === ErrorCode.MethodNotFound) {
    return 'this daemon does not support it (an older one? run "drover daemon stop" and open drover again)';
  }
  return error instanceof Error ? error.message : String(error);
}

export function useTuiState(store: TuiStore): TuiState {
  return useSyncExternalStore(store.subscribe, store.getState);
}
