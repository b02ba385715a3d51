/**
 * The user's config, `$XDG_CONFIG_HOME/drover/config.json`, validated with zod. A bad file is
 * refused with one line naming the key path and the problem; nothing is guessed.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { rulesSchema } from '../engine/rules.ts';
import { describeIssue } from './describe-issue.ts';

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

export const configSchema = z.strictObject({
  providers: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'provider ids are lower-case words'), providerOverrideSchema).default({}),
});
export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

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
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message}); fix it or move it aside`);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(`${file}: ${describeIssue(result.error)}`);
  return result.data;
}
