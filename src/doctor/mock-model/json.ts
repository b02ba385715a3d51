// Helpers for reading untyped JSON request bodies.

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asObject(v: unknown): Json {
  return isObject(v) ? v : {};
}

export function asString(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
