// The intents section of `npm run bench` (BENCH_ONLY=intents): the local conversation engine, trained
// as the bot trains it, first on the blind sets (written apart from the corpus and never tuned
// against; only their sentences the engine is not trained on count), then on the held-out sets the
// corpus work was checked against: accuracy per language and per intent, and the most frequent
// confusions. Markdown lines, printed and kept for BENCHMARKS.md.
import type { Language } from '../src/config/settings-catalog.js';
import { BLIND_SETS } from '../test/ai/blind/sets.js';
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
  splitBySeen,
  trainedEngine,
} from '../test/support/intent-evaluation.js';

export const INTENTS_SECTION = 'intents';

interface Column {
  readonly title: string;
  readonly language: Language;
  readonly set: HeldOutSet;
}

const BLIND: readonly Column[] = BLIND_SETS.map(({ language, name, set }) => ({
  title: `${language} (${name})`,
  language,
  set: splitBySeen(set, language).unseen,
}));
const HELD: readonly Column[] = [
  { title: 'en', language: 'en', set: HELD_OUT },
  { title: 'de', language: 'de', set: HELD_OUT_DE },
  { title: 'es', language: 'es', set: HELD_OUT_ES },
  { title: 'ru', language: 'ru', set: HELD_OUT_RU },
];
/** Confusion pairs shown per column. */
const TOP_PAIRS = 5;

export type IntentsRun = string[];

export async function runIntentsBench(log: (line: string) => void): Promise<IntentsRun> {
  const started = performance.now();
  const engine = await trainedEngine();
  const trainingMs = performance.now() - started;
  const lines = [
    `Trained on the core commands and the test plugins' (orders, weather) in ${Math.round(trainingMs)} ms for the four languages; "none" marks sentences the bot should say it is unsure of.`,
    '',
  ];
  try {
    lines.push(
      '### Blind sets (written without seeing the corpus, never tuned against; sentences the engine is trained on left out)',
      '',
      ...(await table(BLIND, async (column) => evaluate(engine, column.set, column.language))),
      '',
      '### Held-out sets (never trained on, but the corpus work was checked against them)',
      '',
      ...(await table(HELD, async (column) => evaluate(engine, column.set, column.language))),
    );
  } finally {
    engine.close();
  }
  for (const line of lines) log(`  ${line}`);
  return lines;
}

async function table(columns: readonly Column[], run: (column: Column) => Promise<Evaluation>): Promise<string[]> {
  const results: Evaluation[] = [];
  for (const column of columns) results.push(await run(column));
  const intents = [...new Set(results.flatMap((result) => [...result.byIntent.keys()]))];
  return [
    `| | ${columns.map((column) => column.title).join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    `| **accuracy** | ${results.map((result) => cell(result)).join(' | ')} |`,
    ...intents.map(
      (intent) => `| ${intent} | ${results.map((result) => cell(result.byIntent.get(intent))).join(' | ')} |`,
    ),
    '',
    'Most frequent confusions (expected → answered):',
    '',
    ...columns.map((column, index) => {
      const pairs = confusionPairs((results[index] as Evaluation).misses).slice(0, TOP_PAIRS);
      return `- ${column.title}: ${pairs.map(([pair, count]) => `${pair} ×${count}`).join('; ') || 'none'}`;
    }),
  ];
}

function cell(counts: { total: number; correct: number } | undefined): string {
  return counts ? `${percent(counts.correct, counts.total)} (${counts.correct}/${counts.total})` : '–';
}
