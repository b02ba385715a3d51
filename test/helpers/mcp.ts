/**
 * `drover mcp` driven by the MCP SDK's own client: calling a tool, reading what the agents wrote.
 */
import { readFileSync } from 'node:fs';
import type { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';

/** A tool's answer: its text, whether it is an error, and the text read as JSON. */
export async function callTool(mcp: McpClient, name: string, args: Record<string, unknown> = {}) {
  const result = (await mcp.callTool({ name, arguments: args })) as { content: Array<{ text: string }>; isError?: boolean };
  const text = result.content[0]!.text;
  return { isError: Boolean(result.isError), text, json: () => JSON.parse(text) };
}

/** What an agent has written to `file` so far: '' before it has. */
export function writtenSoFar(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
