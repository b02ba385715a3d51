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
import { linkDaemon, type DaemonLink } from './daemon-link.ts';
import { writeInEditor } from './editor.ts';
import { FrameWriter, type Overlay } from './frame-writer.ts';
import { Herd, type HerdHost } from './herd.ts';
import { Notifier } from './notify.ts';
import { ENTER_TUI, LEAVE_TUI, MOUSE_OFF, MOUSE_ON } from './screen-modes.ts';
import { heardFrom, initialState, previewedAgent } from './state.ts';
import { TuiStore } from './store.ts';
import { ThemeContext, themeFromEnv } from './theme.ts';

/** What is in front of the user: notifications are for the agents that are not. */
type Surface = { kind: 'tui' } | { kind: 'attached'; agent: string } | { kind: 'editor' };

/**
 * The session, on the connection `connecting` makes (started while this module loaded), with the
 * hosts `listHosts` names beside it (the config's `hosts` and `--host`), as one herd: one agent
 * list, one approvals queue and one inbox. A connection that drops is retried by itself with
 * back-off while the TUI stays, says what is out of reach and greys its agents; the pane and
 * selection are kept.
 */
export async function runTui(connecting: Promise<Client>, reconnect: () => Promise<Client>, listHosts: () => Promise<HerdHost[]>): Promise<number> {
  const { stdin, stdout } = process;
  const local = await connecting;
  // The daemon reads the config; the TUI asks it for what it applies itself, and for what it can spawn.
  const [settings, { providers: launchable }, hosts] = await Promise.all([local.call('settings.get'), local.call('providers.list'), listHosts()]);
  const detachKey = parseDetachKey(settings.keybindings.detach);
  const size = () => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
  const store = new TuiStore(initialState(size()));
  let surface: Surface = { kind: 'tui' };
  const notifier = new Notifier({ config: settings.notify, write: (text) => stdout.write(text), onError: (error) => store.fail('notify command', error) });
  const agentOnScreen = () =>
    surface.kind === 'attached' ? surface.agent : surface.kind === 'tui' ? previewedAgent(store.getState())?.id : undefined;
  let link: DaemonLink | undefined;
  const herd: Herd = new Herd(local, reconnect, hosts, {
    changed() {
      store.update((s) => ({ ...s, unreachable: herd.unreachable() }));
      void link?.load();
    },
    reconnected: (host) => store.tell(host ? `reconnected to ${host}` : 'reconnected'),
    lastHeard: (host) => heardFrom(store.getState(), host),
  });
  link = linkDaemon(store, herd, notifier, agentOnScreen);
  await link.load();

  const onResize = () => store.update((s) => ({ ...s, size: size() }));
  stdout.on('resize', onResize);
  const installed = launchable.filter((p) => p.installed).map((p) => p.id);
  // This machine's daemon remembers where each provider was last spawned: the dialog's default folder.
  const spawnFolders = Object.fromEntries(launchable.flatMap((p) => (p.lastCwd ? [[p.id, p.lastCwd]] : [])));
  store.update((s) => ({ ...s, spawnFolders }));
  // Spawn asks which host with the provider: `box:claude`. What a host lacks, its daemon refuses in one line.
  const providers = [...installed, ...hosts.flatMap((host) => installed.map((id) => `${host.name}:${id}`))];
  const theme = themeFromEnv();

  const showTui = async (): Promise<Leave> => {
    let requested: Leave = { kind: 'quit' }; // also Ctrl-C
    const screen = new FrameWriter(stdout);
    const paintPreview = (overlay: Overlay | undefined) => screen.setOverlay(overlay);
    const reportMouse = (on: boolean) => stdout.write(on ? MOUSE_ON : MOUSE_OFF);
    const ink = render(
      <ThemeContext.Provider value={theme}>
        <App store={store} client={herd} onLeave={(to) => (requested = to)} providers={providers} cwd={process.cwd()} detachKey={settings.keybindings.detach} paintPreview={paintPreview} reportMouse={reportMouse} />
      </ThemeContext.Provider>,
      { stdin, stdout: screen as unknown as NodeJS.WriteStream, exitOnCtrlC: true, patchConsole: false },
    );
    try {
      await ink.waitUntilExit();
    } finally {
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
          // Straight to the agent's own daemon: its connection dropping ends the attach.
          const { client, ref, host } = herd.route(next.agent);
          if (!client) throw new Error(`${host || 'the daemon'} is out of reach`);
          store.tell(`[${await passThrough({ client, agent: ref, detachKey, alternateScreen: false })}]`);
        } catch (error) {
          store.fail('attach', error);
        }
      } else {
        surface = { kind: 'editor' };
        stdout.write(LEAVE_TUI);
        try {
          await sendFromEditor(herd, store, next.to);
        } finally {
          stdout.write(ENTER_TUI);
        }
      }
      surface = { kind: 'tui' };
    }
  } finally {
    stdout.off('resize', onResize);
    stdout.write(LEAVE_TUI);
    link.dispose();
    await herd.close();
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
