// The plugin's page in the admin panel: the ranked list with Accept / Dismiss, how the verdicts
// stand, and a button to generate the list again; each action is a route of its own under
// /api/admin/plugins/ai-suggestions/, recorded in the audit log.
import { z } from 'zod';
import type { PluginAdmin } from '../../plugins/api.js';
import { type SuggestionBook, UnknownSuggestionError } from './book.js';

const verdictParams = z.object({ id: z.string().min(1).max(200), verdict: z.enum(['accept', 'dismiss']) });

export function suggestionsAdmin(admin: PluginAdmin, book: SuggestionBook, generate: () => Promise<unknown>): void {
  admin.page({
    path: 'suggestions',
    title: 'Suggestions',
    icon: 'fa-lightbulb',
    view: 'views/suggestions.eta',
    data: async () => {
      const list = (await book.current()) ?? null;
      const count = (status: string) => list?.suggestions.filter((s) => s.status === status).length ?? 0;
      return { list, verdicts: { open: count('open'), accepted: count('accepted'), dismissed: count('dismissed') } };
    },
  });

  admin.route('GET', 'suggestions', async () => ({ list: (await book.current()) ?? null }));

  admin.route('POST', 'suggestions/:id/:verdict', { params: verdictParams }, async ({ params, audit, fail }) => {
    try {
      const entry = await book.answer(params.id, params.verdict === 'accept' ? 'accepted' : 'dismissed');
      await audit(params.verdict, { target: entry.subject, details: { id: params.id, kind: entry.kind } });
      return { ok: true, entry };
    } catch (error) {
      if (error instanceof UnknownSuggestionError) return fail(404, `no suggestion ${params.id} in the current list`);
      throw error;
    }
  });

  admin.route('POST', 'refresh', async ({ audit }) => {
    await generate();
    await audit('refresh');
  });
}
