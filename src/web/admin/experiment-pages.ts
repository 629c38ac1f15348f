// The Experiments pages: the experiments with their actions and the form that proposes or starts one,
// and one experiment with its rules, outcome and decision log. The arms' figures on that page are
// drawn by public/experiment-report.js from the JSON report, and redrawn while the experiment runs.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PRIMARY_METRICS } from '../../core/experiment-metrics.js';
import { OmniError } from '../../errors.js';
import { safeJson } from '../../lib/safe-json.js';
import { experimentCatalogue } from './api/experiments.js';
import { pageRenderer } from './render.js';
import type { AdminServices } from './services.js';

const idParams = z.object({ id: z.coerce.number().int().positive().safe() });

export async function experimentPageRoutes(app: FastifyInstance, services: AdminServices): Promise<void> {
  const render = pageRenderer(services.plugins);
  const { experiments } = services;

  app.get('/experiments', async (request, reply) =>
    render(request, reply, 'experiments', 'Experiments', {
      experiments: await experiments.list(),
      ...experimentCatalogue(services),
    }),
  );

  app.get('/experiments/:id', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const report = await experiments.report(id).catch((error: unknown) => {
      if (error instanceof OmniError && error.code === 'EXPERIMENT_NOT_FOUND') return undefined;
      throw error;
    });
    if (!report) return reply.callNotFound();
    return render(request, reply, 'experiment', `Experiment #${id}`, {
      ...report,
      metricDescription: PRIMARY_METRICS[report.experiment.metric],
      log: report.log.map((entry) => ({ ...entry, details: entry.details === null ? {} : safeJson(entry.details) })),
    });
  });
}
