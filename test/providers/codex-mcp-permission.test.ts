/**
 * Codex's question before an MCP server's tool runs (Codex 0.169.0, drover's own server, as the
 * live MCP test met it: a screen captured from the real CLI at 120×35): needs_permission, and a
 * prompt whose options pick with the keys the form takes (down to the option, Enter).
 */
import { describe, expect, it } from 'vitest';
import { codex } from '../../src/providers/codex/index.ts';

const SCREEN = [
  "› Please tell peer to write to its log",
  "",
  "",
  "• I will tell peer.",
  "",
  "• Calling drover.send_message",
  "    + Show details",
  "",
  "",
  "",
  "  Field 1/1",
  "  Allow the drover MCP server to run tool \"send_message\"?",
  "",
  "  body: echo from-codex >> /work/wt-live/tmp/live/mcp-codex-AbCdE...",
  "  to: peer",
  "",
  "  › 1. Allow                   Run the tool and continue",
  "    2. Allow for this session  Run the tool and remember this choice for this session",
  "    3. Always allow            Run the tool and remember this choice for future tool calls",
  "    4. Cancel                  Cancel this tool call",
  "  enter to submit | esc to cancel",
];

describe("Codex's MCP tool question", () => {
  it('is needs_permission', () => {
    const lines = [...Array(35 - SCREEN.length).fill(''), ...SCREEN];
    expect(codex.detect.classify({ lines, title: '', altScreen: false, changed: false, quietMs: 1000 })).toMatchObject({ status: 'needs_permission', rule: 'codex.mcp-permission' });
  });

  it('parses into the tool, its arguments and the answers', () => {
    expect(codex.read.permissionPrompt(SCREEN)).toEqual({
      tool: 'drover.send_message',
      summary: 'body: echo from-codex >> /work/wt-live/tmp/live/mcp-codex-AbCdE...; to: peer',
      options: [
        { label: 'Allow', keys: '\r', choice: 'once' },
        { label: 'Allow for this session', keys: '\x1b[B\r', choice: 'always' },
        { label: 'Always allow', keys: '\x1b[B\x1b[B\r', choice: 'always' },
        { label: 'Cancel', keys: '\x1b[B\x1b[B\x1b[B\r', choice: 'deny' },
      ],
    });
  });
});
