// `omnicore experiments …`: the mutation engine's experiments (src/ops/experiments/) on the server's
// database: list them, read one's report, see what may mutate, start, approve, pause, resume, stop
// or promote by hand. The engine makes every change (the actor "cli" in the audit log) and publishes
// it on the change signal: a running server follows at once with REDIS_URL, else at its next poll.
// The engine's own refusals (EXPERIMENT_*) are one line and exit 1.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import type { DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { EXPERIMENT_STATUSES } from '../db/schema.js';
import { SettingsStore } from '../db/settings-store.js';
import { OmniError } from '../errors.js';
import { safeJson } from '../lib/safe-json.js';
import { percent } from '../lib/shares.js';
import { Experiments } from '../ops/experiments/engine.js';
import { proposalSchema } from '../ops/experiments/proposal.js';
import { ExperimentStore } from '../ops/experiments/store.js';
import { openCliChangeSignal } from './change-signal.js';
import {
  armValues,
  experimentJson,
  experimentsText,
  reportJson,
  reportText,
  shown,
  targetsText,
} from './experiment-views.js';
import { openCliDatabase } from './server-database.js';
import { oneLine, UsageError } from './usage.js';

const ACTOR = 'cli';

const OPTIONS = {
  json: { type: 'boolean' },
  status: { type: 'string' },
  reason: { type: 'string' },
  metric: { type: 'string' },
  share: { type: 'string' },
  'min-users': { type: 'string' },
  'max-hours': { type: 'string' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** The options as given, checked by the same rules a proposal is (so a bad value is bad usage). */
const optionsSchema = z.object({
  json: z.boolean().optional(),
  status: z
    .string()
    .transform((list) => list.split(',').map((status) => status.trim()))
    .pipe(z.array(z.enum(EXPERIMENT_STATUSES)).min(1))
    .optional(),
  reason: proposalSchema.shape.reason.unwrap().min(1).optional(),
  metric: proposalSchema.shape.metric.optional(),
  share: z.coerce.number().pipe(proposalSchema.shape.share.unwrap()).optional(),
  'min-users': z.coerce.number().pipe(proposalSchema.shape.minUsers.unwrap()).optional(),
  'max-hours': z.coerce.number().pipe(proposalSchema.shape.maxDurationHours.unwrap()).optional(),
});

const wholeNumber = z.string().regex(/^\d+$/, 'expected a whole number, such as 3').transform(Number);

interface Action {
  /** Its positional arguments, for the messages; a last one ending in `…` takes one or more. */
  readonly params: readonly string[];
  readonly options: readonly OptionName[];
}

const ID_ONLY: Action = { params: ['<id>'], options: [] };

const ACTIONS: Record<string, Action> = {
  list: { params: [], options: ['json', 'status'] },
  show: { params: ['<id>'], options: ['json'] },
  stop: { params: ['<id>'], options: ['reason'] },
  targets: { params: [], options: ['json'] },
  start: { params: ['<target>', '<value…>'], options: ['metric', 'share', 'min-users', 'max-hours', 'reason'] },
  approve: ID_ONLY,
  reject: ID_ONLY,
  pause: ID_ONLY,
  resume: ID_ONLY,
  promote: { params: ['<id>', '<arm>'], options: [] },
};

export async function runExperiments(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const [name, ...params] = positionals;
  const action = name !== undefined && Object.hasOwn(ACTIONS, name) ? (ACTIONS[name] as Action) : undefined;
  if (!name || !action) throw new UsageError(name ? `unknown action "${name}"` : 'no action');
  checkArity(name, action, params);
  const given = Object.keys(values) as OptionName[];
  const stray = given.find((option) => !action.options.includes(option));
  if (stray) throw new UsageError(`experiments ${name} takes no --${stray}`);
  if (name === 'start' && values.metric === undefined) throw new UsageError('experiments start needs --metric');
  const input: Input = {
    params,
    options: checked(optionsSchema, values, (path) => `--${path}`),
    // Every action on one experiment names it first; promote names the arm next.
    id: action.params[0] === '<id>' ? checked(wholeNumber, params[0], () => '<id>') : 0,
    arm: name === 'promote' ? checked(wholeNumber, params[1], () => '<arm>') : 0,
  };

  const config = loadConfig();
  const database = await openCliDatabase(config);
  const signal = await openCliChangeSignal(config);
  try {
    await migrateToLatest(database);
    const settings = new SettingsStore(database.db, signal);
    await settings.refresh();
    const engine = new Experiments({
      db: database.db,
      bookkeeping: database.bookkeeping,
      settings,
      signal,
      log: createLogger({ LOG_LEVEL: 'silent' }, []),
    });
    // Reads the state only: the loops that judge and follow changes are the servers'.
    await engine.refresh();
    await perform(name, input, engine, database);
    return 0;
  } catch (error) {
    if (error instanceof OmniError && error.code.startsWith('EXPERIMENT_')) {
      console.error(`omnicore: ${error.code}: ${oneLine(error.message)}`);
      return 1;
    }
    throw error;
  } finally {
    await signal.close();
    await database.close();
  }
}

interface Input {
  readonly params: readonly string[];
  readonly options: z.output<typeof optionsSchema>;
  readonly id: number;
  readonly arm: number;
}

async function perform(action: string, input: Input, engine: Experiments, database: DatabaseHandle): Promise<void> {
  const { options, id, arm } = input;
  const print = (json: unknown, text: () => string) =>
    console.log(options.json ? JSON.stringify(json, null, 2) : text());
  switch (action) {
    case 'list': {
      const store = new ExperimentStore(database.db);
      const entries = await Promise.all(
        (await engine.list(options.status)).map(async (experiment) => {
          const counts = await store.counts(experiment.id);
          const users = experiment.arms.map((_, arm) => counts.find((count) => count.arm === arm)?.users ?? 0);
          return { experiment, users };
        }),
      );
      print(
        entries.map(({ experiment, users }) => experimentJson(experiment, users)),
        () => experimentsText(entries),
      );
      return;
    }
    case 'show': {
      const report = await engine.report(id);
      print(reportJson(report), () => reportText(report));
      return;
    }
    case 'targets': {
      const targets = engine.targets.list();
      print(targets, () => targetsText(targets));
      return;
    }
    case 'start': {
      const [target, ...raw] = input.params as [string, ...string[]];
      const declared = engine.targets.get(target)?.values ?? [];
      const experiment = await engine.propose(
        {
          target,
          values: raw.map((value) => armValue(value, declared)),
          metric: options.metric as NonNullable<Input['options']['metric']>,
          ...(options.share === undefined ? {} : { share: options.share }),
          ...(options['min-users'] === undefined ? {} : { minUsers: options['min-users'] }),
          ...(options['max-hours'] === undefined ? {} : { maxDurationHours: options['max-hours'] }),
          ...(options.reason === undefined ? {} : { reason: options.reason }),
        },
        ACTOR,
        { start: true },
      );
      console.log(
        `experiment #${experiment.id} ${experiment.status}: ${experiment.target} ${armValues(experiment)}, ${percent(experiment.share)} of users, metric ${experiment.metric}`,
      );
      return;
    }
    case 'stop': {
      const stopped = await engine.stopExperiment(id, ACTOR, options.reason);
      console.log(
        `experiment #${stopped.id} stopped: everyone gets ${stopped.target} = ${shown(stopped.arms[0])} (control)`,
      );
      return;
    }
    case 'promote': {
      const promoted = await engine.promote(id, arm, ACTOR);
      console.log(
        `experiment #${promoted.id} promoted: everyone gets ${promoted.target} = ${shown(promoted.arms[arm])}`,
      );
      return;
    }
    default: {
      const change = { approve: 'approve', reject: 'reject', pause: 'pause', resume: 'resume' } as const;
      const moved = await engine[change[action as keyof typeof change]](id, ACTOR);
      console.log(`experiment #${moved.id} is ${moved.status}`);
    }
  }
}

function checkArity(name: string, action: Action, params: string[]): void {
  const variadic = action.params.at(-1)?.endsWith('…>') === true;
  const missing = action.params[params.length];
  if (missing !== undefined) throw new UsageError(`experiments ${name} needs ${missing}`);
  if (!variadic && params.length > action.params.length)
    throw new UsageError(`unexpected argument "${params[action.params.length]}"`);
}

/** Parses with `schema`; its first complaint is bad usage, naming the argument. */
function checked<T extends z.ZodType>(schema: T, input: unknown, label: (path: string) => string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UsageError(`${label(String(issue?.path[0] ?? ''))}: ${issue?.message ?? 'invalid'}`);
}

/**
 * A value from the command line as the target declares it (`0.35` the number, `guided` the text);
 * one it does not declare is read as JSON, else as text, for the engine to refuse by name.
 */
function armValue(raw: string, declared: readonly unknown[]): unknown {
  const match = declared.find((value) => String(value) === raw || JSON.stringify(value) === raw);
  if (match !== undefined) return match;
  const json = safeJson(raw);
  return json === undefined ? raw : json;
}
