// The scenario file: which reply the mock model gives to each main request, in order.
// A file holds either a list of turns or {turns, default, loop, aux_patterns}.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const ToolSchema = z
  .strictObject({
    /** Literal call: tool name and arguments (a string = free-form input of a custom tool). */
    name: z.string().min(1).optional(),
    input: z
      .union([z.record(z.string(), z.unknown()), z.string()], { error: 'expected an object or a string' })
      .optional(),
    /** Shell command, mapped to whichever shell tool the request offers. */
    shell: z.string().min(1).optional(),
    /** Codex only: false = a plain sandboxed exec_command that does not ask for approval. */
    escalate: z.boolean().optional(),
  })
  .superRefine((t, ctx) => {
    if ((t.name === undefined) === (t.shell === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give either "name" (a literal call) or "shell" (a command)' });
    }
    if (t.shell !== undefined && t.input !== undefined) {
      ctx.addIssue({ code: 'custom', message: '"input" goes with "name", not "shell"' });
    }
    if (t.name !== undefined && t.escalate !== undefined) {
      ctx.addIssue({ code: 'custom', message: '"escalate" goes with "shell", not "name"' });
    }
  });

export const TurnSchema = z
  .strictObject({
    text: z.string().optional(),
    delay_ms_per_word: z.number().min(0).optional(),
    thinking: z.string().optional(),
    tool: ToolSchema.optional(),
    /** HTTP status of a scripted error. */
    error: z.number().int().min(400).max(599).optional(),
    message: z.string().optional(),
    /** Seconds, sent as the retry-after header. */
    retry_after: z.number().min(0).optional(),
    /** Serve this turn for N main requests. */
    times: z.number().int().min(1).optional(),
    /** Serve this turn for every main request until the user types a new prompt. */
    sticky: z.boolean().optional(),
    /** Send the headers, then nothing for N seconds. Alone: a prefix of the next turn. */
    stall_s: z.number().min(0).optional(),
  })
  .superRefine((t, ctx) => {
    const content = t.text !== undefined || t.thinking !== undefined || t.tool !== undefined;
    const issue = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (t.error !== undefined && (content || t.delay_ms_per_word !== undefined)) {
      issue('an error turn cannot also have text, thinking, a tool or delay_ms_per_word');
    }
    if (t.error === undefined && (t.message !== undefined || t.retry_after !== undefined)) {
      issue('"message" and "retry_after" go with "error"');
    }
    if (t.delay_ms_per_word !== undefined && t.text === undefined && t.thinking === undefined) {
      issue('"delay_ms_per_word" needs "text" or "thinking"');
    }
    if (!content && t.error === undefined) {
      if (t.stall_s === undefined) issue('a turn needs text, thinking, tool, error or stall_s');
      else if (t.times !== undefined || t.sticky !== undefined) {
        issue('a stall-only turn is a prefix of the next turn: put "times"/"sticky" on that turn');
      }
    }
  });

const RegexSchema = z.string().refine((p) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

const ScenarioObjectSchema = z
  .strictObject({
    turns: z.array(TurnSchema),
    /** Served to main requests once the turns run out (instead of a canned text). */
    default: TurnSchema.optional(),
    /** Start over from the first turn once the turns run out. */
    loop: z.boolean().optional(),
    /** Regexes (case-insensitive) on the system prompt that make a request aux. Replaces the default list. */
    aux_patterns: z.array(RegexSchema).optional(),
    /**
     * Regexes (case-insensitive) on the last input's text that make a request aux: a side request a CLI
     * sends as one more user message on the conversation, same system prompt and tools. Replaces the default list.
     */
    aux_input_patterns: z.array(RegexSchema).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.loop && !s.turns.some((t) => !isStallOnly(t))) {
      ctx.addIssue({ code: 'custom', message: '"loop" needs at least one turn that is not stall-only' });
    }
  });

/** Accepts both file forms; a bare list is the `turns` of the object form. */
export const ScenarioSchema = z.preprocess(
  (raw) => (Array.isArray(raw) ? { turns: raw } : raw),
  ScenarioObjectSchema,
);

export type Turn = z.infer<typeof TurnSchema>;
export type Scenario = z.infer<typeof ScenarioObjectSchema>;

export const DEFAULT_AUX_PATTERNS = ['managed memory extraction subagent'];
/**
 * Qwen Code 0.24 (and Claude Code) ask for a "suggested next prompt" after a turn by forking the
 * conversation: the same system prompt and tools, and a last user message that opens with this
 * marker. Qwen sends it a JSON schema only when the endpoint is api.openai.com, so nothing else in
 * the request tells it from the user's next prompt.
 */
export const DEFAULT_AUX_INPUT_PATTERNS = ['^\\[SUGGESTION MODE:'];

export function isStallOnly(turn: Turn): boolean {
  return turn.text === undefined && turn.thinking === undefined && turn.tool === undefined && turn.error === undefined;
}

/** Validates a parsed scenario; throws a one-line error naming `source` and the first problem. */
export function parseScenario(raw: unknown, source = 'scenario'): Scenario {
  const result = ScenarioSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
  throw new Error(`${source}: ${where ? `${where}: ` : ''}${issue.message}`);
}

export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: invalid JSON: ${(err as Error).message}`);
  }
  return parseScenario(raw, path);
}
