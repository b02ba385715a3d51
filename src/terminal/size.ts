/**
 * The largest terminal drover emulates. The emulator allocates every cell of its size: asked for
 * 20000x20000 it held the daemon 40 s and 5 GB, and a recording whose header said 100000x100000
 * took a replay to 18.6 GB. Far wider and taller than any screen a person reads.
 *
 * Imports nothing, so the protocol's schema may use it too (.dependency-cruiser.cjs).
 */
export const MAX_COLS = 1000;
export const MAX_ROWS = 500;
