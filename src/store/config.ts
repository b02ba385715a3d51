/**
 * The user's config, `$XDG_CONFIG_HOME/drover/config.json`, validated with zod. A bad file is
 * refused with one line naming the key path and the problem; nothing is guessed.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { describeIssue, UserError } from '../errors.ts';
import { regexSource, rulesSchema } from '../status/rules.ts';
import { detachKeyByte } from './detach-key.ts';

const providerOverrideSchema = z.strictObject({
  /** For a custom command: the built-in provider it starts from (default `shell`). */
  base: z.string().optional(),
  command: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  /** Added to the provider's rules; a rule with an existing id replaces it. */
  rules: rulesSchema.optional(),
  settleMs: z.number().int().min(0).max(10_000).optional(),
});
export type ProviderOverride = z.infer<typeof providerOverrideSchema>;

/**
 * Ordered approval policies (the approvals queue applies them): the first rule whose every given
 * field matches decides. A built-in deny list of dangerous commands always wins over them.
 */
const policySchema = z.strictObject({
  id: z.string().min(1),
  action: z.enum(['allow', 'deny']),
  provider: z.string().optional(),
  tool: z.string().optional(),
  /** A regular expression on the command. */
  command: regexSource.optional(),
  /** A glob on the file or folder path. */
  path: z.string().min(1).optional(),
});
export type Policy = z.infer<typeof policySchema>;

/** A machine whose daemon drover reaches over ssh (`drover --host NAME`, and the TUI). */
const hostSchema = z.strictObject({
  /** How drover names it: `--host NAME`, and `NAME:agent` in the TUI. */
  name: z.string().regex(/^[\w.-]+$/, 'a host name is letters, digits, ".", "_" or "-"'),
  /** ssh's destination: an alias from ~/.ssh/config, user@host, or ssh://user@host:port. */
  ssh: z.string().min(1).refine((s) => !s.startsWith('-'), 'an ssh destination cannot start with "-"'),
  /** The drover command on that machine, when `drover` is not on its PATH. */
  drover: z.string().min(1).optional(),
});
export type HostConfig = z.infer<typeof hostSchema>;

export const configSchema = z.strictObject({
  providers: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'provider ids are lower-case words'), providerOverrideSchema).default({}),
  keybindings: z
    .strictObject({
      /** Leaves an attached agent: a control key as C-x or ^x (default C-], as in telnet). */
      detach: z
        .string()
        .superRefine((spec, ctx) => {
          const parsed = detachKeyByte(spec);
          if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
        })
        .default('C-]'),
    })
    .default({ detach: 'C-]' }),
  /** How an agent that needs you, and is not on screen, gets your attention. */
  notify: z
    .strictObject({
      bell: z.boolean().default(true),
      /** OSC 9 / OSC 777 desktop notifications through the terminal. */
      osc: z.boolean().default(true),
      /** A command run with the notice as its last argument. */
      command: z.array(z.string().min(1)).min(1).optional(),
    })
    .default({ bell: true, osc: true }),
  policies: z.array(policySchema).default([]),
  inbox: z
    .strictObject({
      /** Messages submitted together (joined by a blank line) when an agent becomes ready. */
      batch: z.number().int().min(1).max(100).default(1),
    })
    .default({ batch: 1 }),
  hosts: z
    .array(hostSchema)
    .refine((hosts) => new Set(hosts.map((h) => h.name)).size === hosts.length, 'each host needs its own name')
    .default([]),
});
export type Config = z.infer<typeof configSchema>;

export class ConfigError extends UserError {}

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'drover', 'config.json');
}

/** Reads the config; a missing file at the default path is an empty config. */
export function loadConfig(file = defaultConfigPath(), { required = false } = {}): Config {
  if (!existsSync(file)) {
    if (required) throw new ConfigError(`config file not found: ${file}`);
    return configSchema.parse({});
  }
  const text = readFileSync(file, 'utf8');
  // A binary file's JSON error would quote its bytes onto the user's terminal.
  if (/[\0-\x08\x0e-\x1f\ufffd]/.test(text)) throw new ConfigError(`${file}: holds binary data, not JSON; move it aside`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message}); fix it or move it aside`);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(`${file}: ${describeIssue(result.error)}`);
  return result.data;
}
