/**
 * Stands in for Ink's build/measure-text.js in drover's bundle (scripts/build.mjs): the same
 * measurement, but its cache of every text ever laid out is bounded. Ink's own keeps each distinct
 * text forever, and a TUI that runs for days lays out a new text every second (a clock, "12s in
 * working"), so its memory only grows.
 */
import widestLine from 'widest-line';

export const MAX_CACHED_TEXTS = 4096;
const cache = new Map();

const measureText = (text) => {
  if (text.length === 0) return { width: 0, height: 0 };
  let dimensions = cache.get(text);
  if (dimensions) return dimensions;
  dimensions = { width: widestLine(text), height: text.split('\n').length };
  // Oldest first out (a Map keeps insertion order): what is on screen now is laid out again soon.
  if (cache.size >= MAX_CACHED_TEXTS) cache.delete(cache.keys().next().value);
  cache.set(text, dimensions);
  return dimensions;
};

export function cachedTexts() {
  return cache.size;
}

export default measureText;
