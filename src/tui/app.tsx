/**
 * The TUI's Ink tree: header, agent list and live preview, approvals and inbox, status line, and
 * the dialogs. Keys go through the keymap (normal mode) or the open dialog; everything the panes
 * show comes from the store.
 */
import { Box, Text, useApp, useInput, type Key } from 'ink';
import { useCallback, useEffect, useMemo } from 'react';
import type { Client } from '../client/client.ts';
import { runCommand, type Leave, type TuiContext } from './commands.ts';
import { AgentList } from './components/agent-list.tsx';
import { ApprovalsPane } from './components/approvals-pane.tsx';
import { Header } from './components/header.tsx';
import { HelpOverlay } from './components/help-overlay.tsx';
import { InboxPane } from './components/inbox-pane.tsx';
import { Preview } from './components/preview.tsx';
import { SpawnDialog } from './components/spawn-dialog.tsx';
import { StatusLine } from './components/status-line.tsx';
import { dialogKey } from './dialogs.ts';
import { bindingFor, charName, keyName, splitKeys, type Command } from './keymap.ts';
import { layout, MIN_SIZE } from './layout.ts';
import { usePreviewFeed } from './preview-feed.ts';
import { useReadOnSight } from './read-on-sight.ts';
import type { OverlaySink } from './preview-painter.ts';
import { fullScreen, readerKey, readerTitle, readerWheel, wheelOf } from './reader.ts';
import { counts, previewedAgent, selectedAgent, selectedApproval, selectedMessage, visibleAgents, type Mode } from './state.ts';
import { useTuiState, type TuiStore } from './store.ts';
import { useTheme } from './theme.ts';

/** Modes whose keys type text. */
const TEXT_MODES: ReadonlySet<Mode['kind']> = new Set(['filter', 'compose', 'spawn', 'rename', 'search']);
/** The panes' commands a reader passes on (its own keys come first): the rest wait until it is closed. */
const WHILE_READING: ReadonlySet<Command> = new Set(['zoom', 'wrap', 'help', 'transcript', 'diff']);

export interface AppProps {
  store: TuiStore;
  client: Client;
  /** Called once when the user leaves this screen (quit, attach, editor); Ink then unmounts. */
  onLeave(to: Leave): void;
  providers: string[];
  cwd: string;
  /** The detach key as configured ("C-]"), for the help. */
  detachKey: string;
  /** Where the preview's rows are painted: the FrameWriter in front of the terminal. */
  paintPreview: OverlaySink;
  /** Turns the terminal's mouse reporting on (a reader is open: its wheel scrolls) or off. */
  reportMouse(on: boolean): void;
}

export function App({ store, client, onLeave, providers, cwd, detachKey, paintPreview, reportMouse }: AppProps) {
  const state = useTuiState(store);
  const { exit } = useApp();
  const { colour } = useTheme();
  const agent = selectedAgent(state);
  const previewed = previewedAgent(state);
  usePreviewFeed(client, store, previewed?.id, paintPreview, colour);
  useReadOnSight(client, store, state);

  const context = useMemo<TuiContext>(
    () => ({
      store,
      client,
      providers,
      cwd,
      leave(to) {
        onLeave(to);
        exit();
      },
    }),
    [store, client, providers, cwd, onLeave, exit],
  );
  const onKey = useCallback(
    (name: string, input: string) => {
      const { mode, pane, notice, reader } = store.getState();
      // A notice stays until the next key.
      if (notice) store.update((s) => ({ ...s, notice: undefined }));
      if (mode.kind !== 'normal') return dialogKey(context, mode, name, input);
      if (reader && readerKey(store, name)) return;
      const binding = bindingFor(name, pane);
      if (binding && (!reader || WHILE_READING.has(binding.command))) runCommand(binding.command, context);
    },
    [store, context],
  );
  const onInput = useCallback(
    (input: string, key: Key) => {
      const wheel = wheelOf(input);
      if (wheel) return store.getState().reader ? readerWheel(store, wheel) : undefined;
      if (input.length <= 1 || key.meta) return onKey(keyName(input, key), input);
      // Several keys at once: one by one, but a run of text into a text field in one go (a paste).
      for (const part of splitKeys(input)) {
        const typing = TEXT_MODES.has(store.getState().mode.kind);
        if (part.length > 1 && !typing) for (const char of part) onKey(char, char);
        else onKey(charName(part), part);
      }
    },
    [store, onKey],
  );
  useInput(onInput);
  const reading = state.reader !== undefined;
  useEffect(() => {
    if (!reading) return;
    reportMouse(true);
    return () => reportMouse(false);
  }, [reading, reportMouse]);

  const { cols, rows } = state.size;
  if (cols < MIN_SIZE.cols || rows < MIN_SIZE.rows) {
    return (
      <Box width={cols} height={rows}>
        <Text wrap="truncate-end">
          drover needs {MIN_SIZE.cols}×{MIN_SIZE.rows} at least (this is {cols}×{rows}); q quits
        </Text>
      </Box>
    );
  }
  const box = layout(state.size);
  const visible = visibleAgents(state);
  const { mode } = state;
  return (
    <Box flexDirection="column" width={cols} height={rows}>
      <Header counts={counts(state)} width={cols} unreachable={state.unreachable} stateWriteProblems={state.stateWriteProblems} />
      {mode.kind === 'help' ? (
        <HelpOverlay detachKey={detachKey} size={state.size} top={mode.top} />
      ) : fullScreen(state) ? (
        <Preview agent={agent} preview={state.preview} title={state.reader && readerTitle(state.reader, state)} width={cols} height={box.mainHeight + box.bottomHeight} full />
      ) : (
        <>
          {mode.kind === 'spawn' ? (
            <SpawnDialog form={mode.form} width={cols} height={box.mainHeight} />
          ) : (
            <Box height={box.mainHeight}>
              <AgentList
                agents={visible}
                total={state.agents.length}
                selected={agent?.id}
                focused={state.pane === 'agents'}
                filter={state.filter}
                unreachable={state.unreachable}
                width={box.listWidth}
                height={box.mainHeight}
              />
              <Preview agent={previewed} preview={state.preview} title={state.reader && readerTitle(state.reader, state)} width={box.previewWidth} height={box.mainHeight} />
            </Box>
          )}
          <Box height={box.bottomHeight}>
            <ApprovalsPane
              approvals={state.approvals}
              selected={selectedApproval(state)?.id}
              focused={state.pane === 'approvals'}
              width={box.approvalsWidth}
              height={box.bottomHeight}
            />
            <InboxPane
              messages={state.messages}
              selected={selectedMessage(state)?.id}
              focused={state.pane === 'inbox'}
              compose={mode.kind === 'compose' ? mode : undefined}
              width={box.inboxWidth}
              height={box.bottomHeight}
            />
          </Box>
        </>
      )}
      <StatusLine mode={mode} notice={state.notice} pane={state.pane} reading={state.reader !== undefined} selectedExited={agent?.status === 'exited'} width={cols} />
    </Box>
  );
}
