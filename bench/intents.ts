// The intents section of `npm run bench` (BENCH_ONLY=intents): the local conversation engine on each
// language's held-out set (never trained on), trained as the bot trains it: accuracy per language
// and per intent, and the most frequent confusions. Markdown lines, printed and kept for BENCHMARKS.md.
import type { Language } from '../src/config/settings-catalog.js';
import { HELD_OUT_DE } from '../test/ai/held-out.de.js';
import { HELD_OUT_ES } from '../test/ai/held-out.es.js';
import { HELD_OUT } from '../test/ai/held-out.js';
import { HELD_OUT_RU } from '../test/ai/held-out.ru.js';
import {
  confusionPairs,
  type Evaluation,
  evaluate,
  type HeldOutSet,
  percent,
  trainedEngine,
} from '../test/support/intent-evaluation.js';

export const INTENTS_SECTION = 'intents';
const SETS: readonly (readonly [Language, HeldOutSet])[] = [
  ['en', HELD_OUT],
  ['de', HELD_OUT_DE],
  ['es', HELD_OUT_ES],
  ['ru', HELD_OUT_RU],
];
/** Confusion pairs shown per language. */
const TOP_PAIRS = 5;

export type IntentsRun = string[];

export async function runIntentsBench(log: (line: string) => void): Promise<IntentsRun> {
  const started = performance.now();
  const engine = await trainedEngine();
  const trainingMs = performance.now() - started;
  const results = new Map<Language, Evaluation>();
  try {
    for (const [language, set] of SETS) results.set(language, await evaluate(engine, set, language));
  } finally {
    engine.close();
  }
  const lines = [
    `Trained on the core commands and the test plugins' (orders, weather) in ${Math.round(trainingMs)} ms for the four languages; "none" marks sentences the bot should say it is unsure of.`,
    '',
    `| | ${SETS.map(([language]) => language).join(' | ')} |`,
    `|---|${SETS.map(() => '---:').join('|')}|`,
    `| **accuracy** | ${SETS.map(([language]) => cell(results.get(language))).join(' | ')} |`,
    ...intentsOf(results).map(
      (intent) =>
        `| ${intent} | ${SETS.map(([language]) => cell(results.get(language)?.byIntent.get(intent))).join(' | ')} |`,
    ),
    '',
    'Most frequent confusions (expected → answered):',
    '',
    ...SETS.map(([language]) => {
      const pairs = confusionPairs((results.get(language) as Evaluation).misses).slice(0, TOP_PAIRS);
      return `- ${language}: ${pairs.map(([pair, count]) => `${pair} ×${count}`).join('; ') || 'none'}`;
    }),
  ];
  for (const line of lines) log(`  ${line}`);
  return lines;
}

function cell(counts: { total: number; correct: number } | undefined): string {
  return counts ? `${percent(counts.correct, counts.total)} (${counts.correct}/${counts.total})` : '–';
}

/** Every intent of any set, in the order of first appearance. */
function intentsOf(results: ReadonlyMap<Language, Evaluation>): string[] {
  return [...new Set([...results.values()].flatMap((result) => [...result.byIntent.keys()]))];
}
