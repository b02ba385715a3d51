/**
 * The detach key, as the config and `--detach-key` write it ("C-]", "^a"): one rule for both, so
 * the config takes exactly what `drover attach` takes. A leaf: clients import it too.
 */

/** The control byte `spec` names, or why it cannot be the detach key. */
export function detachKeyByte(spec: string): { key: string } | { problem: string } {
  const match = /^(?:C-|\^)(.)$/i.exec(spec);
  if (!match) return { problem: `must look like C-] or C-a, got "${spec}"` };
  const code = match[1]!.toUpperCase().charCodeAt(0);
  if (code < 0x40 || code > 0x5f) return { problem: `no control key for "${match[1]}"` };
  const key = String.fromCharCode(code - 0x40);
  // Ctrl-Q/S (flow control), Ctrl-B (tmux), Ctrl-E, Ctrl-C, Ctrl-D (agents and the shell).
  if ('\x11\x13\x02\x05\x03\x04'.includes(key)) return { problem: `${spec} would collide with flow control, tmux, agents or the shell: pick another` };
  return { key };
}
