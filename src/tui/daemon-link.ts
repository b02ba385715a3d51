/**
 * Keeps the store in step with the daemon: the agents, inbox and approvals once, then every event.
 * A list the daemon cannot give (an older daemon) is a line on the status bar, not a crash.
 */
import type { Client } from '../client/client.ts';
import type { Notifier } from './notify.ts';
import { inboxOrder, withAgent, withApproval, withMessage, withoutAgent, withStateWriteProblem, withStatus } from './state.ts';
import type { TuiStore } from './store.ts';

export interface DaemonLink {
  /** Loads the three lists; failures go to the status bar. */
  load(): Promise<void>;
  dispose(): void;
}

export function linkDaemon(store: TuiStore, client: Client, notifier: Notifier, agentOnScreen: () => string | undefined): DaemonLink {
  const refreshAgents = async () => {
    try {
      const { agents } = await client.call('agents.list');
      store.update((s) => ({ ...s, agents }));
    } catch (error) {
      store.fail('agents.list', error);
    }
  };
  // An exit brings its code, a relaunch a new pid: the summary, not just the status, changed.
  const refreshAgent = (id: string) =>
    client.call('agents.get', { agent: id }).then(
      (agent) => store.update((s) => withAgent(s, agent)),
      () => {},
    );

  const offs = [
    client.on('event.status', (event) => {
      const before = store.getState().agents.find((a) => a.id === event.agent);
      const next = withStatus(store.getState(), event.agent, event.status, event.at);
      if (next) store.update(() => next);
      else void refreshAgents();
      if (event.status === 'exited' || event.status === 'starting') void refreshAgent(event.agent);
      notifier.statusChanged({ id: event.agent, name: before?.name ?? event.agent }, before?.status, event.status, agentOnScreen() === event.agent);
    }),
    // Renamed (its summary changed) or removed.
    client.on('event.agent', (event) => (event.removed ? store.update((s) => withoutAgent(s, event.agent)) : void refreshAgent(event.agent))),
    client.on('event.inbox', (message) => store.update((s) => withMessage(s, message))),
    client.on('event.approvals', (approval) => store.update((s) => withApproval(s, approval))),
    client.on('event.state', ({ writeProblem, host = '' }) => store.update((s) => withStateWriteProblem(s, host, writeProblem))),
  ];

  return {
    async load() {
      const [agents, inbox, approvals, daemon] = await Promise.allSettled([
        client.call('agents.list'),
        client.call('inbox.list', {}),
        client.call('approvals.list', {}),
        client.call('daemon.status'),
      ]);
      if (agents.status === 'fulfilled') store.update((s) => ({ ...s, agents: agents.value.agents }));
      if (inbox.status === 'fulfilled') store.update((s) => ({ ...s, messages: inboxOrder(inbox.value.messages) }));
      if (approvals.status === 'fulfilled') store.update((s) => ({ ...s, approvals: approvals.value.approvals }));
      // This machine's daemon (the herd asks it); a host's problem arrives as its event.state.
      if (daemon.status === 'fulfilled') store.update((s) => withStateWriteProblem(s, '', daemon.value.stateWriteProblem));
      const failed = [['agents.list', agents], ['inbox.list', inbox], ['approvals.list', approvals]] as const;
      for (const [method, result] of failed) if (result.status === 'rejected') store.fail(method, result.reason);
    },
    dispose() {
      for (const off of offs) off();
    },
  };
}
