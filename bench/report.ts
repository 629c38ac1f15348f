// Turns the contestants' figures into the printed table, the ratios against bare grammY, the
// issue's goals, and BENCHMARKS.md.
import type { AnomaliesRun } from './anomalies.js';
import type { BlobsRun } from './blobs.js';
import { type ContentRun, describeContent } from './content-search.js';
import type { IntentsRun } from './intents.js';
import type { Machine } from './machine.js';
import { HOW_TO_READ, NOTES, parameters } from './notes.js';
import type { PaymentsFigures } from './payments.js';
import type { PluginLayerFigures } from './plugin-layer.js';
import type { PublishingRun } from './publishing.js';
import type { Figures } from './run-contestant.js';
import { ratio } from './stats.js';

export interface Run {
  machine: Machine;
  revision: string;
  date: Date;
  seconds: number;
  results: readonly Figures[];
  pluginLayer: PluginLayerFigures | undefined;
  payments: PaymentsFigures | undefined;
  content: ContentRun | undefined;
  blobs: BlobsRun | undefined;
  publishing: PublishingRun | undefined;
  anomalies: AnomaliesRun | undefined;
  intents: IntentsRun | undefined;
}

interface Measure {
  label: string;
  value: (figures: Figures) => number;
  digits: number;
}

const MiB = 2 ** 20;

/** Every figure with a ratio; the direction that is better is in the label. */
const MEASURES: readonly Measure[] = [
  { label: 'updates acknowledged / s ↑', value: (f) => f.ackPerSecond, digits: 0 },
  { label: 'ack latency p50, ms ↓', value: (f) => f.ackP50Ms, digits: 2 },
  { label: 'ack latency p99, ms ↓', value: (f) => f.ackP99Ms, digits: 2 },
  { label: 'end-to-end p50, ms ↓', value: (f) => f.endToEndP50Ms, digits: 2 },
  { label: 'end-to-end p99, ms ↓', value: (f) => f.endToEndP99Ms, digits: 2 },
  { label: 'replies / s ↑', value: (f) => f.repliesPerSecond, digits: 0 },
  { label: 'peak RSS, MiB ↓', value: (f) => f.peakRssBytes / MiB, digits: 1 },
  { label: 'start → ready, ms ↓', value: (f) => f.readyMs, digits: 0 },
  { label: 'idle RSS after ready, MiB ↓', value: (f) => f.idleRssBytes / MiB, digits: 1 },
  { label: 'CPU per update, ms ↓', value: (f) => f.cpuMsPerUpdate, digits: 3 },
];

/** Counts that should match between sent, acknowledged and answered. */
const COUNTS: readonly { label: string; value: (figures: Figures) => number }[] = [
  { label: 'updates sent', value: (f) => f.updates },
  { label: 'acknowledged (200)', value: (f) => f.acknowledged },
  { label: 'not acknowledged', value: (f) => f.notAcknowledged },
  { label: 'replies seen, matched', value: (f) => f.replies },
  { label: 'lost (acknowledged, no reply)', value: (f) => f.lost },
  { label: 'doubled (extra replies)', value: (f) => f.doubled },
];

export function renderTable(results: readonly Figures[]): string {
  const anchor = results.find((figures) => figures.id === 'grammy');
  const omnicore = results.filter((figures) => figures.id.startsWith('omnicore'));
  const header = ['figure', ...results.map((f) => f.title), ...omnicore.map((f) => `${f.title} / grammY`)];
  const rows = MEASURES.map((measure) => [
    measure.label,
    ...results.map((f) => format(measure.value(f), measure.digits)),
    ...omnicore.map((f) => (anchor ? `${format(ratio(measure.value(f), measure.value(anchor)), 2)}×` : '–')),
  ]);
  for (const count of COUNTS) {
    rows.push([count.label, ...results.map((f) => String(count.value(f))), ...omnicore.map(() => '')]);
  }
  rows.push([
    'CPU, % of a core: bot/bench/rest',
    ...results.map((f) => f.cpuShares.join(' / ')),
    ...omnicore.map(() => ''),
  ]);
  return markdownTable(header, rows);
}

export function renderGoals(results: readonly Figures[]): string[] {
  const anchor = results.find((figures) => figures.id === 'grammy');
  const lines: string[] = [];
  for (const f of results.filter((figures) => figures.id.startsWith('omnicore'))) {
    const checks: [string, boolean][] = [
      ['p99 acknowledgement < 20 ms', f.ackP99Ms < 20],
      [
        "no lost or doubled replies in this stream (the crash cycles are the fault tests' part)",
        f.lost === 0 && f.doubled === 0 && f.notAcknowledged === 0,
      ],
    ];
    if (anchor) {
      checks.unshift(
        [
          `acknowledged/s ≥ 1.0× grammY (${format(ratio(f.ackPerSecond, anchor.ackPerSecond), 2)}×)`,
          f.ackPerSecond >= anchor.ackPerSecond,
        ],
        [
          `replies/s ≥ 0.8× grammY (${format(ratio(f.repliesPerSecond, anchor.repliesPerSecond), 2)}×)`,
          f.repliesPerSecond >= 0.8 * anchor.repliesPerSecond,
        ],
      );
    }
    lines.push(`- ${f.title}: ${checks.map(([goal, met]) => `${met ? 'met' : 'NOT met'}: ${goal}`).join('; ')}`);
  }
  return lines;
}

/** Issue 13's goal: ten plugins cost under this share of the platform's CPU per update. */
const PLUGIN_LAYER_GOAL_PERCENT = 5;

