/**
 * The protocol's version, in a module of its own so the lightest client (an agent's hook) can say
 * hello without loading the schemas. Bumped on any change an older peer would misread; a mismatch
 * means restarting the daemon.
 */
export const PROTOCOL_VERSION = 8;
