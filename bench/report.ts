// Turns the contestants' figures into the printed tables, the ratios against bare grammY and of two
// instances to one, the issue's goals, and BENCHMARKS.md.
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
  /** One and two OMNICore instances on PostgreSQL behind the proxy. */
  instances: readonly Figures[];
  pluginLayer: PluginLayerFigures | undefined;
  payments: PaymentsFigures | undefined;
  content: ContentRun | undefined;
  blobs: BlobsRun | undefined;
  publishing: PublishingRun | undefined;
  anomalies: AnomaliesRun | undefined;
  intents: IntentsRun | undefined;
}

interface Measure {
  name: string;
  /** The direction that is better, shown after the name. */
  better: '↑' | '↓';
  value: (figures: Figures) => number;
  digits: number;
  /** A figure of the processes, summed over several instances. */
  summed?: true;
}

const MiB = 2 ** 20;

/** Every figure with a ratio. */
const MEASURES: readonly Measure[] = [
  { name: 'updates acknowledged / s', better: '↑', value: (f) => f.ackPerSecond, digits: 0 },
  { name: 'ack latency p50, ms', better: '↓', value: (f) => f.ackP50Ms, digits: 2 },
  { name: 'ack latency p99, ms', better: '↓', value: (f) => f.ackP99Ms, digits: 2 },
  { name: 'end-to-end p50, ms', better: '↓', value: (f) => f.endToEndP50Ms, digits: 2 },
  { name: 'end-to-end p99, ms', better: '↓', value: (f) => f.endToEndP99Ms, digits: 2 },
  { name: 'replies / s', better: '↑', value: (f) => f.repliesPerSecond, digits: 0 },
  { name: 'peak RSS, MiB', better: '↓', value: (f) => f.peakRssBytes / MiB, digits: 1, summed: true },
  { name: 'start → ready, ms', better: '↓', value: (f) => f.readyMs, digits: 0 },
  { name: 'idle RSS after ready, MiB', better: '↓', value: (f) => f.idleRssBytes / MiB, digits: 1, summed: true },
  { name: 'CPU per update, ms', better: '↓', value: (f) => f.cpuMsPerUpdate, digits: 3, summed: true },
];

/** Which contestants a table divides by which, and how it names what it sums. */
interface Comparison {
  anchor: string;
  compared: (figures: Figures) => boolean;
  ratioTitle: (figures: Figures) => string;
  /** Said after the name of a summed measure; empty where every contestant is one process. */
  summedNote: string;
  extraMeasures: readonly Measure[];
  cpu: { label: string; value: (figures: Figures) => string };
}

const AGAINST_GRAMMY: Comparison = {
  anchor: 'grammy',
  compared: (f) => f.id.startsWith('omnicore'),
  ratioTitle: (f) => `${f.title} / grammY`,
  summedNote: '',
  extraMeasures: [],
  cpu: { label: 'CPU, % of a core: bot/bench/rest', value: (f) => f.cpuShares.join(' / ') },
};

const TWO_TO_ONE: Comparison = {
  anchor: 'omnicore-postgres-1',
  compared: (f) => f.id === 'omnicore-postgres-2',
  ratioTitle: () => 'two ÷ one',
  summedNote: ' (instances summed)',
  extraMeasures: [
    { name: 'proxy CPU per update, ms', better: '↓', value: (f) => f.proxyCpuMsPerUpdate ?? Number.NaN, digits: 3 },
  ],
  cpu: {
    label: 'CPU, % of a core: instances/proxy/bench/rest',
    value: (f) => [f.cpuShares[0], f.proxyCpuShare ?? '–', ...f.cpuShares.slice(1)].join(' / '),
  },
};

/** Counts that should match between sent, acknowledged and answered. */
const COUNTS: readonly { label: string; value: (figures: Figures) => number }[] = [
  { label: 'updates sent', value: (f) => f.updates },
  { label: 'acknowledged (200)', value: (f) => f.acknowledged },
  { label: 'not acknowledged', value: (f) => f.notAcknowledged },
  { label: 'replies seen, matched', value: (f) => f.replies },
  { label: 'lost (acknowledged, no reply)', value: (f) => f.lost },
  { label: 'doubled (extra replies)', value: (f) => f.doubled },
];

/** The contestants against bare grammY. */
export function renderTable(results: readonly Figures[]): string {
  return comparisonTable(results, AGAINST_GRAMMY);
}

function comparisonTable(results: readonly Figures[], comparison: Comparison): string {
  const anchor = results.find((figures) => figures.id === comparison.anchor);
  const compared = results.filter(comparison.compared);
  const header = ['figure', ...results.map((f) => f.title), ...compared.map(comparison.ratioTitle)];
  const rows = [...MEASURES, ...comparison.extraMeasures].map((measure) => [
    `${measure.name}${measure.summed ? comparison.summedNote : ''} ${measure.better}`,
    ...results.map((f) => format(measure.value(f), measure.digits)),
    ...compared.map((f) => (anchor ? `${format(ratio(measure.value(f), measure.value(anchor)), 2)}×` : '–')),
  ]);
  for (const count of COUNTS) {
    rows.push([count.label, ...results.map((f) => String(count.value(f))), ...compared.map(() => '')]);
  }
  rows.push([comparison.cpu.label, ...results.map(comparison.cpu.value), ...compared.map(() => '')]);
  return markdownTable(header, rows);
}

/**
 * One instance against two on PostgreSQL: the table, then the issue's ratios in a sentence. Both go
 * through the same proxy, so the ratio is of the instances alone.
 */
export function renderInstances(results: readonly Figures[]): string[] {
  const one = results.find((f) => f.id === TWO_TO_ONE.anchor);
  const two = results.find(TWO_TO_ONE.compared);
  const lines = [
    '- Both runs send the load to the same round-robin proxy (test/support/round-robin-proxy.ts, a process of its ' +
      'own), in front of one `omnicore start` or of two on the same PostgreSQL schema and DATA_DIR: both carry the ' +
      "proxy's hop and cost, so the ratio compares the instances; OMNICore (PostgreSQL) in the table above is the " +
      'one instance without the proxy. Start → ready runs until every instance (started one after the other) and ' +
      'the proxy are ready. ' +
      "Memory and CPU of two instances are the sums over both processes (peak RSS: each one's own peak, added); " +
      "the proxy's CPU is given apart, and PostgreSQL's is in rest.",
    '',
    comparisonTable(results, TWO_TO_ONE),
    '',
  ];
  if (one && two) {
    const times = (value: (f: Figures) => number): string => `${format(ratio(value(two), value(one)), 2)}×`;
    const latency = (value: (f: Figures) => number): string => `${format(value(one), 0)} → ${format(value(two), 0)} ms`;
    lines.push(
      `- Two instances ÷ one on this machine: ${times((f) => f.ackPerSecond)} the acknowledged updates/s, ` +
        `${times((f) => f.repliesPerSecond)} the replies/s; end-to-end p50 ${latency((f) => f.endToEndP50Ms)}, ` +
        `p99 ${latency((f) => f.endToEndP99Ms)}.`,
    );
  }
  return lines;
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
    ...(run.instances.length > 0
      ? ['## Instances: one and two on PostgreSQL, on this machine', '', ...renderInstances(run.instances), '']
      : []),
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
