// The mutation engine as the update path sees it (the engine itself is ops/experiments): the values a
// handler reads for its sender, which are an experiment's arm when one takes the sender in, and what
// the update did, which the engine counts for the experiments the sender is in.
import type { SettingKey, SettingValue } from '../config/settings-catalog.js';
import type { SettingsStore } from '../db/settings-store.js';
import type { GuardMetric, PrimaryMetric } from './experiment-metrics.js';

/** What became of one update, as the experiments' metrics count it. */
export interface HandledUpdate {
  /** The command it ran (lower case, without the slash), if any. */
  readonly command: string | undefined;
  /** A handler (core or plugin) failed on it. */
  readonly failed: boolean;
  readonly latencyMs: number;
  /** The sender blocked the bot (a private chat's my_chat_member, status `kicked`). */
  readonly blocked: boolean;
}

/** The mutation engine for one update's sender (`ctx.core.experiments`). */
export interface UserExperiments {
  /** The setting's value for this sender: their arm while an experiment on it takes them in. */
  setting<K extends SettingKey>(key: K): SettingValue<K>;
  /** The arm of a plugin's variant for this sender; registers the variant (first arm: its default). */
  variant(plugin: string, name: string, arms: readonly string[]): string;
  /** The conversation answered the sender (`sure`) or said it was not sure: the `answered` metric. */
  answered(sure: boolean): void;
  /** The sender reached the plugin's goal for its variant `name`: the `goal` metric. */
  goal(plugin: string, name: string): Promise<void>;
  /** Counts the update for the experiments the sender is in, once every write of the update is done. */
  finish(handled: HandledUpdate): Promise<void>;
}

export interface ExperimentsHook {
  forUser(userId: number | undefined): UserExperiments;
}

/** Where no engine runs (a pipeline in a test, a tool): everyone gets the current values, nothing is counted. */
export function withoutExperiments(settings: Pick<SettingsStore, 'get'>): ExperimentsHook {
  const none: UserExperiments = {
    setting: (key) => settings.get(key),
    variant: (_plugin, _name, arms) => arms[0] as string,
    answered: () => {},
    goal: async () => {},
    finish: async () => {},
  };
  return { forUser: () => none };
}

/** An experiment asked for by an admin, a plugin or the observer (checked in ops/experiments/proposal.ts). */
export interface ExperimentProposal {
  /** A setting declared mutable (e.g. `bot.welcome`), or a plugin's variant: `plugin:<name>/<variant>`. */
  readonly target: string;
  /** 1–3 values to try against the current one (control), each among those declared. */
  readonly values: readonly unknown[];
  readonly metric: PrimaryMetric;
  /** The share of users taking part, split evenly between the arms (0.2). */
  readonly share?: number;
  /** Per guard, how much higher than control's its rate may rise before the arm is reverted (see GUARD_METRICS). */
  readonly guards?: Partial<Record<GuardMetric, number>>;
  /** The chance of promoting a value that is not better (0.05). */
  readonly alpha?: number;
  /** The smallest difference in the primary metric worth finding, as a share (0.05). */
  readonly tau?: number;
  /** Users per arm before anything is promoted (100). */
  readonly minUsers?: number;
  /** When it ends with control kept if nothing won (14 days). */
  readonly maxDurationHours?: number;
  /** What the proposer saw: shown to the admin who approves. */
  readonly reason?: string;
}

/** A proposal as stored: its id, and whether it waits for an admin (`proposed`) or runs. */
export interface ProposedExperiment {
  readonly id: number;
  readonly status: string;
}

/** What plugins reach of the engine from their setup (ctx.experiments). */
export interface ExperimentsDesk {
  declareVariant(plugin: string, name: string, arms: readonly string[], description: string): void;
  propose(proposal: ExperimentProposal, by: string): Promise<ProposedExperiment>;
}
