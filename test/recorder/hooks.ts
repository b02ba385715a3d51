/**
 * The agent's own hook reports during a recording. The CLI is launched with drover's hooks injected
 * the way the daemon injects them (its provider's `integrate.hooks`, running the real `drover hook
 * PROVIDER EVENT` with the agent's identity in its environment); in the daemon's place, a listener
 * on the agent's socket takes the hook's hello and report, as the daemon's socket would, and notes
 * when each report arrived. Nothing of this goes into the screen recording.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import net from 'node:net';
import { frame, MAX_FRAME_BYTES, onLines } from '../../src/protocol/framing.ts';
import { agentEnv, droverCommandLine } from '../../src/protocol/launch.ts';
import type { AgentProvider, LaunchExtras } from '../../src/providers/types.ts';

/** One report as the daemon would have taken it: wall times in epoch ms. */
export interface CapturedReport {
  event: string;
  /** When the hook process started (the hook's own `at`: what the daemon judges staleness by). */
  madeAt: number;
  /** When the report reached the socket (when the daemon would have acted on it). */
  receivedAt: number;
  payload: Record<string, unknown>;
}

export interface HookCapture {
  /** What the launch adds (the provider's hook injection and the agent's identity), or undefined for a CLI without hooks. */
  launch: LaunchExtras | undefined;
  readonly reports: CapturedReport[];
  close(): Promise<void>;
}

const AGENT_ID = 'recorded-agent';

export async function captureHooks(provider: AgentProvider, dir: string): Promise<HookCapture> {
  const reports: CapturedReport[] = [];
  const injected = provider.integrate.hooks?.({ dir, command: (event) => droverCommandLine(['hook', provider.id, event]) });
  if (!injected) return { launch: undefined, reports, close: async () => {} };
  const token = randomBytes(16).toString('hex');
  const socketPath = `${dir}/hooks.sock`;
  const server = net.createServer((socket) => {
    let authenticated = false;
    socket.on('error', () => socket.destroy());
    onLines(socket, MAX_FRAME_BYTES, (line) => {
      const receivedAt = Date.now();
      const message = JSON.parse(line) as { id?: number; method?: string; params?: Record<string, unknown> };
      if (message.method === 'hello') {
        const claimed = message.params?.agent as { id?: string; token?: string } | undefined;
        authenticated = claimed?.id === AGENT_ID && claimed.token === token;
        socket.write(frame({ jsonrpc: '2.0', id: message.id, result: { authenticated } }));
        return;
      }
      if (message.method === 'agents.report' && authenticated) {
        const { event, at, payload } = message.params as { event: string; at: number; payload: Record<string, unknown> };
        reports.push({ event, madeAt: at, receivedAt, payload });
      }
      socket.write(frame({ jsonrpc: '2.0', id: message.id, result: null }));
    }, () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  return {
    launch: { args: injected.args, env: { ...injected.env, ...agentEnv({ agent: AGENT_ID, token, socket: socketPath }) } },
    reports,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(socketPath, { force: true });
      }),
  };
}
