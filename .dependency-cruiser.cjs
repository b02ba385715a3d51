/**
 * drover's architecture, checked on every `npm test`: the folder list is the architecture, and
 * these are its arrows. Data flows one way — bytes → screen → signals → status → events → store
 * / UI — so each folder may import only the folders below it:
 *
 *   terminal   status                      (the bottom: they know nothing of drover)
 *   providers → status                     (detect / read / integrate, per CLI)
 *   store     → status                     (lowdb + zod state, config, lock, paths)
 *   protocol  → status, and terminal/lines.ts and size.ts alone (the wire, shared by both ends)
 *   engine    → terminal status providers store protocol
 *   daemon    → engine and everything below it
 *   client    → protocol status, and store/paths.ts and lock.ts alone (to find the socket, and a
 *               daemon still starting)
 *   tui       → client protocol status, and store/paths.ts alone
 *   doctor    → client protocol providers status, and store/paths.ts alone (drover doctor: a client
 *               that runs a real CLI against the mock model under a daemon of its own)
 *   doctor/mock-model                      (the scripted model server: imports nothing of drover)
 *   cli       → anything; nothing imports cli, and only cli imports tui
 *
 * src/errors.ts (UserError, the one-line error model) may be imported by every folder and imports
 * nothing of drover. A violation names the offending import.
 */
const below = {
  terminal: [],
  status: [],
  providers: ['status'],
  store: ['status'],
  protocol: ['status'],
  engine: ['terminal', 'status', 'providers', 'store', 'protocol'],
  daemon: ['engine', 'terminal', 'status', 'providers', 'store', 'protocol'],
  client: ['protocol', 'status'],
  tui: ['client', 'protocol', 'status'],
  doctor: ['client', 'protocol', 'providers', 'status'],
  'doctor/mock-model': [],
};

/**
 * Leaves a folder may import from a folder it is not above: modules that import only Node's own,
 * so they bring nothing along (the terminal folder's others load @xterm and node-pty).
 */
const leaves = {
  // Clients find the daemon's socket through store/paths.ts, a leaf of pure functions, and read the
  // detach key by the config's own rule (store/detach-key.ts, which imports nothing); a starter whose
  // daemon lost the race reads who holds the lock (store/lock.ts, node built-ins only).
  client: ['src/store/paths.ts', 'src/store/detach-key.ts', 'src/store/lock.ts'],
  tui: ['src/store/paths.ts', 'src/store/detach-key.ts'],
  doctor: ['src/store/paths.ts'],
  // Framing splits lines with the bounded splitter the asciicast reader uses; the schema bounds a
  // terminal's size where the asciicast reader does.
  protocol: ['src/terminal/lines.ts', 'src/terminal/size.ts'],
};

/** A module path under src/ that is in none of `folders` (nor the shared error model). */
const outside = (folders) => `^src/(?!(?:${folders.join('|')})/|errors\\.ts$)`;

const layerRules = Object.entries(below).map(([folder, allowed]) => ({
  name: `layer-${folder}`,
  severity: 'error',
  comment: `src/${folder} may import only ${allowed.length ? allowed.map((f) => `src/${f}`).join(', ') : 'nothing else of drover'} (and src/errors.ts)`,
  from: { path: `^src/${folder}/` },
  to: {
    path: outside([folder, ...allowed]),
    ...(leaves[folder] ? { pathNot: `^(?:${leaves[folder].map((file) => file.replace(/\./g, '\\.')).join('|')})$` } : {}),
  },
}));

/** Packages only one folder may load: what keeps a client light and the layers honest. */
const packageHomes = [
  { pkg: 'node-pty', home: 'terminal', why: 'the PTY lives in src/terminal' },
  { pkg: '@xterm', home: 'terminal', why: 'the emulator lives in src/terminal' },
  { pkg: 'lowdb', home: 'store', why: 'the state file is the store’s' },
  { pkg: 'ink|react', home: 'tui', why: 'Ink is the TUI’s' },
];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a module that imports itself through others: break the cycle (move the shared piece down a layer)',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'errors-is-a-leaf',
      severity: 'error',
      comment: 'src/errors.ts imports nothing of drover, so every folder may use it',
      from: { path: '^src/errors\\.ts$' },
      to: { path: '^src/' },
    },
    ...layerRules,
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      comment: 'src/cli is the top: the verbs import the rest, never the other way',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'only-cli-opens-the-tui',
      severity: 'error',
      comment: 'the TUI is a client started by `drover`; nothing else loads it',
      from: { path: '^src/', pathNot: '^src/(cli|tui)/' },
      to: { path: '^src/tui/' },
    },
    ...packageHomes.map(({ pkg, home, why }) => ({
      name: `only-${home}-loads-${pkg.replace(/[^a-z]+/g, '-')}`,
      severity: 'error',
      comment: why,
      from: { path: '^src/', pathNot: `^src/${home}/` },
      to: { path: `node_modules/(?:${pkg})(?:/|$)`, dependencyTypesNot: ['type-only'] },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: an arrow is an arrow, whether or not it survives compilation.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js'],
    },
  },
};
