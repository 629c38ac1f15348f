// /api/admin/experiments: the mutation engine's experiments, one reported with its arms' figures and
// decision log, what may be experimented on, and an experiment proposed or started, approved,
// rejected, paused, resumed, stopped or promoted by the signed-in admin. The engine audits every
// step itself, with the admin as `admin:<name>`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GUARD_METRICS, GUARD_NAMES, PRIMARY_METRICS } from '../../../core/experiment-metrics.js';
import { proposalSchema } from '../../../ops/experiments/proposal.js';
import type { ZodTypeProvider } from '../../route-schemas.js';
import type { AdminServices } from '../services.js';

const idParams = z.object({ id: z.coerce.number().int().positive().safe() });
const createBody = proposalSchema.extend({ start: z.boolean().default(false) });
const stopBody = z.object({ reason: z.string().min(1).max(200).optional() }).optional();
const promoteBody = z.object({ arm: z.number().int().min(1) });

/** Who the engine records as deciding. */
export function adminActor(request: FastifyRequest): string {
  return `admin:${request.admin?.account.username ?? '?'}`;
}

/** What an experiment may be run on and measured with, and the limits a new one must keep. */
export function experimentCatalogue({ experiments, settings }: AdminServices) {
  return {
    targets: experiments.targets.list(),
    metrics: Object.entries(PRIMARY_METRICS).map(([name, description]) => ({ name, description })),
    guards: GUARD_NAMES.map((name) => ({ name, ...GUARD_METRICS[name] })),
    limits: {
      maxConcurrent: settings.get('experiments.maxConcurrent'),
      maxTrafficShare: settings.get('experiments.maxTrafficShare'),
      autoRun: settings.get('experiments.autoRun'),
    },
  };
}

export async function experimentsApi(app: FastifyInstance, services: AdminServices): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { experiments } = services;

  api.get('/experiments', async () => ({ experiments: await experiments.list() }));

  api.get('/experiments/targets', async () => experimentCatalogue(services));

  api.post('/experiments', { schema: { body: createBody } }, async (request) => {
    const { start, ...proposal } = request.body;
    const experiment = await experiments.propose(proposal, adminActor(request), { start });
    return { ok: true, experiment };
  });

  api.get('/experiments/:id', { schema: { params: idParams } }, async (request) =>
    experiments.report(request.params.id),
  );

  for (const action of ['approve', 'reject', 'pause', 'resume'] as const) {
    api.post(`/experiments/:id/${action}`, { schema: { params: idParams } }, async (request) => ({
      ok: true,
      experiment: await experiments[action](request.params.id, adminActor(request)),
    }));
  }

  api.post('/experiments/:id/stop', { schema: { params: idParams, body: stopBody } }, async (request) => ({
    ok: true,
    experiment: await experiments.stopExperiment(request.params.id, adminActor(request), request.body?.reason),
  }));

  api.post('/experiments/:id/promote', { schema: { params: idParams, body: promoteBody } }, async (request) => ({
    ok: true,
    experiment: await experiments.promote(request.params.id, request.body.arm, adminActor(request)),
  }));
}
