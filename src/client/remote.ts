/**
 * A daemon on another machine, reached through the user's own ssh as docker's `-H ssh://` does:
 * `ssh -o BatchMode=yes HOST drover dial-stdio`, and the protocol over the child's pipes. ssh brings
 * its config (aliases, keys, agent, ProxyJump, ControlMaster, known_hosts); drover keeps no secret
 * and listens on nothing. BatchMode: a host that wants a password or a host-key decision fails with
 * ssh's reason instead of prompting (mid-TUI a prompt would be lost).
 */
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import { UserError } from '../errors.ts';
import { ErrorCode, RpcError } from '../protocol/errors.ts';
import { PROTOCOL_VERSION } from '../protocol/version.ts';
import { connectOver, type Client, type ConnectOptions } from './client.ts';

export interface RemoteHost {
  /** What drover calls it (in messages, and the TUI's `host:agent`). */
  name: string;
  /** ssh's destination: an alias from ~/.ssh/config, `user@host`, or `ssh://user@host:port`. */
  ssh: string;
  /** The remote drover command (default `drover`, found on the remote login's PATH). */
  drover?: string;
}

/** ssh's exit code for its own failures (cannot connect, cannot log in); anything else is the remote command's. */
const SSH_FAILED = 255;
/** A shell's "command not found". */
const NOT_FOUND = 127;
/** Enough of ssh's stderr to hold its last lines. */
const STDERR_KEPT = 4096;

/**
 * The remote hello waits for the ssh login, the far user's shell start-up and a daemon starting
 * there; ssh ending for any reason ends the wait sooner, with ssh's reason.
 */
const HELLO_TIMEOUT_MS = 60_000;

/** The remote end could not be reached or refused: one line, naming the host and the fix. */
export class RemoteError extends UserError {}

/**
 * `DROVER_SSH_COMMAND` replaces `ssh` (words split on spaces, as GIT_SSH_COMMAND's simple case):
 * `ssh -F ~/.ssh/other_config`. `DROVER_REMOTE_COMMAND` replaces the remote drover command.
 */
function sshArgv(host: RemoteHost, env: Readonly<Record<string, string | undefined>>): { command: string; args: string[] } {
  const [command = 'ssh', ...options] = (env.DROVER_SSH_COMMAND ?? 'ssh').split(' ').filter(Boolean);
  const drover = env.DROVER_REMOTE_COMMAND || host.drover || 'drover';
  // -T: a pipe, not a terminal; `--` ends ssh's options before a destination of the user's.
  return { command, args: [...options, '-T', '-o', 'BatchMode=yes', '--', host.ssh, `${drover} dial-stdio`] };
}

/** ssh's words for why it stopped, as one line naming the fix. */
function explain(host: RemoteHost, code: number | null, stderr: string, spawnError: Error | undefined): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const last = lines.at(-1) ?? '';
  if ((spawnError as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    return `ssh not found: install OpenSSH's client (ssh) to reach ${host.name}`;
  }
  if (spawnError) return `cannot run ssh to reach ${host.name}: ${spawnError.message}`;
  if (code === NOT_FOUND) {
    return `drover not found on ${host.name} (install it there or set hosts[].drover)`;
  }
  if (code === SSH_FAILED) {
    if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) {
      return `${host.name}: ssh cannot verify its host key (${last}); ssh runs in BatchMode: connect once with \`ssh ${host.ssh}\` to accept it`;
    }
    if (/Permission denied/.test(stderr)) {
      return `${host.name}: ssh could not log in (${last}); ssh runs in BatchMode, so never asks for a password: use a key (ssh-copy-id, ssh-agent)`;
    }
    return `cannot reach ${host.name} over ssh: ${last || `ssh exited with code ${code}`}`;
  }
  // The remote drover's own refusal ("drover: …"), or its exit.
  const said = lines.filter((l) => l.startsWith('drover: ')).at(-1);
  return said ? `on ${host.name}: ${said.slice('drover: '.length)}` : `ssh ${host.ssh} drover dial-stdio ended (code ${code}) ${last}`.trim();
}

/** Connects to the daemon on `host` (started there when none answers, by its dial-stdio). */
export async function connectRemote(host: RemoteHost, options: ConnectOptions = {}, env = process.env): Promise<Client> {
  const { command, args } = sshArgv(host, env);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let spawnError: Error | undefined;
  let exit: number | null = null;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => void (stderr = (stderr + text).slice(-STDERR_KEPT)));
  child.on('error', (error) => void (spawnError = error));
  // A write after ssh exited: its 'close' ends the stream and says why.
  child.stdin.on('error', () => {});

  const stream = new Duplex({
    read: () => void child.stdout.resume(),
    write: (chunk: Buffer, _encoding, done) => void child.stdin.write(chunk, () => done()),
    final: (done) => void child.stdin.end(() => done()),
    destroy: (error, done) => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      done(error);
    },
  });
  child.stdout.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) child.stdout.pause();
  });
  child.on('close', (code) => {
    exit = code;
    stream.push(null);
    stream.destroy();
  });

  const channel = {
    stream,
    label: `drover on ${host.name}`,
    closeReason: () => (exit === null && !spawnError ? undefined : explain(host, exit, stderr, spawnError)),
  };
  try {
    return await connectOver(channel, { timeoutMs: HELLO_TIMEOUT_MS, ...options });
  } catch (error) {
    stream.destroy();
    if (error instanceof RpcError && error.code === ErrorCode.VersionMismatch) {
      const theirs = (error.data as { version?: unknown } | undefined)?.version;
      throw new RemoteError(
        `drover on ${host.name} speaks protocol ${typeof theirs === 'number' ? theirs : '(another)'} and this drover ${PROTOCOL_VERSION}: install the same drover version on both machines`,
      );
    }
    if (error instanceof RpcError) throw error;
    throw new RemoteError(error instanceof Error ? error.message : String(error));
  }
}
