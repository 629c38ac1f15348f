// `omnicore plugins config <name> [key=value…]`: shows the configuration a plugin runs with (its
// schema's defaults applied) and the keys its schema has, or changes some of them. A key the schema
// does not have is refused by name instead of being dropped silently by the schema's parse.
import type { PluginHost } from '../plugins/host.js';
import type { PluginStore } from '../plugins/store.js';
import { UsageError } from './usage.js';

/** The configuration shown, as `key = value` lines, with each key the schema knows. */
export async function describePluginConfig(host: PluginHost, store: PluginStore, name: string): Promise<string> {
  const { effective, keys } = await effectiveConfig(host, store, name);
  const shown = keys ?? Object.keys(effective);
  if (shown.length === 0) return `${name} has no configuration`;
  return shown
    .map((key) => (key in effective ? `${key} = ${JSON.stringify(effective[key])}` : `${key} (not set)`))
    .join('\n');
}

/** Validates `pairs` against the plugin's schema and stores them; returns the keys set. */
export async function changePluginConfig(
  host: PluginHost,
  store: PluginStore,
  name: string,
  pairs: string[],
): Promise<string[]> {
  const { stored, keys } = await effectiveConfig(host, store, name);
  const next = { ...stored };
  const changed: string[] = [];
  for (const pair of pairs) {
    const [key, ...rest] = pair.split('=');
    if (!key || rest.length === 0) throw new UsageError(`"${pair}" is not key=value`);
    if (keys && !keys.includes(key)) {
      throw new Error(`${name} has no setting "${key}" (it has: ${keys.join(', ') || 'none'})`);
    }
    next[key] = parseValue(rest.join('='));
    changed.push(key);
  }
  await host.configure(name, next);
  return changed;
}

async function effectiveConfig(host: PluginHost, store: PluginStore, name: string) {
  const { schema } = host.configuration(name);
  const row = (await store.all()).find((entry) => entry.name === name);
  const stored = JSON.parse(row?.config ?? '{}') as Record<string, unknown>;
  const parsed = schema?.safeParse(stored);
  const effective = (parsed?.success ? parsed.data : stored) as Record<string, unknown>;
  return { stored, effective, keys: schemaKeys(schema) };
}

/** The keys of an object schema; undefined when the schema is not one (any key is then allowed). */
function schemaKeys(schema: unknown): string[] | undefined {
  const shape = (schema as { shape?: unknown } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : undefined;
}

/** `5` is a number, `true` a boolean, `["a"]` a list; anything that is not JSON is a string. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
