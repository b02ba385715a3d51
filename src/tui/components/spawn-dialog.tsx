import { Box, Text } from 'ink';
import { fitWidth } from '../format.ts';
import type { SpawnField, SpawnForm } from '../state.ts';
import { PaneTitle } from './pane-title.tsx';
import { TextInput } from './text-input.tsx';

const LABEL_WIDTH = 10;

const PLACEHOLDERS: Record<Exclude<SpawnField, 'provider'>, string> = {
  name: 'empty: PROVIDER-N',
  cwd: '',
  args: 'empty: none; else passed to the CLI, quoted as in a shell',
  worktree: 'empty: none; a branch name runs it in its own git worktree',
  prompt: 'empty: none; else submitted once the agent is ready',
};

/** The new-agent form: provider (from those installed), name, folder (tab completes it), extra arguments, worktree, first prompt. */
export function SpawnDialog({ form, width, height }: { form: SpawnForm; width: number; height: number }) {
  const label = (field: SpawnField) => (
    <Text bold inverse={form.focus === field}>
      {` ${field}`.padEnd(LABEL_WIDTH)}
    </Text>
  );
  const provider = form.providers[form.provider] ?? '';
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <PaneTitle text="SPAWN AN AGENT" focused width={width} />
      <Text> </Text>
      <Text wrap="truncate-end">
        {label('provider')} ‹ {provider} ›{'  '}
        <Text dimColor>{form.providers.join(' ')}</Text>
      </Text>
      {(['name', 'cwd', 'args', 'worktree', 'prompt'] as const).map((field) => (
        <Box key={field} flexDirection="column">
          <Box>
            {label(field)}
            <Text> </Text>
            {form.focus === field || form[field].value ? (
              <TextInput label="" field={form[field]} width={width - LABEL_WIDTH - 1} focused={form.focus === field} />
            ) : (
              <Text dimColor>{fitWidth(PLACEHOLDERS[field].replace('PROVIDER', provider), width - LABEL_WIDTH - 1)}</Text>
            )}
          </Box>
          {field === 'cwd' && form.completions.length > 0 && (
            <Text dimColor wrap="truncate-end">
              {' '.repeat(LABEL_WIDTH + 1)}
              {form.completions.map((name) => `${name}/`).join('  ')}
            </Text>
          )}
        </Box>
      ))}
      <Text> </Text>
      <Text dimColor wrap="truncate-end">
        {' '}
        ←/→ provider · tab next (folder: completes) · enter next, spawns from the last · esc cancel
      </Text>
    </Box>
  );
}
