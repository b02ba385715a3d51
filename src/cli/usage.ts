/** Every verb's usage, in one module the help text can load without loading the verbs. */

export const agentsUsage = `drover spawn PROVIDER [--name NAME] [--cwd DIR] [--prompt TEXT] [--worktree BRANCH] [--json] [-- ARGS...]
  drover ls [--json]            the agents and their status
  drover status NAME [--json]   one agent
  drover screen NAME [--json]   its composited screen
  drover last NAME [--json]     its answer in its latest turn, whole (from the CLI's transcript, else its screen)
  drover kill NAME [--force] [--remove-worktree]   stop it (hang up, SIGKILL after 3 s; --force at once)
  drover rm NAME | --all-exited [--json]   forget an exited agent (its recordings stay; its queued messages fail)
  drover mv OLD NEW [--json]    rename an agent, running or not (messages queued to OLD follow it)
  drover explain NAME [--json]  which status rule wins on its screen, on what text
  drover logs NAME [--text] [--json]   the path of its terminal recording (asciicast); --text: the recording as text
  drover diff NAME [-- GIT-DIFF-ARGS]  what it changed in its folder, by git (diff against HEAD, then untracked files)
  drover restart NAME           start it again with the same settings (kills it first if it runs)
  drover resume NAME            relaunch an exited agent into its session (claude --resume <id>, codex resume <id>, …)
  drover hook PROVIDER EVENT    (run by an agent's own hooks, injected per launch; always exits 0)`;

export const inboxUsage = `drover send NAME TEXT [--wait] [--json]   queue a message; it goes in when NAME is ready (--wait: until it has)
  drover send NAME --keys KEYS    type keystrokes into NAME now, whatever its status (escapes: \\r \\e \\t \\xHH)
  drover inbox [--all] [--json]   queued and failed messages, and your notices, new or read (--all: delivered
                                  and dismissed ones too); what it shows you (not --json) counts as read
  drover inbox retry ID           queue a failed message again (after checking it did not reach the agent)
  drover inbox dismiss ID… | --read   take notices out of your inbox: those named, or every one read
  drover approvals [--all] [--json]   permission requests waiting for you, across agents
  drover approve ID [--always] [--json]   answer yes (--always: the agent's "don't ask again", when it offers one)
  drover deny ID [--json]         answer no`;

export const remoteUsage = `drover --host HOST VERB ...     any agent verb on HOST's daemon, over ssh (also DROVER_HOST=HOST);
                                  HOST: a name from the config's hosts, or an ssh destination
  drover [--host HOST]...         the TUI over this machine's daemon, the config's hosts and each HOST
  drover dial-stdio               (run by a remote drover over ssh: stdin/stdout joined to this machine's daemon)`;

export const mcpUsage = `drover mcp                      (run by agents: drover's MCP server, registered per launch)`;

export const attachUsage = `drover attach NAME [--detach-key C-]]   the agent's terminal, full screen; the detach key leaves it running`;

export const daemonUsage = `drover daemon [stop [--keep-agents] | restart | reload | status] [--json] | drover daemon --reset-store
  Runs the daemon in the foreground (every other verb starts it in the background when needed).
  stop: stops it and its agents (--keep-agents: they go on in the PTY host for the next daemon);
  restart: a new daemon (new code) that adopts the running agents; reload: reads config.json again
  (the daemon also does when the file changes); status: is it running; --reset-store: moves a state
  file the daemon refuses aside (never deleted) so it can start afresh.`;

export const recordUsage = `drover record [--out FILE.cast] [--cols N --rows N] -- CMD [ARGS...]
  Run CMD in a pseudo-terminal, passed through to this terminal, and record it as asciicast v2
  (output, input and resizes). With --cols/--rows the size is fixed; otherwise it follows this terminal.`;

export const replayUsage = `drover replay FILE.cast [--provider ID] [--format screen|jsonl|text|explain] [--at SECONDS] [--config FILE]
  Feed a recording through drover's pipeline on a virtual clock.
  screen: the final composited screen; jsonl: {"t","status","rule","detail"} per status change;
  text: the status timeline with the rule that decided each change (default);
  explain: for the last screen, the winning rule, the region text it read, and every rule that matched.
  --at stops the replay that many seconds into the recording. Providers and rule overrides come from
  the config ($XDG_CONFIG_HOME/drover/config.json, or --config FILE).`;

export const doctorUsage = `drover doctor [PROVIDER...] [--bin PATH] [--size COLSxROWS] [--keep DIR]
  Run each installed agent CLI (default: every one drover knows that is on PATH; --bin: this binary,
  for one PROVIDER) against drover's own mock model in a throwaway HOME, through the standard
  scenarios (idle, answer, permission, deny, question, error, interrupt), and print per state whether
  drover recognised it and how fast. Its terminal recording is kept in DIR (default
  $XDG_STATE_HOME/drover/doctor) for a bug report. Exit code 1 if a state was not recognised.`;
