// Turn accounting: which reply each request gets. Only main requests consume scenario turns.
import { minimalValue } from './json-schema.ts';
import { DEFAULT_AUX_INPUT_PATTERNS, DEFAULT_AUX_PATTERNS, isStallOnly, type Scenario, type Turn } from './scenario.ts';
import { resolveTool } from './tools.ts';
import type { Reply, RequestInfo, Role } from './types.ts';

export const AUX_TEXT = 'Mock reply.';
export const CANNED_TEXT = 'The mock model has no more scripted turns.';

export interface Decision {
  role: Role;
  /** Indices of the scenario turns this request consumed (a stall prefix and its turn). */
  turns: number[];
  source: 'turn' | 'sticky' | 'default' | 'canned' | 'aux';
  reply: Reply;
}

interface Sticky {
  promptKey: string;
  turn: Turn;
  turns: number[];
  stallS: number;
}

export class Director {
  private scenario!: Scenario;
  private auxPatterns: RegExp[] = [];
  private auxInputPatterns: RegExp[] = [];
  private index = 0;
  private servedInTurn = 0;
  private sticky: Sticky | undefined;
  private counts = { main: 0, aux: 0 };

  constructor(scenario: Scenario) {
    this.setScenario(scenario);
  }

  setScenario(scenario: Scenario): void {
    this.scenario = scenario;
    this.auxPatterns = (scenario.aux_patterns ?? DEFAULT_AUX_PATTERNS).map((p) => new RegExp(p, 'i'));
    this.auxInputPatterns = (scenario.aux_input_patterns ?? DEFAULT_AUX_INPUT_PATTERNS).map((p) => new RegExp(p, 'i'));
    this.reset();
  }

  reset(): void {
    this.index = 0;
    this.servedInTurn = 0;
    this.sticky = undefined;
  }

  /**
   * Requests without tools, asking for JSON, with a system prompt matching aux_patterns, or whose
   * last input matches aux_input_patterns.
   */
  roleOf(req: RequestInfo): Role {
    const offersTools = req.tools.some((t) => t.kind !== 'builtin');
    if (!offersTools || req.jsonSchema !== undefined) return 'aux';
    if (this.auxPatterns.some((re) => re.test(req.system))) return 'aux';
    const input = req.lastText ?? '';
    return this.auxInputPatterns.some((re) => re.test(input)) ? 'aux' : 'main';
  }

  decide(req: RequestInfo): Decision {
    const role = this.roleOf(req);
    this.counts[role]++;
    if (role === 'aux') {
      const text = req.jsonSchema ? JSON.stringify(minimalValue(req.jsonSchema)) : AUX_TEXT;
      return { role, turns: [], source: 'aux', reply: { stallMs: 0, msPerWord: 0, text } };
    }
    if (this.sticky) {
      if (this.sticky.promptKey === req.promptKey) {
        const { turn, turns, stallS } = this.sticky;
        return { role, turns, source: 'sticky', reply: this.reply(turn, stallS, req) };
      }
      this.sticky = undefined;
    }
    const { turns } = this.scenario;
    const used: number[] = [];
    let stallS = 0;
    for (;;) {
      if (this.index >= turns.length) {
        if (!this.scenario.loop) break;
        this.index = 0;
      }
      const turn = turns[this.index]!;
      used.push(this.index);
      stallS += turn.stall_s ?? 0;
      if (isStallOnly(turn)) {
        this.index++;
        continue;
      }
      if (turn.sticky) {
        this.sticky = { promptKey: req.promptKey, turn, turns: used, stallS };
        this.advance();
      } else if (++this.servedInTurn >= (turn.times ?? 1)) {
        this.advance();
      }
      return { role, turns: used, source: 'turn', reply: this.reply(turn, stallS, req) };
    }
    const fallback = this.scenario.default;
    if (fallback) {
      const reply = this.reply(fallback, stallS + (fallback.stall_s ?? 0), req);
      return { role, turns: used, source: 'default', reply };
    }
    return { role, turns: used, source: 'canned', reply: { stallMs: stallS * 1000, msPerWord: 0, text: CANNED_TEXT } };
  }

  state() {
    return {
      turn_index: this.index,
      served_in_turn: this.servedInTurn,
      n_turns: this.scenario.turns.length,
      sticky: this.sticky !== undefined,
      main_requests: this.counts.main,
      aux_requests: this.counts.aux,
    };
  }

  private advance(): void {
    this.index++;
    this.servedInTurn = 0;
  }

  /** `stallS` already includes the turn's own stall_s. */
  private reply(turn: Turn, stallS: number, req: RequestInfo): Reply {
    const reply: Reply = { stallMs: stallS * 1000, msPerWord: turn.delay_ms_per_word ?? 0 };
    if (turn.error !== undefined) {
      reply.error = { status: turn.error, message: turn.message ?? defaultErrorMessage(turn.error) };
      if (turn.retry_after !== undefined) reply.error.retryAfter = turn.retry_after;
      return reply;
    }
    if (turn.thinking !== undefined) reply.thinking = turn.thinking;
    if (turn.text !== undefined) reply.text = turn.text;
    if (turn.tool) reply.tool = resolveTool(turn.tool, req);
    if (isStallOnly(turn)) reply.text = CANNED_TEXT;
    return reply;
  }
}

// The same wording as the reference recordings, so their screens stay comparable.
function defaultErrorMessage(status: number): string {
  if (status === 400) return 'mockllm scripted error: invalid request';
  if (status === 529) return 'Overloaded (mockllm scripted)';
  return `mockllm scripted error: HTTP ${status}`;
}
