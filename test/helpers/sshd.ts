/**
 * A real OpenSSH server for the remote tests: Debian's sshd on 127.0.0.1 at a free port, with a
 * throwaway host key and user key, its config, keys and authorized_keys all in a temp folder. No
 * system config is read or written (sshd gets `-f`, ssh gets `-F`). The "remote" drover is a second
 * daemon with XDG dirs of its own, run by an env-prefixed remote command.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

export const SSHD = '/usr/sbin/sshd';

/** Why the ssh tests cannot run here, or undefined when they can. */
export function sshdMissing(): string | undefined {
  if (!existsSync(SSHD)) return `no ${SSHD}: install Debian's openssh-server (.ci/run does)`;
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class TestSshd {
  private child?: ChildProcess;

  private constructor(
    readonly dir: string,
    readonly port: number,
    /** ssh's `-F` file: hosts `remote` (logs in), `stranger` (unknown host key), `nokey` (key not authorized). */
    readonly sshConfig: string,
  ) {}

  static async start(root: string): Promise<TestSshd> {
    const dir = path.join(root, 'sshd');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const key = async (name: string) => {
      await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path.join(dir, name)]);
      return readFileSync(path.join(dir, `${name}.pub`), 'utf8').trim();
    };
    const [hostKey, userKey] = await Promise.all([key('host_key'), key('user_key'), key('stranger_key')]);
    writeFileSync(path.join(dir, 'authorized_keys'), `${userKey}\n`, { mode: 0o600 });
    const port = await freePort();
    const [type, base64] = hostKey.split(' ');
    writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${type} ${base64}\n`);
    writeFileSync(path.join(dir, 'empty_known_hosts'), '');
    writeFileSync(
      path.join(dir, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${path.join(dir, 'host_key')}`,
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
        // The temp folder's owner and modes are the test's, not a home directory's.
        'StrictModes no',
        // The tests run as root here.
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        // bash, run by sshd, reads ~/.bashrc only as a top-level shell (SHLVL < 2): this keeps the
        // test's logins off this machine's root rc files (a pyenv rehash there takes a lock that a
        // cut session leaves behind). What the far user's rc costs is theirs, not the test's.
        'SetEnv SHLVL=1',
        '',
      ].join('\n'),
    );
    const user = os.userInfo().username;
    const host = (alias: string, identity: string, knownHosts: string) =>
      [
        `Host ${alias}`,
        '  HostName 127.0.0.1',
        `  Port ${port}`,
        `  User ${user}`,
        `  IdentityFile ${path.join(dir, identity)}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${path.join(dir, knownHosts)}`,
        '  GlobalKnownHostsFile /dev/null',
        '  StrictHostKeyChecking yes',
        '',
      ].join('\n');
    const sshConfig = path.join(dir, 'ssh_config');
    writeFileSync(
      sshConfig,
      host('remote', 'user_key', 'known_hosts') + host('stranger', 'user_key', 'empty_known_hosts') + host('nokey', 'stranger_key', 'known_hosts'),
    );
    const sshd = new TestSshd(dir, port, sshConfig);
    await sshd.listen();
    return sshd;
  }

  /** Starts sshd in the foreground and resolves once it says it listens. */
  async listen(): Promise<void> {
    // sshd running as root wants its privilege-separation folder, which Debian's service creates at boot.
    if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const child = spawn(SSHD, ['-D', '-e', '-f', path.join(this.dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let said = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr!.setEncoding('utf8');
      const onData = (text: string) => {
        said += text;
        if (said.includes(`Server listening on 127.0.0.1 port ${this.port}`)) {
          child.stderr!.off('data', onData);
          child.stderr!.resume();
          resolve();
        }
      };
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`sshd exited (${code}): ${said}`)));
    });
  }

  /**
   * Stops sshd and every session it serves (each runs in a child sshd of its own, in its
   * process group): what a reboot or a dropped network does to a connected client.
   */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const sessions = await execa('pgrep', ['-P', String(child.pid)], { reject: false });
    child.kill();
    for (const pid of sessions.stdout.split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await exited;
  }
}

/** The environment that makes `drover --host remote` reach the test's sshd and the remote daemon under `remoteRoot`. */
export function remoteEnv(sshd: TestSshd, remoteRoot: string, droverBin: string): Record<string, string> {
  const xdg = ['XDG_STATE_HOME=state', 'XDG_RUNTIME_DIR=run', 'XDG_CONFIG_HOME=config'].map((pair) => {
    const [name, sub] = pair.split('=');
    return `${name}=${path.join(remoteRoot, sub!)}`;
  });
  return {
    DROVER_SSH_COMMAND: `ssh -F ${sshd.sshConfig}`,
    DROVER_REMOTE_COMMAND: `env ${xdg.join(' ')} ${process.execPath} ${droverBin}`,
  };
}