/** The plugin layer's own cost, and its share of the whole platform's CPU per update in the same run. */
export function renderPluginLayer(layer: PluginLayerFigures, results: readonly Figures[]): string[] {
  const cost = layer.withPlugins - layer.bare;
  const lines = [
    `- In one process (${layer.updates} updates × ${layer.rounds} rounds, median): ${layer.bare.toFixed(1)} µs of CPU per ` +
      `update through the plugin host with no plugin on, ${layer.withPlugins.toFixed(1)} µs with ${layer.plugins} plugins: ` +
      `the plugins cost ${cost.toFixed(1)} µs per update.`,
  ];
  const platform = results.find((figures) => figures.id === 'omnicore-sqlite');
  if (platform) {
    const percent = (cost / (platform.cpuMsPerUpdate * 1000)) * 100;
    const met = percent < PLUGIN_LAYER_GOAL_PERCENT ? 'met' : 'NOT met';
    lines.push(
      `- That is ${percent.toFixed(1)} % of OMNICore (SQLite)'s ${platform.cpuMsPerUpdate.toFixed(3)} ms of CPU per update ` +
        `in this run; ${met}: ${layer.plugins} plugins cost under ${PLUGIN_LAYER_GOAL_PERCENT} % of the platform's CPU.`,
    );
  }
  return lines;
}

/** Telegram cancels a payment whose pre-checkout query is not answered within 10 s. */
const PRE_CHECKOUT_LIMIT_MS = 10_000;

export function renderPayments({ preCheckout: burst, ledger, concurrency }: PaymentsFigures): string[] {
  const met = burst.answered === burst.queries && burst.p99Ms < PRE_CHECKOUT_LIMIT_MS ? 'met' : 'NOT met';
  return [
    `- ${burst.queries} pre_checkout_query webhook updates sent at once to OMNICore (SQLite), one in ten at a stale ` +
      `price: ${burst.answered} answered, ${burst.right} with the right answer; from sending to the answer reaching ` +
      `the Bot API: p50 ${burst.p50Ms.toFixed(0)} ms, p99 ${burst.p99Ms.toFixed(0)} ms, max ${burst.maxMs.toFixed(0)} ms. ` +
      `${met}: every query answered, p99 well under Telegram's 10 s.`,
    ...ledger.map(
      (figures) =>
        `- Ledger on ${figures.database}: ${figures.oneAtATime.toFixed(0)} payments recorded per second one at a time, ` +
        `${figures.concurrent.toFixed(0)} per second ${concurrency} at a time (each: the event, the charge, its entitlement and ` +
        'the audit rows, in one transaction).',
    ),
  ];
}

export function renderContent({ setup, figures, imports }: ContentRun): string[] {
  return [`- ${setup}.`, ...[...figures.flatMap(describeContent), ...imports].map((line) => `- ${line}`)];
}

/** Busy time elsewhere on the machine above this share of a core means the figures are skewed. */
const BUSY_ELSEWHERE_PERCENT = 25;

export function renderWarnings(results: readonly Figures[]): string[] {
  return results
    .filter((f) => f.id !== 'omnicore-postgres' && f.cpuShares[2] > BUSY_ELSEWHERE_PERCENT)
    .map(
      (f) =>
        `Warning: other processes used ${f.cpuShares[2]}% of a core during the ${f.title} run; its figures are skewed. ` +
        'Run again on a quiet machine.',
    );
}

export function renderMarkdown(run: Run): string {
  const { machine } = run;
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (overwritten on every full run). Reproduce with:',
    '',
    '```sh',
    'npm run build && npm run bench',
    '```',
    '',
    `- Date: ${run.date.toISOString()}; OMNICore at commit ${run.revision}`,
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; ${machine.kernel}`,
    `- Node ${machine.node}; ${machine.postgres} on 127.0.0.1`,
    `- Load: ${parameters()}`,
    `- The whole run took ${run.seconds.toFixed(0)} s.`,
    '',
    '## Results',
    '',
    renderTable(run.results),
    '',
    ...renderWarnings(run.results).flatMap((warning) => [warning, '']),
    '## Goals (issue 7)',
    '',
    ...renderGoals(run.results),
    '',
    ...(run.pluginLayer
      ? ['## The plugin layer (issue 13)', '', ...renderPluginLayer(run.pluginLayer, run.results), '']
      : []),
    ...(run.payments ? ['## Payments (issue 14)', '', ...renderPayments(run.payments), ''] : []),
    ...(run.content ? ['## Content search (ctx.search)', '', ...renderContent(run.content), ''] : []),
    ...(run.blobs ? ['## Plugin blobs (ctx.blobs), on SQLite', '', ...run.blobs.map((line) => `- ${line}`), ''] : []),
    ...(run.publishing
      ? ['## Publishing (a fake Mastodon over HTTP)', '', ...run.publishing.map((line) => `- ${line}`), '']
      : []),
    ...(run.anomalies ? ['## Anomaly detection (issue 19)', '', ...run.anomalies, ''] : []),
    ...(run.intents
      ? ['## Local conversation engine: intents per language (blind and held-out sets)', '', ...run.intents, '']
      : []),
    '## Notes',
    '',
    ...NOTES.map((note) => `- ${note}`),
    '',
    '## How to read',
    '',
    ...HOW_TO_READ.map((line) => `- ${line}`),
    '',
  ].join('\n');
}

function format(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (column === 0 ? '-'.repeat(width) : `${'-'.repeat(Math.max(1, width - 1))}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
