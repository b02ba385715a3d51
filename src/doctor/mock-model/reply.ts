// Writes a reply on the socket with the scripted timing, emitting a mock event as each part goes out.
import type { ServerResponse } from 'node:http';
import type { Framing } from './sse.ts';
import type { Adapter, Block, MockEventKind, Payload, Reply, ReplyMeta, StreamEncoder } from './types.ts';

/** One HTTP exchange as the reply writers see it. */
export interface Exchange {
  res: ServerResponse;
  emit(kind: MockEventKind, detail?: string): void;
  /** Resolves after `ms`, or at once when the client has gone away. */
  sleep(ms: number): Promise<void>;
  /** Like sleep, but `release()` also ends it. */
  stall(ms: number): Promise<void>;
  readonly closed: boolean;
}

/** Streams the reply when `framing` is given, else sends it as one JSON body. */
export async function sendReply(
  x: Exchange,
  adapter: Adapter,
  meta: ReplyMeta,
  reply: Reply,
  framing: Framing | undefined,
): Promise<void> {
  if (reply.error) return sendError(x, adapter, reply);
  x.res.writeHead(200, {
    'content-type': framing?.contentType ?? 'application/json; charset=utf-8',
    'cache-control': 'no-cache',
  });
  x.res.flushHeaders();
  if (reply.stallMs > 0) {
    x.emit('stall-start', `${reply.stallMs}ms`);
    await x.stall(reply.stallMs);
    if (x.closed) return;
  }
  x.res.on('finish', () => x.emit('turn-end'));
  if (framing) await stream(x, adapter.encoder(meta, reply), reply, framing);
  else await whole(x, adapter.message(meta, reply), reply);
}

async function stream(x: Exchange, enc: StreamEncoder, reply: Reply, framing: Framing) {
  const write = (payloads: Payload[]) => {
    if (payloads.length > 0) x.res.write(payloads.map((p) => framing.frame(p)).join(''));
  };
  write(enc.start());
  x.emit('stream-start');
  let sentToken = false;
  const token = () => {
    if (!sentToken) x.emit('first-token');
    sentToken = true;
  };
  for (const block of ['thinking', 'text'] as Block[]) {
    const content = reply[block];
    if (content === undefined) continue;
    write(enc.open(block));
    for (const word of words(content)) {
      if (sentToken && reply.msPerWord > 0) {
        await x.sleep(reply.msPerWord);
        if (x.closed) return;
      }
      write(enc.delta(block, word));
      token();
    }
    write(enc.close(block));
  }
  if (reply.tool) {
    write(enc.tool(reply.tool));
    token();
    x.emit('tool-call-sent', reply.tool.name);
  }
  write(enc.finish());
  x.res.end(framing.end);
}

/** Non-streaming: wait as long as the stream would have taken, then send everything at once. */
async function whole(x: Exchange, body: unknown, reply: Reply) {
  const n = words(reply.thinking ?? '').length + words(reply.text ?? '').length;
  if (n > 1 && reply.msPerWord > 0) {
    await x.sleep((n - 1) * reply.msPerWord);
    if (x.closed) return;
  }
  x.res.write(JSON.stringify(body));
  x.emit('stream-start');
  if (n > 0 || reply.tool) x.emit('first-token');
  if (reply.tool) x.emit('tool-call-sent', reply.tool.name);
  x.res.end();
}

async function sendError(x: Exchange, adapter: Adapter, reply: Reply) {
  const error = reply.error!;
  // Status and body go together, so a stalled error sends nothing at all until the stall ends.
  if (reply.stallMs > 0) {
    x.emit('stall-start', `${reply.stallMs}ms`);
    await x.stall(reply.stallMs);
    if (x.closed) return;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  x.res.on('finish', () => x.emit('error-sent', String(error.status)));
  x.res.writeHead(error.status, headers);
  x.res.end(JSON.stringify(adapter.errorBody(error.status, error.message)));
}

/** Words with their trailing whitespace, so the pieces join back to the text. */
export function words(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}
