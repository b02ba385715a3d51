/**
 * `drover hook PROVIDER EVENT`: what an agent's own hooks run (drover injects them per launch).
 * Reads the hook's JSON payload from stdin and reports it to the daemon with the agent's token
 * (from the agent's environment). An agent may wait for its hook (Claude Code runs PreToolUse
 * before every tool call), so this entry is kept featherweight: Node's own modules and two tiny
 * drover ones, no schemas, no client library — hello and the report as two lines on the socket.
 * It never fails the agent: always exit 0; what it cannot read or deliver in time is dropped.
 */
import net from 'node:net';
import { frame, MAX_FRAME_BYTES } from '../protocol/framing.ts';
import { agentFromEnv, callerClaim, type AgentIdentity } from '../protocol/launch.ts';
import { PROTOCOL_VERSION } from '../protocol/version.ts';

/** How long the payload may take to arrive, and the daemon to take the report once it is sent. */
const STDIN_MS = 1000;
const DELIVERY_MS = 1000;
/** Bytes of payload read at most: past the frame the daemon takes, it could not be sent anyway. */
const MAX_PAYLOAD = MAX_FRAME_BYTES;

export async function hookCommand(argv: string[]): Promise<number> {
  const at = Date.now();
  const [, event] = argv;
  const self = agentFromEnv();
  if (!event || !self) return 0;
  const payload = parsePayload(await readStdin());
  if (!payload) return 0;
  // The deadline counts from here: however slow the start was, the report still gets its time.
  await deliver(self, { event, at, payload });
  return 0;
}

/** Sends hello (as the agent) and the report; resolves when the daemon has answered the report, or at the deadline. */
function deliver(self: AgentIdentity, report: Record<string, unknown>): Promise<void> {
  const reportFrame = frame({ jsonrpc: '2.0', id: 2, method: 'agents.report', params: report });
  // A frame the daemon would refuse (and answer by closing) is dropped here instead.
  if (Buffer.byteLength(reportFrame) > MAX_FRAME_BYTES) return Promise.resolve();
  return new Promise((resolve) => {
    const socket = net.createConnection(self.socket);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, DELIVERY_MS);
    let replies = '';
    socket.on('connect', () => {
      const hello = { version: PROTOCOL_VERSION, ...callerClaim(self.socket) };
      socket.write(frame({ jsonrpc: '2.0', id: 1, method: 'hello', params: hello }) + reportFrame);
    });
    socket.on('data', (chunk) => {
      replies += chunk.toString();
      if (/"id":2[,}]/.test(replies)) done(); // the daemon has taken (or refused) the report
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}

function parsePayload(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The payload, or '' when there is none, it is too large, or it does not end in time. */
function readStdin(): Promise<string> {
  const { stdin } = process;
  if (stdin.isTTY) return Promise.resolve('');
  return new Promise((resolve) => {
    let text = '';
    const finish = (value: string) => {
      clearTimeout(timer);
      stdin.removeAllListeners('data');
      stdin.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => finish(''), STDIN_MS);
    let bytes = 0;
    stdin.setEncoding('utf8');
    stdin.on('data', (chunk: string) => {
      text += chunk;
      bytes += Buffer.byteLength(chunk);
      if (bytes > MAX_PAYLOAD) finish('');
    });
    stdin.on('end', () => finish(text));
    stdin.on('error', () => finish(''));
  });
}
