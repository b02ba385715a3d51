/**
 * Which permission requests may be answered without a person: the user's ordered policies, under a
 * built-in deny list that always wins. Nothing is approved blind: a prompt that could not be
 * parsed, or that no rule covers, waits for a person.
 */
import picomatch from 'picomatch';
import type { Policy } from '../store/config.ts';

export interface PermissionRequest {
  provider: string;
  tool: string;
  /** The command, file or URL asked about, as the prompt shows it. */
  summary: string;
}

export type PolicyDecision =
  | { action: 'allow' | 'deny'; rule: string; reason: string }
  | { action: 'ask'; reason: string };

/** Commands no policy may approve: destroying a disk, a home or root, piping the net into a shell, root. */
const DANGEROUS: Array<{ id: string; pattern: RegExp; reason: string }> = [
  { id: 'builtin:rm-root-or-home', pattern: /\brm\s+(-[a-zA-Z]*[rRf][a-zA-Z]*\s+)+(--\s+)?(\/|~|\$HOME|\/\*|~\/\*?)(\s|$)/, reason: 'rm -r of / or ~' },
  { id: 'builtin:mkfs', pattern: /\bmkfs(\.\w+)?\b/, reason: 'formats a filesystem' },
  { id: 'builtin:dd-to-device', pattern: /\bdd\b[^\n]*\bof=\/dev\//, reason: 'dd onto a device' },
  { id: 'builtin:pipe-to-shell', pattern: /\b(curl|wget|fetch)\b[^|\n]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b/, reason: 'downloads and runs a script' },
  { id: 'builtin:sudo', pattern: /(^|[;&|]\s*|\s)(sudo|doas|su)\s/, reason: 'runs as root' },
  { id: 'builtin:fork-bomb', pattern: /:\(\)\s*\{\s*:\|:&\s*\};:/, reason: 'a fork bomb' },
  { id: 'builtin:chmod-root', pattern: /\bchmod\s+(-R\s+)?[0-7]{3,4}\s+\/(\s|$)/, reason: 'changes permissions of /' },
  { id: 'builtin:write-device', pattern: />\s*\/dev\/(sd[a-z]|hd[a-z]|x?vd[a-z]|nvme\d|mmcblk\d)/, reason: 'writes onto a disk device' },
];

export function decide(request: PermissionRequest, policies: readonly Policy[]): PolicyDecision {
  const danger = DANGEROUS.find((d) => d.pattern.test(request.summary));
  if (danger) return { action: 'deny', rule: danger.id, reason: `never auto-approved: ${danger.reason}` };
  for (const policy of policies) {
    if (matches(policy, request)) {
      return { action: policy.action, rule: policy.id, reason: `policy ${policy.id}` };
    }
  }
  return { action: 'ask', reason: 'no policy covers it' };
}

function matches(policy: Policy, request: PermissionRequest): boolean {
  if (policy.provider !== undefined && policy.provider !== request.provider) return false;
  if (policy.tool !== undefined && policy.tool.toLowerCase() !== request.tool.toLowerCase()) return false;
  if (policy.command !== undefined && !new RegExp(policy.command).test(request.summary)) return false;
  if (policy.path !== undefined && !picomatch.isMatch(request.summary, policy.path, { dot: true })) return false;
  return true;
}
