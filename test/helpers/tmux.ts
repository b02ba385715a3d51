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

/**
 * Each pane has a tmux server of its own (`-L`): on one shared server, a test ending the last
 * session stops the server while another test's command is starting it ("no server running"), and
 * a server already running keeps its own environment rather than the one a pane is started with.
 */
export class TmuxPane {
  readonly session = `drover-test-${randomUUID().slice(0, 8)}`;

  static async start(command: string, cols: number, rows: number, env: Record<string, string> = {}): Promise<TmuxPane> {
    const pane = new TmuxPane();
    await pane.tmux(['new-session', '-d', '-s', pane.session, '-x', String(cols), '-y', String(rows), command], { env: { ...process.env, ...env } });
    return pane;
  }

  private async tmux(args: string[], options: { env?: NodeJS.ProcessEnv; stripFinalNewline?: boolean; timeout?: number; reject?: boolean } = {}): Promise<string> {
    const { stdout } = await execa('tmux', ['-L', this.session, ...args], options);
    return stdout;
  }

  /** The visible screen, one line per row, trailing spaces trimmed (tmux's own rendering). */
  async capture(): Promise<string[]> {
    const stdout = await this.tmux(['capture-pane', '-p', '-t', this.session], { stripFinalNewline: false });
    const lines = stdout.split('\n');
    lines.pop();
    return lines.map((line) => line.trimEnd());
  }

  /** The same with its styles, as SGR sequences (tmux's -e). */
  async captureStyled(): Promise<string[]> {
    const stdout = await this.tmux(['capture-pane', '-p', '-e', '-t', this.session]);
    return stdout.split('\n');
  }

  /** A tmux format about the pane (`#{mouse_sgr_flag}`: what modes the program in it set). */
  async format(format: string): Promise<string> {
    const stdout = await this.tmux(['display-message', '-p', '-t', this.session, format]);
    return stdout;
  }

  /** Resizes the pane's window, as a person resizing their terminal. */
  async resize(cols: number, rows: number): Promise<void> {
    await this.tmux(['resize-window', '-t', this.session, '-x', String(cols), '-y', String(rows)]);
  }

  async keys(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', this.session, ...keys]);
  }

  /** Waits for `tmux wait-for -S <channel>` to be signalled inside the pane. */
  async waitFor(channel: string, timeoutMs = 10_000): Promise<void> {
    await this.tmux(['wait-for', channel], { timeout: timeoutMs });
  }

  async kill(): Promise<void> {
    await this.tmux(['kill-server'], { reject: false });
  }
}
