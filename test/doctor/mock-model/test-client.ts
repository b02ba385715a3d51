// Test helpers: request bodies shaped like each CLI's, and a parser for what the mock sends back.

export interface Frame {
  event?: string;
  data: any;
}

/** Parses an SSE body; `data: [DONE]` becomes `{ data: '[DONE]' }`. */
export function parseSse(text: string): Frame[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const frame: Frame = { data: undefined };
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event: ')) frame.event = line.slice(7);
        if (line.startsWith('data: ')) {
          const data = line.slice(6);
          frame.data = data === '[DONE]' ? data : JSON.parse(data);
        }
      }
      return frame;
    });
}

const objectSchema = (props: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties: props,
  required,
});
const str = { type: 'string' };

/** Claude Code's shell tool. */
export const claudeTools = [
  { name: 'Bash', input_schema: objectSchema({ command: str, description: str }, ['command']) },
  { name: 'Read', input_schema: objectSchema({ file_path: str }, ['file_path']) },
];

/** Codex's tools: function tools, a freeform custom tool and a provider tool. */
export const codexTools = [
  {
    type: 'function',
    name: 'exec_command',
    parameters: objectSchema({ cmd: str, sandbox_permissions: str, justification: str }, ['cmd']),
  },
  { type: 'custom', name: 'apply_patch', format: { type: 'grammar' } },
  { type: 'web_search' },
];

export const opencodeTools = [
  {
    type: 'function',
    function: { name: 'bash', parameters: objectSchema({ command: str, description: str }, ['command', 'description']) },
  },
];

/** Qwen's shell tool takes a description and requires is_background. */
export const qwenTools = [
  {
    type: 'function',
    function: {
      name: 'run_shell_command',
      parameters: objectSchema({ command: str, description: str, is_background: { type: 'boolean' } }, [
        'command',
        'is_background',
      ]),
    },
  },
];

export const geminiTools = [
  {
    functionDeclarations: [
      { name: 'run_shell_command', parametersJsonSchema: objectSchema({ command: str }, ['command']) },
      { name: 'read_file', parametersJsonSchema: objectSchema({ path: str }, ['path']) },
    ],
  },
];

export function anthropicBody(prompt: string, extra: Record<string, unknown> = {}) {
  return {
    model: 'claude-mock',
    stream: true,
    max_tokens: 1000,
    system: [{ type: 'text', text: 'You are Claude Code.' }],
    messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    tools: claudeTools,
    ...extra,
  };
}

/** The follow-up request Claude Code sends after running a tool. */
export function anthropicToolResult(prompt: string) {
  return anthropicBody(prompt, {
    messages: [
      { role: 'user', content: [{ type: 'text', text: prompt }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] },
    ],
  });
}

export function responsesBody(prompt: string, extra: Record<string, unknown> = {}) {
  return {
    model: 'gpt-5-codex',
    stream: true,
    instructions: 'You are Codex.',
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] }],
    tools: codexTools,
    ...extra,
  };
}

export function chatBody(prompt: string, tools: unknown[], extra: Record<string, unknown> = {}) {
  return {
    model: 'mock-model',
    stream: true,
    messages: [
      { role: 'system', content: 'You are an agent.' },
      { role: 'user', content: prompt },
    ],
    tools,
    ...extra,
  };
}

export function geminiBody(prompt: string, extra: Record<string, unknown> = {}) {
  return {
    contents: [{ role: 'user', parts: [{ text: prompt }] }],
    systemInstruction: { parts: [{ text: 'You are Gemini CLI.' }] },
    tools: geminiTools,
    ...extra,
  };
}

/**
 * Qwen Code 0.24.4's "suggested next prompt" request, as it reached the mock under drover doctor
 * (the conversation shortened): a fork of the conversation with the same tools and system prompt,
 * thinking off, and this prompt as the last user message.
 */
export const QWEN_SUGGESTION_PROMPT = [
  "[SUGGESTION MODE: Suggest what the user might naturally type next.]\n",
  "\n",
  "FIRST: Read the LAST FEW LINES of the assistant's most recent message -- that's where\n",
  "next-step hints, tips, and actionable suggestions usually appear. Then check the user's\n",
  "recent messages and original request.\n",
  "\n",
  "Your job is to predict what THEY would type - not what you think they should do.\n",
  "\n",
  "THE TEST: Would they think \"I was just about to type that\"?\n",
  "\n",
  "PRIORITY: If the assistant's last message contains a tip or hint like \"Tip: type X to ...\"\n",
  "or \"type X to ...\", extract X as the suggestion. These are explicit next-step hints.\n",
  "\n",
  "EXAMPLES:\n",
  "Assistant says \"Tip: type post comments to publish findings\" \u2192 \"post comments\"\n",
  "Assistant says \"type /review to start\" \u2192 \"/review\"\n",
  "User asked \"fix the bug and run tests\", bug is fixed \u2192 \"run the tests\"\n",
  "After code written \u2192 \"try it out\"\n",
  "Model offers options \u2192 suggest the one the user would likely pick, based on conversation\n",
  "Model asks to continue \u2192 \"yes\" or \"go ahead\"\n",
  "Task complete, obvious follow-up \u2192 \"commit this\" or \"push it\"\n",
  "After error or misunderstanding \u2192 silence (let them assess/correct)\n",
  "\n",
  "Be specific: \"run the tests\" beats \"continue\".\n",
  "\n",
  "NEVER SUGGEST:\n",
  "- Evaluative (\"looks good\", \"thanks\")\n",
  "- Questions (\"what about...?\")\n",
  "- AI-voice (\"Let me...\", \"I'll...\", \"Here's...\")\n",
  "- New ideas they didn't ask about\n",
  "- Multiple sentences\n",
  "\n",
  "Stay silent if the next step isn't obvious from what the user said.\n",
  "\n",
  "Format: 2-12 words, match the user's style. Or nothing.\n",
  "\n",
  "Reply with ONLY the suggestion, no quotes or explanation."
].join('');

export function qwenSuggestionBody(history: { role: string; content: string }[]) {
  return chatBody('', qwenTools, {
    model: 'qwen3-coder-plus',
    max_tokens: 32768,
    stream_options: { include_usage: true },
    chat_template_kwargs: { enable_thinking: false },
    messages: [
      { role: 'system', content: 'You are Qwen Code, an interactive CLI agent.' },
      ...history,
      { role: 'user', content: [{ type: 'text', text: QWEN_SUGGESTION_PROMPT }] },
    ],
  });
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
