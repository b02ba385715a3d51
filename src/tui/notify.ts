/**
 * Gets the user's attention when an agent starts needing them (a permission prompt, a question, an
 * error) and it is not the one on screen: the terminal bell, an OSC 9 / OSC 777 desktop
 * notification, and the configured command. Only a status change does it, and an agent at most once
 * per cooldown, so a flapping agent cannot make a storm.
 */
import { spawn } from 'node:child_process';
import type { ClientSettings } from '../protocol/schema.ts';
import { NEEDS_USER_STATUSES, type Status } from '../status/status.ts';
import { statusLook } from './theme.ts';

const COOLDOWN_MS = 10_000;

export interface NotifierOptions {
  config: ClientSettings['notify'];
  /** Where the bell and escape sequences go: the terminal. */
  write(text: string): void;
  /** Runs the notify command; reports a failure. */
  run?(command: string[], onError: (error: Error) => void): void;
  onError?(error: Error): void;
  env?: NodeJS.ProcessEnv;
  now?(): number;
}

function runDetached(command: string[], onError: (error: Error) => void): void {
  const child = spawn(command[0]!, command.slice(1), { stdio: 'ignore', detached: true });
  child.on('error', onError);
  child.unref();
}

/**
 * A desktop notification through the terminal: OSC 777 where the terminal takes that one (VTE,
 * urxvt, foot), OSC 9 elsewhere; passed through tmux to the terminal outside it.
 */
export function oscNotification(title: string, body: string, env: NodeJS.ProcessEnv): string {
  const useOsc777 = Boolean(env.VTE_VERSION) || /^(rxvt|foot)/.test(env.TERM ?? '');
  const sequence = useOsc777 ? `\x1b]777;notify;${title};${body}\x07` : `\x1b]9;${title}: ${body}\x07`;
  return env.TMUX ? `\x1bPtmux;${sequence.replaceAll('\x1b', '\x1b\x1b')}\x1b\\` : sequence;
}

export class Notifier {
  private readonly lastNotified = new Map<string, number>();

  constructor(private readonly options: NotifierOptions) {}

  /** Each status change, with the status before it and whether the agent is on screen now. */
  statusChanged(agent: { id: string; name: string }, before: Status | undefined, after: Status, onScreen: boolean): void {
    if (!NEEDS_USER_STATUSES.has(after) || (before !== undefined && NEEDS_USER_STATUSES.has(before)) || onScreen) return;
    const now = (this.options.now ?? Date.now)();
    const last = this.lastNotified.get(agent.id);
    if (last !== undefined && now - last < COOLDOWN_MS) return;
    this.lastNotified.set(agent.id, now);

    // Agent names are the user's; control bytes in them would end the escape sequence early.
    const text = `${agent.name} ${statusLook(after).label}`.replace(/[\x00-\x1f\x7f]/g, '');
    const { config, env = process.env } = this.options;
    const out = (config.bell ? '\x07' : '') + (config.osc ? oscNotification('drover', text, env) : '');
    if (out) this.options.write(out);
    if (config.command) {
      const onError = this.options.onError ?? (() => {});
      (this.options.run ?? runDetached)([...config.command, text], onError);
    }
  }
}
