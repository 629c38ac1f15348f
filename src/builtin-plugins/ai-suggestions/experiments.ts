// Suggestions an experiment can settle are proposed to the mutation engine as well (ctx.experiments):
// the admins approve them on the Experiments page. Each is proposed once; one refused because the
// target is not mutable, or already has the value, is not asked again, while one refused for the
// engine's limits (another experiment open on it) is, at the next generation.
import { type ExperimentProposal, OmniError, type PluginExperiments, type PluginStorage } from '../../plugins/api.js';
import type { Suggestion, SuggestionKind } from './suggest.js';

const PROPOSED = 'experiment:';

/** The experiment each kind of suggestion stands for, if any. */
const EXPERIMENTS: Partial<Record<SuggestionKind, Omit<ExperimentProposal, 'reason'>>> = {
  'welcome-dropoff': { target: 'bot.welcome', values: ['guided'], metric: 'command' },
};

export async function proposeExperiments(
  suggestions: readonly Suggestion[],
  experiments: PluginExperiments,
  storage: PluginStorage,
): Promise<number[]> {
  const proposed: number[] = [];
  for (const suggestion of suggestions) {
    const experiment = EXPERIMENTS[suggestion.kind];
    const key = `${PROPOSED}${suggestion.id}`;
    if (!experiment || (await storage.get(key)) !== undefined) continue;
    try {
      const { id } = await experiments.propose({
        ...experiment,
        reason: `${suggestion.title}: ${suggestion.evidence}`,
      });
      await storage.set(key, id);
      proposed.push(id);
    } catch (error) {
      if (!(error instanceof OmniError)) throw error;
      if (error.code !== 'EXPERIMENT_LIMIT') await storage.set(key, error.code);
    }
  }
  return proposed;
}
