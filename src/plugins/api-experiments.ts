// The public plugin API's handles on the mutation engine (part of `omnicore/plugin`): a plugin's
// variants, which arm one user sees and their goal reached, and experiments proposed to the admins.
import type { ExperimentProposal, ProposedExperiment } from '../core/experiments.js';

export type { GuardMetric, PrimaryMetric } from '../core/experiment-metrics.js';
export type { ExperimentProposal, ProposedExperiment } from '../core/experiments.js';

/**
 * A plugin's variants for one user. A variant is a named choice with its arms (strings the plugin
 * maps to wordings, button orders, hours…); the first arm is the default. While an experiment on it
 * runs, a share of the users get the other arms, each user always the same one; once an arm is
 * promoted, everyone gets it.
 */
export interface UserVariants {
  /** The arm this user sees of the variant `name` (registered on first use; see PluginExperiments.declare). */
  variant<const T extends string>(name: string, arms: readonly [T, T, ...T[]]): T;
  /** This user reached what the variant `name` is meant to bring about: the `goal` metric of its experiments. */
  goal(name: string): Promise<void>;
}

/**
 * The mutation engine, from a plugin's setup: its variants declared ahead of use (so that an admin can
 * experiment on them before any user met them), and experiments proposed to the admins.
 */
export interface PluginExperiments {
  /** Registers the variant `name` with its arms (2–8 distinct strings, the default first) and what it varies. */
  declare(name: string, arms: readonly string[], description: string): void;
  /**
   * Proposes an experiment on a mutable setting (`bot.welcome`…) or on a variant of this plugin's
   * (`plugin:<this plugin>/<variant>`). It waits for an admin's approval on the Experiments page
   * unless the setting `experiments.autoRun` lists its target. Throws EXPERIMENT_* OmniErrors.
   */
  propose(proposal: ExperimentProposal): Promise<ProposedExperiment>;
}
