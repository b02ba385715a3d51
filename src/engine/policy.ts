/**
 * Which permission requests may be answered without a person: the user's ordered policies, under a
 * built-in deny list that always wins, both applied to every command the request's line runs
 * (src/engine/shell-command.ts). Nothing is approved blind: a prompt that could not be parsed, a
 * line that could not be read as commands, or a command no rule covers, waits for a person.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import type { Policy } from '../store/config.ts';
import { baseName, parseCommandLine, type SimpleCommand } from './shell-command.ts';

export interface PermissionRequest {
  provider: string;
  tool: string;
  /** The command, file or URL asked about, as the prompt shows it. */
  summary: string;
}

export type PolicyDecision =
  | { action: 'allow' | 'deny'; rule: string; reason: string }
  | { action: 'ask'; reason: string };

/**
 * The built-in deny list, on each command the line runs (after its wrappers, in every pipeline and
 * list, inside `sh -c`): what no policy may approve.
 */
const DANGERS: Array<{ id: string; reason: string; test: (command: SimpleCommand) => boolean }> = [
  { id: 'builtin:root', reason: 'runs as root', test: (c) => [...c.wrappers, programOf(c)].some((name) => ROOT.has(name)) },
  { id: 'builtin:rm-root-or-home', reason: 'deletes / or ~ or a folder at the top of /', test: deletesTop },
  { id: 'builtin:mkfs', reason: 'formats or wipes a disk', test: formatsDisk },
  { id: 'builtin:dd-to-device', reason: 'dd onto a device', test: (c) => programOf(c) === 'dd' && c.argv.some((a) => a.startsWith('of=') && isDisk(a.slice(3))) },
  { id: 'builtin:write-device', reason: 'writes onto a disk device', test: writesDisk },
  { id: 'builtin:pipe-to-shell', reason: 'downloads and runs a script', test: (c) => INTERPRETER.test(programOf(c)) && c.fedBy.some((name) => DOWNLOADERS.has(name)) },
  { id: 'builtin:chmod-root', reason: 'changes permissions or owner of / or ~', test: chmodsTop },
  { id: 'builtin:kill-all', reason: 'kills every process you own', test: (c) => programOf(c) === 'kill' && c.argv.slice(2).includes('-1') },
  { id: 'builtin:shutdown', reason: 'stops the machine', test: (c) => SHUTDOWN.has(programOf(c)) || (programOf(c) === 'systemctl' && c.argv.some((a) => SHUTDOWN.has(a))) },
];

/**
 * The backstop for a line drover cannot read (a subshell, `$(…)`, a function…): it waits for a
 * person anyway, and these patterns on its text deny it outright.
 */
