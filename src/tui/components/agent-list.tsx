import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { AgentSummary } from '../../protocol/schema.ts';
import { ago, agoChangesIn } from '../../client/format.ts';
import { fitWidth, statusLabel } from '../format.ts';
import { NEEDS_USER_STATUSES } from '../../status/status.ts';
import { hostOf } from '../state.ts';
import { statusLook, useTheme } from '../theme.ts';
import { PaneTitle } from './pane-title.tsx';
import { scrollWindow } from './scroll.ts';

const PROVIDER_WIDTH = 8;
const STATUS_WIDTH = 16; // glyph, space, "needs approval"
const AGE_WIDTH = 4;
/** The ages are redrawn at most this often. */
const MIN_TICK_MS = 1000;

/**
 * Re-renders when the time in state shown for one of `since` next reads differently: every second
 * for a state younger than a minute, every minute for one younger than an hour. (A render of the
 * whole TUI for a clock that says the same was most of an idle TUI's CPU.) Never more than once a
 * second: twenty young states change on twenty different instants of each second, and one render
 * a second shows them all.
 */
function useAgesTicking(since: number[]): void {
  const [tick, setTick] = useState(0);
  const key = since.join(' ');
  useEffect(() => {
    if (since.length === 0) return;
    const now = Date.now();
    const timer = setTimeout(() => setTick((n) => n + 1), Math.max(MIN_TICK_MS, Math.min(...since.map((at) => agoChangesIn(at, now)))));
    return () => clearTimeout(timer);
  }, [key, tick]);
}

interface AgentListProps {
  agents: AgentSummary[];
  total: number;
  selected?: string;
  focused: boolean;
  filter: string;
  /** Hosts out of reach ("" for this machine): their agents are as last heard, greyed. */
  unreachable: Record<string, string>;
  width: number;
  height: number;
}

export function AgentList({ agents, total, selected, focused, filter, unreachable, width, height }: AgentListProps) {
  const { fg } = useTheme();
  const rows = height - 1;
  const at = Math.max(0, agents.findIndex((a) => a.id === selected));
  const [from, to] = scrollWindow(agents.length, at, rows);
  useAgesTicking(agents.slice(from, to).map((agent) => agent.since));
  const now = Date.now();
  // caret, mark, name, and a space before each later column
  const nameWidth = Math.max(4, width - 2 - (1 + PROVIDER_WIDTH) - (1 + STATUS_WIDTH) - (1 + AGE_WIDTH));
  const title = `AGENTS ${filter ? `${agents.length}/${total}  /${filter}` : total}`;
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <PaneTitle text={title} focused={focused} width={width} />
      {agents.length === 0 && <Text dimColor>{total ? ' no agent matches the filter' : ' no agents yet: s spawns one'}</Text>}
      {agents.slice(from, to).map((agent) => {
        const isSelected = agent.id === agents[at]?.id;
        const look = statusLook(agent.status);
        const needsUser = NEEDS_USER_STATUSES.has(agent.status);
        const stale = hostOf(agent.name) in unreachable;
        return (
          <Text key={agent.id} inverse={isSelected && focused} bold={isSelected} dimColor={stale} wrap="truncate-end">
            {isSelected ? '›' : ' '}
            <Text color={fg('red')} bold>
              {needsUser ? '!' : ' '}
            </Text>
            {fitWidth(agent.name, nameWidth)} {fitWidth(agent.provider, PROVIDER_WIDTH)}{' '}
            <Text color={stale ? undefined : fg(look.colour)}>{fitWidth(`${look.glyph} ${statusLabel(agent)}`, STATUS_WIDTH)}</Text>{' '}
            {ago(agent.since, now).padStart(AGE_WIDTH)}
          </Text>
        );
      })}
    </Box>
  );
}
