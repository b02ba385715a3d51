/**
 * The TUI session: connect (starting the daemon if needed), keep the store in step with it, and
 * show the Ink screen until the user quits; leave it for an attached agent or $EDITOR and come
 * back to the same place, and ride out the daemon going away. Quitting leaves every agent running.
 */
import { render } from 'ink';
import type { Client } from '../client/client.ts';
import { parseDetachKey, passThrough } from '../client/passthrough.ts';
import { App } from './app.tsx';
import type { Leave } from './commands.ts';
import { linkDaemon } from './daemon-link.ts';
import { writeInEditor } from './editor.ts';
import { FrameWriter, type Overlay } from './frame-writer.ts';
import { Notifier } from './notify.ts';
import { ENTER_TUI, LEAVE_TUI } from './screen-modes.ts';
import { initialState, selectedAgent } from './state.ts';
import { describeError, TuiStore } from './store.ts';
import { ThemeContext, themeFromEnv } from './theme.ts';


/** What is in front of the user: notifications are for the agents that are not. */
type Surface = { kind: 'tui' } | { kind: 'attached'; agent: string } | { kind: 'editor' };

/** A new connection to the same daemon (this machine's, started when none answers, or a host's over ssh). */
export type Reconnect = () => Promise<Client>;

/** Back-off between failed reconnects: a daemon restarting is back at once, a host that is down is not asked every second. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 8000;

/**
 * The session, on the connection `connecting` makes (started while this module loaded). When the
 * connection drops the TUI stays, says it is reconnecting, greys what it last heard and connects
 * again with back-off: the same pane and selection come back with the daemon.
 */
export async function runTui(connecting: Promise<Client>, reconnect: Reconnect): Promise<number> {
  const { stdin, stdout } = process;
  let client = await connecting;
  // The daemon reads the config; the TUI asks it for what it applies itself, and for what it can spawn.
  const [settings, { providers: launchable }] = await Promise.all([client.call('settings.get'), client.call('providers.list')]);
  const detachKey = parseDetachKey(settings.keybindings.detach);
  const size = () => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
  const store = new TuiStore(initialState(size()));
  let surface: Surface = { kind: 'tui' };
  const notifier = new Notifier({ config: settings.notify, write: (text) => stdout.write(text), onError: (error) => store.fail('notify command', error) });
  const agentOnScreen = () =>
    surface.kind === 'attached' ? surface.agent : surface.kind === 'tui' ? selectedAgent(store.getState())?.id : undefined;
  let link = linkDaemon(store, client, notifier, agentOnScreen);
  await link.load();

  let quitting = false;
  /** Ends a back-off wait early: the user quit. */
  let wake = () => {};
  /** Shows the App on the current connection, when Ink is up. */
  let rerenderInk: (() => void) | undefined;
  const reconnectUntilQuit = async () => {
    link.dispose();
    store.update((s) => ({ ...s, unreachable: 'the connection to the daemon closed' }));
    for (let delay = FIRST_RETRY_MS; !quitting; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      try {
        const next = await reconnect();
        if (quitting) return void next.close();
        client = next;
        link = linkDaemon(store, client, notifier, agentOnScreen);
        await link.load();
        store.update((s) => ({ ...s, unreachable: undefined }));
        store.tell('reconnected');
        watch(client);
        rerenderInk?.();
        return;
      } catch (error) {
        store.update((s) => ({ ...s, unreachable: `${describeError(error)} (next try in ${(delay / 1000).toFixed(1)} s)` }));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  };
  const watch = (connection: Client) =>
    void connection.closed.then(() => {
      if (!quitting) void reconnectUntilQuit();
    });
  watch(client);

  const onResize = () => store.update((s) => ({ ...s, size: size() }));
  stdout.on('resize', onResize);
  const providers = launchable.filter((p) => p.installed).map((p) => p.id);
  const theme = themeFromEnv();

  const showTui = async (): Promise<Leave> => {
    let requested: Leave = { kind: 'quit' }; // also Ctrl-C
    const screen = new FrameWriter(stdout);
    const paintPreview = (overlay: Overlay | undefined) => screen.setOverlay(overlay);
    const app = () => (
      <ThemeContext.Provider value={theme}>
        <App store={store} client={client} onLeave={(to) => (requested = to)} providers={providers} cwd={process.cwd()} detachKey={settings.keybindings.detach} paintPreview={paintPreview} />
      </ThemeContext.Provider>
    );
    const ink = render(app(), { stdin, stdout: screen as unknown as NodeJS.WriteStream, exitOnCtrlC: true, patchConsole: false });
    rerenderInk = () => ink.rerender(app());
    try {
      await ink.waitUntilExit();
    } finally {
      rerenderInk = undefined;
      screen.close();
    }
    return requested;
  };

  stdout.write(ENTER_TUI);
  try {
    for (;;) {
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
    wake();
    stdout.off('resize', onResize);
    stdout.write(LEAVE_TUI);
    link.dispose();
    await client.close();
  }
  return 0;
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
