/** Long messages: written in the user's $VISUAL / $EDITOR; what they save is the message. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export async function writeInEditor(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'drover-message-'));
  const file = path.join(dir, 'MESSAGE');
  const editor = env.VISUAL || env.EDITOR || 'vi';
  try {
    // Through the shell: an editor setting is often a command with arguments ("code --wait").
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit', env });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0) throw new Error(`${editor} exited with code ${code}; nothing was sent`);
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      return ''; // not saved
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
