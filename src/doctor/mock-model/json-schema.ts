// The smallest value that fits a JSON schema: aux requests asking for JSON get one, and
// required tool arguments the scenario does not give are filled with one.
import { isObject } from './json.ts';
import type { JsonSchema } from './types.ts';

const MAX_DEPTH = 16;

export function minimalValue(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (!isObject(schema) || depth > MAX_DEPTH) return null;
  const ref = schema['$ref'];
  if (typeof ref === 'string') return minimalValue(resolveRef(ref, root), root, depth + 1);
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0];
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) return minimalValue(options[0], root, depth + 1);
  }
  switch (typeOf(schema)) {
    case 'object': {
      const props = isObject(schema['properties']) ? schema['properties'] : {};
      const required = Array.isArray(schema['required']) ? schema['required'] : [];
      const out: Record<string, unknown> = {};
      for (const key of required) {
        if (typeof key === 'string') out[key] = minimalValue(props[key], root, depth + 1);
      }
      return out;
    }
    case 'array': {
      const n = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
      return Array.from({ length: n }, () => minimalValue(schema['items'], root, depth + 1));
    }
    case 'string': {
      const min = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
      return 'mock'.padEnd(min, 'k');
    }
    case 'integer':
    case 'number':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/** Lower-cased type name; Gemini schemas say OBJECT, STRING...; a type list picks its first non-null. */
function typeOf(schema: JsonSchema): string | undefined {
  let type = schema['type'];
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? type[0];
  if (typeof type === 'string') return type.toLowerCase();
  if (isObject(schema['properties'])) return 'object';
  return undefined;
}

function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    node = isObject(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return node;
}
