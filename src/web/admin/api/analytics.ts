// /api/admin/analytics and /api/admin/suggestions: the usage report the Analytics page charts, and
// the AI Suggestions plugin's ranked list with the admins' accept/dismiss verdicts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SuggestionBook, UnknownSuggestionError } from '../../../builtin-plugins/ai-suggestions/book.js';
import { OmniError } from '../../../errors.js';
import type { ZodTypeProvider } from '../../route-schemas.js';
import type { AdminServices } from '../services.js';

const verdictParams = z.object({ id: z.string().min(1).max(200), verdict: z.enum(['accept', 'dismiss']) });

export function suggestionBook({ pluginStorage }: AdminServices): SuggestionBook {
  return new SuggestionBook(pluginStorage('ai-suggestions'));
}

export async function analyticsApi(app: FastifyInstance, services: AdminServices): Promise<void> {
  const { analytics, audit } = services;
  const book = suggestionBook(services);

  app.get('/analytics', async () => analytics.report());

  app.get('/suggestions', async () => ({ list: (await book.current()) ?? null }));

  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post('/suggestions/:id/:verdict', { schema: { params: verdictParams } }, async (request) => {
    const { id, verdict } = request.params;
    try {
      const entry = await book.answer(id, verdict === 'accept' ? 'accepted' : 'dismissed');
      await audit.record({
        actor: request.admin?.account.username ?? '?',
        action: `suggestion.${verdict}`,
        target: entry.subject,
        details: { id, kind: entry.kind },
        ip: request.ip,
      });
      return { ok: true, entry };
    } catch (error) {
      if (error instanceof UnknownSuggestionError) throw new OmniError('OMNI_NOT_FOUND', `no suggestion ${id}`);
      throw error;
    }
  });
}
