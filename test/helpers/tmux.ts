/** Drives tmux the way a person at a terminal would: a detached pane, send-keys, capture-pane. */
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';

export async function tmuxAvailable(): Promise<boolean> {
  try {
    await execa('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
}

export class TmuxPane {
  readonly session = `drover-test-${randomUUID().slice(0, 8)}`;

  static async start(command: string, cols: number, rows: number, env: Record<string, string> = {}): Promise<TmuxPane> {
    const pane = new TmuxPane();
    await execa('tmux', ['new-session', '-d', '-s', pane.session, '-x', String(cols), '-y', String(rows), command], {
      env: { ...process.env, ...env },
    });
    return pane;
  }

  /** The visible screen, one line per row, trailing spaces trimmed (tmux's own rendering). */
  async capture(): Promise<string[]> {
    const { stdout } = await execa('tmux', ['capture-pane', '-p', '-t', this.session], { stripFinalNewline: false });
    const lines = stdout.split('\n');
    lines.pop();
    return lines.map((line) => line.trimEnd());
  }

  /** The same with its styles, as SGR sequences (tmux's -e). */
  async captureStyled(): Promise<string[]> {
    const { stdout } = await execa('tmux', ['capture-pane', '-p', '-e', '-t', this.session]);
    return stdout.split('\n');
  }

  /** A tmux format about the pane (`#{mouse_sgr_flag}`: what modes the program in it set). */
  async format(format: string): Promise<string> {
    const { stdout } = await execa('tmux', ['display-message', '-p', '-t', this.session, format]);
    return stdout;
  }

  async keys(...keys: string[]): Promise<void> {
    await execa('tmux', ['send-keys', '-t', this.session, ...keys]);
  }

  /** Waits for `tmux wait-for -S <channel>` to be signalled inside the pane. */
  async waitFor(channel: string, timeoutMs = 10_000): Promise<void> {
    await execa('tmux', ['wait-for', channel], { timeout: timeoutMs });
  }

  async kill(): Promise<void> {
    await execa('tmux', ['kill-session', '-t', this.session], { reject: false });
  }
}
