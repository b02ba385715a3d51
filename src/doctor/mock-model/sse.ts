// How stream frames are laid out on the wire.
import type { Payload } from './types.ts';

export interface Framing {
  contentType: string;
  frame(p: Payload): string;
  /** Written after the last frame. */
  end: string;
}

const SSE = 'text/event-stream; charset=utf-8';

/** `event: name` + `data: json` (Anthropic, OpenAI Responses). */
export function namedSse(): Framing {
  return { contentType: SSE, frame: (p) => `event: ${p.event}\ndata: ${JSON.stringify(p.data)}\n\n`, end: '' };
}

/** `data: json` only (Chat Completions ends with `[DONE]`, Gemini does not). */
export function dataSse(done: boolean): Framing {
  return {
    contentType: SSE,
    frame: (p) => `data: ${JSON.stringify(p.data)}\n\n`,
    end: done ? 'data: [DONE]\n\n' : '',
  };
}

/** Gemini's streamGenerateContent without alt=sse: one JSON array, written element by element. */
export function jsonArray(): Framing {
  let first = true;
  return {
    contentType: 'application/json; charset=utf-8',
    frame(p) {
      const sep = first ? '[' : ',\r\n';
      first = false;
      return sep + JSON.stringify(p.data);
    },
    get end() {
      return first ? '[]' : ']';
    },
  };
}