const BACKSTOP: Array<{ id: string; pattern: RegExp; reason: string }> = [
  { id: 'builtin:rm-root-or-home', pattern: /\brm\s+(-[a-zA-Z]*[rRf][a-zA-Z]*\s+)+(--\s+)?("?(\/|~|\$HOME|\$\{HOME\})"?\/?\*?)(\s|$|;|\))/, reason: 'rm -r of / or ~' },
  { id: 'builtin:mkfs', pattern: /\bmkfs(\.\w+)?\s/, reason: 'formats a filesystem' },
  { id: 'builtin:dd-to-device', pattern: /\bdd\b[^\n]*\bof=\/dev\/(?!null\b)/, reason: 'dd onto a device' },
  { id: 'builtin:pipe-to-shell', pattern: /\b(curl|wget|fetch)\b[^|\n]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b/, reason: 'downloads and runs a script' },
  { id: 'builtin:root', pattern: /(^|[;&|(`]\s*|\$\(\s*)(sudo|doas|su|pkexec)\s/, reason: 'runs as root' },
  { id: 'builtin:fork-bomb', pattern: /(\S+)\(\)\s*\{\s*\1\s*\|\s*\1\s*&\s*\}\s*;\s*\1/, reason: 'a fork bomb' },
  { id: 'builtin:write-device', pattern: />\s*\/dev\/(sd[a-z]|hd[a-z]|x?vd[a-z]|nvme\d|mmcblk\d)/, reason: 'writes onto a disk device' },
];

const ROOT = new Set(['sudo', 'doas', 'su', 'pkexec', 'run0']);
const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'lwp-download']);
const INTERPRETER = /^(ba|z|da|k|mk|a)?sh$|^fish$|^(python|perl|ruby|node|php)[\d.]*$/;
const SHUTDOWN = new Set(['shutdown', 'reboot', 'poweroff', 'halt']);
const FILESYSTEMS = /^mkfs(\.(ext[234]|xfs|btrfs|vfat|fat|msdos|ntfs|exfat|f2fs|minix|cramfs|bfs|jfs|reiserfs|hfsplus))?$/;
const DISK_TOOLS = new Set(['mke2fs', 'mkswap', 'mkntfs', 'mkdosfs', 'wipefs', 'fdisk', 'sfdisk', 'cfdisk', 'parted', 'sgdisk', 'blkdiscard', 'shred']);
const OUTPUT_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);

const programOf = (command: SimpleCommand) => baseName(command.argv[0] ?? '');

function isDisk(file: string): boolean {
  return /^\/dev\/(sd[a-z]|hd[a-z]|x?vd[a-z]|nvme\d|mmcblk\d|dm-\d|md\d|disk\/)/.test(file);
}

/** Its operands: the words after the program that are not options (all of them after `--`). */
function operands(command: SimpleCommand): string[] {
  const dashes = command.argv.indexOf('--');
  const before = command.argv.slice(1, dashes < 0 ? undefined : dashes).filter((a) => !a.startsWith('-'));
  return dashes < 0 ? before : [...before, ...command.argv.slice(dashes + 1)];
}

function options(command: SimpleCommand): string[] {
  const dashes = command.argv.indexOf('--');
  return command.argv.slice(1, dashes < 0 ? undefined : dashes).filter((a) => a.startsWith('-'));
}

const recursive = (command: SimpleCommand) => options(command).some((o) => o === '--recursive' || /^-[a-zA-Z]*[rR][a-zA-Z]*$/.test(o));

/**
 * Whether a path is /, ~, or a folder at the top of / (`/usr`, `/*`), as far as its words tell:
 * `~` and `$HOME` are home, and another leading variable may be empty (`$DIR/` may be `/`).
 */
function isTop(word: string): boolean {
  const home = '/__home__';
  let file = word.replace(/^(~|\$HOME)(?=\/|$)/, home);
  file = file.replace(/^\$[A-Za-z_]\w*(?=\/)/, '');
  if (!file.startsWith('/')) return false;
  const parts = path.posix.normalize(file).split('/').filter(Boolean);
  return parts.length <= 1 || (parts[0] === home.slice(1) && parts.length === 2 && parts[1]!.includes('*'));
}

function deletesTop(command: SimpleCommand): boolean {
  const program = programOf(command);
  if (program === 'rm') return command.argv.includes('--no-preserve-root') || (recursive(command) && operands(command).some(isTop));
  if (program === 'mv') return operands(command).slice(0, -1).some(isTop);
  // find / -delete, find ~ -exec … (the command it runs is checked on its own too)
  if (program === 'find') {
    const expression = command.argv.findIndex((a, i) => i > 0 && /^[-(!]/.test(a));
    const starts = command.argv.slice(1, expression < 0 ? undefined : expression);
    return starts.some(isTop) && command.argv.some((a) => ['-delete', '-exec', '-execdir', '-ok', '-okdir'].includes(a));
  }
  return false;
}

function formatsDisk(command: SimpleCommand): boolean {
  const program = programOf(command);
  return FILESYSTEMS.test(program) || (DISK_TOOLS.has(program) && command.argv.slice(1).some(isDisk));
}

function writesDisk(command: SimpleCommand): boolean {
  if (command.redirects.some((r) => OUTPUT_REDIRECTS.has(r.op) && isDisk(r.target))) return true;
  const program = programOf(command);
  if (program === 'tee') return operands(command).some(isDisk);
  if (program === 'cp') return isDisk(operands(command).at(-1) ?? '');
  return false;
}

function chmodsTop(command: SimpleCommand): boolean {
  if (!['chmod', 'chown', 'chgrp'].includes(programOf(command))) return false;
  // The first operand is the mode or owner.
  return operands(command).slice(1).some(isTop);
}

/**
 * A decision on a request: a command line drover cannot read waits for a person (or is denied, by
 * the backstop); a dangerous command anywhere in it is denied; otherwise each command it runs must
 * be allowed by a policy (the first that matches it), and any command denied or not covered
 * decides for the whole line.
 */
export function decide(request: PermissionRequest, policies: readonly Policy[]): PolicyDecision {
  const line = parseCommandLine(request.summary);
  if ('notUnderstood' in line) {
    const danger = BACKSTOP.find((d) => d.pattern.test(request.summary));
    if (danger) return { action: 'deny', rule: danger.id, reason: `never auto-approved: ${danger.reason}` };
    return { action: 'ask', reason: `drover cannot read it as commands (${line.notUnderstood})` };
  }
  for (const command of line.commands) {
    const danger = DANGERS.find((d) => d.test(command));
    if (danger) return { action: 'deny', rule: danger.id, reason: `never auto-approved: ${danger.reason}` };
  }
  const commands = line.commands.length > 0 ? line.commands : [undefined];
  const allowedBy: string[] = [];
  for (const command of commands) {
    // A command that gets more words at run time (xargs, find -exec) may be denied, never vouched for.
    const policy = policies.find((p) => matches(p, request, command) && !(p.action === 'allow' && command?.openEnded));
    const text = command ? commandText(command) : request.summary;
    if (!policy) return { action: 'ask', reason: command?.openEnded ? `${JSON.stringify(text)} gets more words at run time` : `no policy covers ${JSON.stringify(text)}` };
    if (policy.action === 'deny') return { action: 'deny', rule: policy.id, reason: `policy ${policy.id}` };
    if (!allowedBy.includes(policy.id)) allowedBy.push(policy.id);
  }
  return { action: 'allow', rule: allowedBy.join(','), reason: `policy ${allowedBy.join(', ')}` };
}

/**
 * The text a policy's `command` regex must match whole: the program and its words, one space
 * apart, without assignments or wrappers; writing to a file (not /dev/null or a descriptor) is part of it.
 */
export function commandText(command: SimpleCommand): string {
  const writes = command.redirects.filter((r) => OUTPUT_REDIRECTS.has(r.op) && !/^(\/dev\/(null|stdout|stderr)|\d|-)$/.test(r.target));
  return [...command.argv, ...writes.flatMap((r) => [r.op, r.target])].join(' ');
}

function matches(policy: Policy, request: PermissionRequest, command: SimpleCommand | undefined): boolean {
  if (policy.provider !== undefined && policy.provider !== request.provider) return false;
  if (policy.tool !== undefined && policy.tool.toLowerCase() !== request.tool.toLowerCase()) return false;
  // Anchored: `npm test` is `npm test`, not `npm test && anything`.
  if (policy.command !== undefined && (!command || !new RegExp(`^(?:${policy.command})$`).test(commandText(command)))) return false;
  if (policy.path !== undefined && !picomatch.isMatch(request.summary, policy.path, { dot: true })) return false;
  return true;
}
