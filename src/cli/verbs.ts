// Every verb of `omnicore`: its usage line and how to load the file that does it. The loaders are
// dynamic imports so that `omnicore --help` (or any one verb) does not load the whole platform.
import { DETECTOR_NAMES } from '../ops/anomaly/detectors.js';
import { EXPERIMENTS_USAGE } from './experiments-usage.js';
import { holdYoungGeneration } from './startup-heap.js';

export type VerbRunner = (args: string[]) => Promise<number | undefined>;

export interface Verb {
  /** One line for `omnicore --help`. */
  summary: string;
  /** What `omnicore <verb> --help` prints. */
  usage: string;
  load: () => Promise<VerbRunner>;
}

export const VERBS: Record<string, Verb> = {
  start: {
    summary: 'run the platform (HTTP server, bot, handlers)',
    usage: 'usage: omnicore start',
    load: async () => {
      // Before the platform's modules load, which is when the young generation would grow.
      holdYoungGeneration();
      return (await import('./start.js')).runStart;
    },
  },
  run: {
    summary: 'run the platform under the bundled supervisor, which starts it again if it crashes',
    usage: 'usage: omnicore run',
    load: async () => (await import('./run.js')).runSupervisor,
  },
  migrate: {
    summary: 'bring the database schema up to date and exit',
    usage: 'usage: omnicore migrate',
    load: async () => (await import('./migrate.js')).runMigrate,
  },
  admin: {
    summary: 'create <user> | list | passwd <user> | delete <user>: admin panel accounts',
    usage:
      'usage: omnicore admin create <user> | list [--json] | passwd <user> | delete <user>   (passwords from stdin)',
    load: async () => (await import('./admin.js')).runAdmin,
  },
  chat: {
    summary: 'talk to the bot through the built-in emulator (reads lines from stdin)',
    usage: 'usage: omnicore chat   (lines from stdin; "[Label]" presses that button, "[Pay]" pays the last invoice)',
    load: async () => (await import('./chat.js')).runChat,
  },
  plugins: {
    summary: 'list [--json] | enable <name…> | disable <name…> | reload <name> | config <name> [key=value ...]',
    usage:
      'usage: omnicore plugins list [--json] | enable <name…> | disable <name…> | reload <name> | config <name> [key=value ...]',
    load: async () => (await import('./plugins.js')).runPlugins,
  },
  payments: {
    summary: "reconcile [--since <hours>] [--json]: apply the providers' recent events that webhooks missed",
    usage: 'usage: omnicore payments reconcile [--since <hours>] [--json]   (--since: 24 unless given)',
    load: async () => (await import('./payments.js')).runPayments,
  },
  backup: {
    summary:
      'create | list [--json] | verify <id> | restore <id> | prune [--json]: backups of the database and DATA_DIR',
    usage:
      'usage: omnicore backup create | list [--json] | verify <id> | restore <id> | prune [--json]   [--passphrase-stdin] (else BACKUP_PASSPHRASE)',
    load: async () => (await import('./backup.js')).runBackup,
  },
  ask: {
    summary: '"<text>" [--json] [--admin] [--lang xx]: what the conversation engine makes of a message',
    usage: 'usage: omnicore ask "<text>" [--json] [--admin] [--lang en|de|es|ru]',
    load: async () => (await import('./ask.js')).runAsk,
  },
  anomalies: {
    summary:
      '--csv FILE [--json] [--detector NAME] [--time-column C] [--value-column C]: the anomalous events in an exported series',
    usage: `usage: omnicore anomalies --csv FILE [--json] [--detector ${DETECTOR_NAMES.join('|')}] [--time-column NAME|N] [--value-column NAME|N]`,
    load: async () => (await import('./anomalies.js')).runAnomalies,
  },
  experiments: {
    summary:
      'list | show <id> | stop <id> | targets | start <target> <value…> | approve|reject|pause|resume <id> | promote <id> <arm>: the mutation engine',
    usage: EXPERIMENTS_USAGE,
    load: async () => (await import('./experiments.js')).runExperiments,
  },
  update: {
    summary: 'check [--json] | apply [--to <ref>] | rollback | history [--json]: self-update from git',
    usage: 'usage: omnicore update check [--json] | apply [--to <ref>] | rollback | history [--json]',
    load: async () => (await import('./update.js')).runUpdate,
  },
  instances: {
    summary: '[--json]: the instances on this database, their state, the leader and their chat leases',
    usage: 'usage: omnicore instances [--json]',
    load: async () => (await import('./instances.js')).runInstances,
  },
  version: {
    summary: 'print the version (also --version)',
    usage: 'usage: omnicore version',
    load: async () => (await import('./version.js')).runVersion,
  },
};
