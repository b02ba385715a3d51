/**
 * An agent's answer in its latest turn. Full-screen CLIs keep no scrollback, so an answer taller
 * than the screen cannot be read from it; but most CLIs write their own transcript of the session,
 * which holds it exactly, at any length. So: the transcript first (where its hooks named it, or
 * where the provider knows the CLI keeps it), and the screen when there is no transcript, it
 * cannot be read, it holds no answer to the latest turn, or it has not caught up with the screen.
 */
import { open, stat } from 'node:fs/promises';
import type { AgentProvider } from '../providers/types.ts';
import type { AgentRecord, DeepReadonly } from '../store/state.ts';
import type { LiveAgent } from './live-agent.ts';

/** At most this much of a transcript is read: its end, where the latest turn is. */
export const TRANSCRIPT_TAIL_BYTES = 32 * 1024 * 1024;

export interface LastResponse {
  text?: string;
  /** Where it was read from. */
  source?: 'transcript' | 'screen';
}

/** The transcript's file, as the hooks named it or the provider finds it from the session id. */
export function transcriptFile(record: DeepReadonly<AgentRecord>, provider: AgentProvider): string | undefined {
  if (record.transcriptPath) return record.transcriptPath;
  if (!record.sessionId || !provider.integrate.transcript) return undefined;
  const env = { ...process.env, ...record.env, ...provider.integrate.launch.env };
  return provider.integrate.transcript({ sessionId: record.sessionId, env });
}

export async function lastResponse(record: DeepReadonly<AgentRecord>, provider: AgentProvider | undefined, live: LiveAgent | undefined): Promise<LastResponse> {
  const screen = live?.lastResponse();
  const file = provider?.read.transcriptResponse ? transcriptFile(record, provider) : undefined;
  const tail = file ? await readTail(file) : undefined;
  // Written before the latest turn began: it holds an earlier answer, not this turn's.
  const current = tail && !(live?.turnStartedAt !== undefined && tail.mtimeMs < live.turnStartedAt);
  const text = current ? provider!.read.transcriptResponse!(tail.text) : undefined;
  if (text !== undefined && (screen === undefined || sameEnding(screen, text))) return { text, source: 'transcript' };
  return screen !== undefined ? { text: screen, source: 'screen' } : {};
}

/**
 * The end of a file (all of it, up to `max` bytes), from its first whole line; undefined when it
 * cannot be read (missing, a folder, unreadable): never throws.
 */
export async function readTail(file: string, max = TRANSCRIPT_TAIL_BYTES): Promise<{ text: string; mtimeMs: number } | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return undefined;
    const handle = await open(file, 'r');
    try {
      const length = Math.min(info.size, max);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, info.size - length);
      let text = buffer.subarray(0, bytesRead).toString('utf8');
      if (length < info.size) text = text.slice(text.indexOf('\n') + 1); // a line cut by the start
      return { text, mtimeMs: info.mtimeMs };
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * Whether the screen's reading of the answer ends as the transcript's does (their last three
 * words): the screen shows the answer rendered (markdown, wrapped), so only words are compared. A
 * transcript that has not caught up yet (the CLI writes an answer once it is complete) ends
 * otherwise, and the screen, which is up to date, is taken.
 */
export function sameEnding(screen: string, transcript: string): boolean {
  const last = (text: string) => (text.match(/[\p{L}\p{N}]+/gu) ?? []).slice(-3).join(' ');
  return last(screen) === last(transcript);
}
