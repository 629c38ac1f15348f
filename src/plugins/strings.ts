// A plugin's words in the user's language: looks a key up in the plugin's own string table (the
// user's language, else English, else the key itself, so a missing translation shows rather than
// breaks), picks a plural form by the `count` param, and fills `{name}` placeholders.
import type { PluginString, PluginStrings, StringParams } from './api.js';

export type Translate = (language: string, key: string, params?: StringParams) => string;

export function translator(strings: PluginStrings | undefined): Translate {
  const rules = new Map<string, Intl.PluralRules>();
  const pluralRules = (language: string): Intl.PluralRules => {
    let found = rules.get(language);
    if (!found) {
      found = new Intl.PluralRules(language);
      rules.set(language, found);
    }
    return found;
  };
  return (language, key, params = {}) => {
    const [entry, from] = lookUp(strings, language, key) ?? lookUp(strings, 'en', key) ?? [key, 'en'];
    const text = typeof entry === 'string' ? entry : pluralForm(entry, pluralRules(from), params.count);
    return text.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : placeholder,
    );
  };
}

/** The entry and the language it is in; own keys only, so that `toString` is not a string. */
function lookUp(strings: PluginStrings | undefined, language: string, key: string): [PluginString, string] | undefined {
  const table = strings && Object.hasOwn(strings, language) ? strings[language] : undefined;
  const entry = table && Object.hasOwn(table, key) ? table[key] : undefined;
  return entry === undefined ? undefined : [entry, language];
}

function pluralForm(forms: Exclude<PluginString, string>, rules: Intl.PluralRules, count: unknown): string {
  if (typeof count !== 'number') return forms.other;
  return forms[rules.select(count)] ?? forms.other;
}
