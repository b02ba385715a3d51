/**
 * `drover` with no verb on a terminal: the TUI. Ink and React load here, on demand, so the
 * scripting verbs do not pay for them.
 */

/**
 * Imports a module that loads Ink and React, with the environment they read once, as they load,
 * set for a terminal UI: React's production build (the development one checks and warns on every
 * render), and Ink out of its CI mode (where it prints only its last frame). The environment is
 * put back at once: the daemon and the editor started from here inherit it.
 */
export async function importWithInk<T>(load: () => Promise<T>): Promise<T> {
  const { env } = process;
  const saved = { CI: env.CI, CONTINUOUS_INTEGRATION: env.CONTINUOUS_INTEGRATION, NODE_ENV: env.NODE_ENV };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  env.NODE_ENV ??= 'production';
  try {
    return await load();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
  }
}

export async function openTui(): Promise<number> {
  const { runTui } = await importWithInk(() => import('./run.tsx'));
  return runTui();
}
