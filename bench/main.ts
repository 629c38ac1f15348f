// `npm run bench`: runs every contestant in turn against the same fake Bot API and update stream,
// prints the table with the ratios to bare grammY, and writes BENCHMARKS.md (on a full run).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ANALYTICS_SECTIONS, runAnalyticsBench } from './analytics.js';
import { ANOMALIES_SECTION, runAnomaliesBench } from './anomalies.js';
import { BACKUP_SECTIONS, runBackupBench } from './backup.js';
import { BLOBS_SECTION, runBlobsBench } from './blobs.js';
import { CONTENT_SECTION, runContentSearchBench } from './content-search.js';
import { CONTESTANTS, INSTANCE_CONTESTANTS, INSTANCES_SECTION } from './contestants.js';
import { INTENTS_SECTION, runIntentsBench } from './intents.js';
import { describeMachine } from './machine.js';
import { NOTES, parameters } from './notes.js';
import { PAYMENTS_SECTION, runPaymentsBench } from './payments.js';
import { PLUGIN_LAYER, runPluginLayerBench } from './plugin-layer.js';
import { PUBLISHING_SECTION, runPublishingBench } from './publishing.js';
import {
  renderGoals,
  renderInstances,
  renderMarkdown,
  renderPayments,
  renderPluginLayer,
  renderTable,
  renderWarnings,
} from './report.js';
import { describeRevision } from './revision.js';
import { type Figures, runContestant } from './run-contestant.js';
import { CPU_PROF_DIR, FULL_RUN, ONLY, ROOT } from './settings.js';

const started = performance.now();
const log = (line: string): void => console.log(line);
const machine = await describeMachine();
log(`OMNICore benchmark — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`);
log(`Load: ${parameters()}`);
for (const note of NOTES.slice(0, 1)) log(`Note: ${note}`);

const chosen = CONTESTANTS.filter((contestant) => !ONLY || ONLY.includes(contestant.id));
const chosenInstances = INSTANCE_CONTESTANTS.filter(
  (contestant) => !ONLY || ONLY.includes(contestant.id) || ONLY.includes(INSTANCES_SECTION),
);
const analytics = ANALYTICS_SECTIONS.filter((id) => !ONLY || ONLY.includes(id) || ONLY.includes('analytics'));
const backups = BACKUP_SECTIONS.filter((id) => !ONLY || ONLY.includes(id) || ONLY.includes('backup'));
const pluginLayer = !ONLY || ONLY.includes(PLUGIN_LAYER);
const paymentsSection = !ONLY || ONLY.includes(PAYMENTS_SECTION);
const contentSection = !ONLY || ONLY.includes(CONTENT_SECTION);
const blobsSection = !ONLY || ONLY.includes(BLOBS_SECTION);
const publishingSection = !ONLY || ONLY.includes(PUBLISHING_SECTION);
const anomaliesSection = !ONLY || ONLY.includes(ANOMALIES_SECTION);
const intentsSection = !ONLY || ONLY.includes(INTENTS_SECTION);
if (
  chosen.length === 0 &&
  chosenInstances.length === 0 &&
  analytics.length === 0 &&
  backups.length === 0 &&
  !pluginLayer &&
  !paymentsSection &&
  !contentSection &&
  !blobsSection &&
  !publishingSection &&
  !anomaliesSection &&
  !intentsSection
) {
  const ids = [
    ...CONTESTANTS.map((c) => c.id),
    INSTANCES_SECTION,
    ...INSTANCE_CONTESTANTS.map((c) => c.id),
    PLUGIN_LAYER,
    PAYMENTS_SECTION,
    CONTENT_SECTION,
    'analytics',
    ...ANALYTICS_SECTIONS,
    'backup',
    ...BACKUP_SECTIONS,
    BLOBS_SECTION,
    PUBLISHING_SECTION,
    ANOMALIES_SECTION,
    INTENTS_SECTION,
  ];
  throw new Error(`BENCH_ONLY names no contestant; choose from ${ids}`);
}
let failed = false;
/** Runs one part of the benchmark under `title`; a part that fails is reported and the rest still run. */
async function part<T>(title: string, run: () => Promise<T>): Promise<T | undefined> {
  log(`\n${title}`);
  try {
    return await run();
  } catch (error) {
    failed = true;
    log(`  FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

const results: Figures[] = [];
const instances: Figures[] = [];
for (const contestant of [...chosen, ...chosenInstances]) {
  const figures = await part(contestant.title, () => runContestant(contestant, log));
  if (figures) (chosen.includes(contestant) ? results : instances).push(figures);
}
const layer = pluginLayer ? await part('The plugin layer alone, in one process', runPluginLayerBench) : undefined;
const payments = paymentsSection
  ? await part('Payments: a burst of pre-checkout queries, and the ledger', () => runPaymentsBench(log))
  : undefined;
const content = contentSection
  ? await part('Content search: ctx.search over 100,000 records of real text', () => runContentSearchBench(log))
  : undefined;
for (const section of analytics) {
  const title = `Usage analytics (${section.replace('analytics-', '')}), median of 3 runs over the last 30 days`;
  await part(title, () => runAnalyticsBench(section, log));
}
for (const section of backups) {
  await part(`Backups (${section.replace('backup-', '')}) of a database with the usage events above`, () =>
    runBackupBench(section, log),
  );
}
const blobs = blobsSection
  ? await part('Plugin blobs: real text through each codec, on SQLite', () => runBlobsBench(log))
  : undefined;

const publishing = publishingSection
  ? await part('Publishing: statuses to a fake Mastodon instance, bare client and the platform', () =>
      runPublishingBench(log),
    )
  : undefined;

const anomalies = anomaliesSection
  ? await part('Anomaly detection: realistic labelled series, event by event', () => runAnomaliesBench(log))
  : undefined;
const intents = intentsSection
  ? await part('Local conversation engine: held-out intent accuracy per language', () => runIntentsBench(log))
  : undefined;

const seconds = (performance.now() - started) / 1000;
if (results.length > 0) log(`\n${renderTable(results)}\n`);
if (layer) for (const line of renderPluginLayer(layer, results)) log(line);
if (payments) for (const line of renderPayments(payments)) log(line);
for (const line of [...renderWarnings(results), ...renderGoals(results)]) log(line);
if (instances.length > 0) for (const line of ['\nInstances', ...renderInstances(instances)]) log(line);
log(`\nThe run took ${seconds.toFixed(0)} s.`);
if (CPU_PROF_DIR) log(`CPU profiles are in ${CPU_PROF_DIR}.`);

if (FULL_RUN && !failed) {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  writeFileSync(
    file,
    renderMarkdown({
      machine,
      revision: describeRevision(),
      date: new Date(),
      seconds,
      results,
      instances,
      pluginLayer: layer,
      payments,
      content,
      blobs,
      publishing,
      anomalies,
      intents,
    }),
  );
  log(`Results written to ${file}.`);
} else {
  log('BENCHMARKS.md left as it was (a partial, shortened, profiled or failed run).');
}
if (failed) process.exitCode = 1;
