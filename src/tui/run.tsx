/**
 * The TUI session: connect (starting the daemon if needed), keep the store in step with it, and
 * show the Ink screen until the user quits; leave it for an attached agent or $EDITOR and come
 * back to the same place. Quitting leaves every agent running.
 */
import { render } from 'ink';
import type { Client } from '../client/client.ts';
import { parseDetachKey, passThrough } from '../client/passthrough.ts';
import { daemonLogPath } from '../store/paths.ts';
import { App } from './app.tsx';
import type { Leave } from './commands.ts';
import { linkDaemon } from './daemon-link.ts';
import { writeInEditor } from './editor.ts';
import { FrameWriter, type Overlay } from './frame-writer.ts';
import { Notifier } from './notify.ts';
import { ENTER_TUI, LEAVE_TUI } from './screen-modes.ts';
import { initialState, selectedAgent } from './state.ts';
import { TuiStore } from './store.ts';
import { ThemeContext, themeFromEnv } from './theme.ts';


/** What is in front of the user: notifications are for the agents that are not. */
type Surface = { kind: 'tui' } | { kind: 'attached'; agent: string } | { kind: 'editor' };

/** The session, on the connection `connecting` makes (started while this module loaded). */
export async function runTui(connecting: Promise<Client>): Promise<number> {
  const { stdin, stdout, stderr } = process;
  const client = await connecting;
  // The daemon reads the config; the TUI asks it for what it applies itself, and for what it can spawn.
  const [settings, { providers: launchable }] = await Promise.all([client.call('settings.get'), client.call('providers.list')]);
  const detachKey = parseDetachKey(settings.keybindings.detach);
  const size = () => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
  const store = new TuiStore(initialState(size()));
  let surface: Surface = { kind: 'tui' };
  const notifier = new Notifier({ config: settings.notify, write: (text) => stdout.write(text), onError: (error) => store.fail('notify command', error) });
  const link = linkDaemon(store, client, notifier, () =>
    surface.kind === 'attached' ? surface.agent : surface.kind === 'tui' ? selectedAgent(store.getState())?.id : undefined,
  );
  await link.load();

  let quitting = false;
  let daemonWentAway = false;
  let unmountInk: (() => void) | undefined;
  void client.closed.then(() => {
    if (quitting) return;
    daemonWentAway = true;
    unmountInk?.();
  });
  const onResize = () => store.update((s) => ({ ...s, size: size() }));
  stdout.on('resize', onResize);
  const providers = launchable.filter((p) => p.installed).map((p) => p.id);
  const theme = themeFromEnv();

  const showTui = async (): Promise<Leave> => {
    let requested: Leave = { kind: 'quit' }; // also Ctrl-C, and the daemon going away
    const screen = new FrameWriter(stdout);
    const paintPreview = (overlay: Overlay | undefined) => screen.setOverlay(overlay);
    const ink = render(
      <ThemeContext.Provider value={theme}>
        <App store={store} client={client} onLeave={(to) => (requested = to)} providers={providers} cwd={process.cwd()} detachKey={settings.keybindings.detach} paintPreview={paintPreview} />
      </ThemeContext.Provider>,
      { stdin, stdout: screen as unknown as NodeJS.WriteStream, exitOnCtrlC: true, patchConsole: false },
    );
    unmountInk = () => ink.unmount();
    try {
      await ink.waitUntilExit();
    } finally {
      unmountInk = undefined;
      screen.close();
    }
    return requested;
  };

  stdout.write(ENTER_TUI);
  try {
    while (!daemonWentAway) {
      const next = await showTui();
      if (next.kind === 'quit') break;
      if (next.kind === 'attach') {
        surface = { kind: 'attached', agent: next.agent };
        try {
          store.tell(`[${await passThrough({ client, agent: next.agent, detachKey, alternateScreen: false })}]`);
        } catch (error) {
          store.fail('attach', error);
        }
      } else {
        surface = { kind: 'editor' };
        stdout.write(LEAVE_TUI);
        try {
          await sendFromEditor(client, store, next.to);
        } finally {
          stdout.write(ENTER_TUI);
        }
      }
      surface = { kind: 'tui' };
    }
  } finally {
    quitting = true;
    stdout.off('resize', onResize);
    stdout.write(LEAVE_TUI);
    link.dispose();
    await client.close();
  }
  if (!daemonWentAway) return 0;
  stderr.write(`drover: the daemon went away (its log: ${daemonLogPath()})\n`);
  return 1;
}

async function sendFromEditor(client: Client, store: TuiStore, to: string): Promise<void> {
  try {
    const body = await writeInEditor();
    if (!body) return store.tell('nothing sent: the message was empty');
    await client.call('inbox.send', { to, body });
    store.tell(`queued for ${to}: delivered when it is ready`);
  } catch (error) {
    store.fail(`message to ${to}`, error);
  }
}
