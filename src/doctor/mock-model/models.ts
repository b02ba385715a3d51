// GET */models and */models/<id>, in the flavour of the API the client speaks.
import type { IncomingHttpHeaders } from 'node:http';

export type ModelFlavour = 'anthropic' | 'openai' | 'gemini';

// The models the reference setups use, plus a neutral one.
const MODELS: Record<ModelFlavour, string[]> = {
  anthropic: ['mock-model', 'claude-sonnet-4-5', 'claude-opus-4-1'],
  openai: ['mock-model', 'gpt-5-codex', 'qwen3-coder-plus'],
  gemini: ['mock-model', 'gemini-2.5-pro', 'gemini-2.5-flash'],
};

export function modelFlavour(url: URL, headers: IncomingHttpHeaders): ModelFlavour {
  if (headers['anthropic-version'] || headers['x-api-key']) return 'anthropic';
  if (headers['x-goog-api-key'] || url.searchParams.has('key') || url.pathname.includes('/v1beta/')) return 'gemini';
  return 'openai';
}

/** The whole list, or one model: the mock serves whatever model it is asked for. */
export function models(flavour: ModelFlavour, url: URL, id?: string): unknown {
  if (id !== undefined) return model(flavour, id);
  const all = MODELS[flavour].map((m) => model(flavour, m));
  if (flavour === 'anthropic') {
    return { data: all, has_more: false, first_id: MODELS.anthropic[0], last_id: MODELS.anthropic.at(-1) };
  }
  if (flavour === 'gemini') return { models: all };
  // Codex asks with ?client_version= and reads `models` (its own metadata format); empty = none known.
  return { object: 'list', data: all, ...(url.searchParams.has('client_version') ? { models: [] } : {}) };
}

function model(flavour: ModelFlavour, id: string): unknown {
  if (flavour === 'anthropic') return { type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' };
  if (flavour === 'gemini') {
    return {
      name: `models/${id}`,
      displayName: id,
      inputTokenLimit: 1_048_576,
      outputTokenLimit: 65_536,
      supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
    };
  }
  return { id, object: 'model', created: 1_735_689_600, owned_by: 'mock' };
}
