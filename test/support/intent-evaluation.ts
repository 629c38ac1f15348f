// Held-out evaluation of the local conversation engine, shared by the accuracy tests and the intents
// section of the bench: the engine trained as the bot trains it (core commands and the test plugins'
// commands), then every labelled sentence of a language's held-out set put to it.
import { pino } from 'pino';
import { LocalEngine } from '../../src/ai/local/engine.js';
import { LANGUAGE_PACKS } from '../../src/ai/local/languages/index.js';
import { normalize } from '../../src/ai/local/stemmer.js';
import { CORE_COMMANDS } from '../../src/bot/pipeline.js';
import type { Language } from '../../src/config/settings-catalog.js';
import { CommandRegistry } from '../../src/core/command-registry.js';
import orders from '../ai/fixtures/plugins/orders/commands.json' with { type: 'json' };
import weather from '../ai/fixtures/plugins/weather/commands.json' with { type: 'json' };

export type HeldOutSet = readonly (readonly [text: string, intent: string])[];

export interface Miss {
  readonly text: string;
  readonly expected: string;
  readonly got: string;
  readonly confidence: number;
}

export interface Evaluation {
  readonly total: number;
  readonly correct: number;
  readonly misses: readonly Miss[];
  /** Per expected intent: how many sentences, how many right. */
  readonly byIntent: ReadonlyMap<string, { total: number; correct: number }>;
}

/** An engine on the core commands and the test plugins' (orders, weather), trained; `close()` it after. */
export async function trainedEngine(dataDir = '/nonexistent'): Promise<LocalEngine> {
  const registry = new CommandRegistry();
  for (const command of CORE_COMMANDS) registry.add({ ...command.info, source: 'core' });
  for (const info of orders) registry.add({ ...info, adminOnly: false, source: 'orders' });
  for (const info of weather) registry.add({ ...info, adminOnly: false, source: 'weather' });
  const engine = new LocalEngine({ registry, dataDir, log: pino({ level: 'silent' }), retrainDelayMs: 0 });
  await engine.trained();
  return engine;
}

/** Lower-case letters and digits only: "Hallo, Bot!" and "hallo bot" are the same sentence. */
function bare(text: string): string {
  return normalize(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The sentences of `set` that the language's engine is never trained on, and those it is. */
export function splitBySeen(set: HeldOutSet, language: Language): { unseen: HeldOutSet; trained: HeldOutSet } {
  const pack = LANGUAGE_PACKS[language];
  const corpus = new Set(
    [
      ...pack.intents.flatMap((intent) => intent.utterances),
      ...Object.values(pack.commandExamples).flat(),
      ...pack.offTopic,
    ].map(bare),
  );
  return {
    unseen: set.filter(([text]) => !corpus.has(bare(text))),
    trained: set.filter(([text]) => corpus.has(bare(text))),
  };
}

export async function evaluate(engine: LocalEngine, set: HeldOutSet, language: Language): Promise<Evaluation> {
  const misses: Miss[] = [];
  const byIntent = new Map<string, { total: number; correct: number }>();
  for (const [text, expected] of set) {
    const { intent, confidence } = await engine.understand(text, { isAdmin: true, language });
    const counts = byIntent.get(expected) ?? { total: 0, correct: 0 };
    counts.total += 1;
    if (intent === expected) counts.correct += 1;
    else misses.push({ text, expected, got: intent, confidence });
    byIntent.set(expected, counts);
  }
  return { total: set.length, correct: set.length - misses.length, misses, byIntent };
}

/** "expected → got" pairs among the misses, most frequent first. */
export function confusionPairs(misses: readonly Miss[]): [pair: string, count: number][] {
  const counts = new Map<string, number>();
  for (const { expected, got } of misses) {
    const pair = `${expected} → ${got}`;
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)}%`;
}
