// What the local engine needs of one language: the conversational intents with their answers, extra
// phrasings of the core commands, how a user asks for a command, the engine's own sentences, and the
// words that say nothing about a question's topic (for the knowledge file).
import type { ConversationIntent } from '../corpus.js';
import { normalize } from '../stemmer.js';

export interface LanguagePack {
  /** The same intents as the English corpus, in the same order, with the same commands. */
  readonly intents: readonly ConversationIntent[];
  /** More ways of asking for a core command than its description gives; used while it is registered. */
  readonly commandExamples: Readonly<Record<string, readonly string[]>>;
  /**
   * Everyday English words of plugin descriptions, each with the words this language says for it
   * (first the most common): a plugin's English "Weather forecast for a city" is also learnt as
   * "Wetter Vorhersage für Stadt". Words not listed are left out of the gloss.
   */
  readonly glossary: Readonly<Record<string, readonly string[]>>;
  /** Sentences about nothing the bot does, trained as nlp.js's "no intent" so that such talk finds none. */
  readonly offTopic: readonly string[];
  /**
   * How a user asks for a command, from its name and its description (plugin descriptions are in
   * English whatever the language): every command gets these, so they favour none.
   */
  readonly askFor: (name: string, description: string) => readonly string[];
  readonly notSure: (listing: string) => string;
  /** The answer that leads to a command; `description` is already trimmed. */
  readonly useCommand: (command: string, description: string) => string;
  /**
   * Words that answer or fill in without asking for anything ("ok", "no", "one"): a message of these
   * alone gets "not sure", however its letters resemble a trained sentence.
   */
  readonly fillers: ReadonlySet<string>;
  /** Lower-case words that say nothing about the topic of a question. */
  readonly stopwords: ReadonlySet<string>;
}

export function words(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter((word) => word !== ''));
}

/** The words as the engine's tokenizer writes them: lower case, without accents (й → и). */
export function plainWords(list: string): ReadonlySet<string> {
  return new Set([...words(list)].map(normalize));
}

/** "Use /pay — Pay for your order." with a full stop unless the description has its own. */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Glossed versions of an English description: the n-th takes each word's n-th rendering, or its last. */
export function glossed(description: string, glossary: LanguagePack['glossary']): string[] {
  const renderings = description
    .toLowerCase()
    .split(/[^a-z]+/)
    .map((word) => (Object.hasOwn(glossary, word) ? glossary[word] : undefined))
    .filter((found): found is readonly string[] => found !== undefined);
  if (renderings.length === 0) return [];
  const variants = Math.max(...renderings.map((found) => found.length));
  return Array.from({ length: variants }, (_, index) =>
    renderings.map((found) => found[Math.min(index, found.length - 1)]).join(' '),
  );
}
