// /api/admin/settings: the dynamic settings with their types, and changing them.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { settingsCatalog } from '../../../config/settings-catalog.js';
import { OmniError } from '../../../errors.js';
import { checkForm, formFields } from '../schema-form.js';
import type { AdminServices } from '../services.js';
import { invalid } from './plugins.js';

/** The whole catalogue as one object schema, so that one form (and one check) covers it. */
export const settingsSchema = z.object(
  Object.fromEntries(
    Object.entries(settingsCatalog).map(([key, definition]) => [
      key,
      definition.schema.describe(definition.description),
    ]),
  ),
);

const changeBody = z.object({ values: z.record(z.string(), z.unknown()) });

export function settingsFields(current: Record<string, unknown>) {
  return formFields(settingsSchema, current);
}

export async function settingsApi(app: FastifyInstance, { settings, audit }: AdminServices): Promise<void> {
  app.get('/settings', async () => ({ fields: settingsFields(settings.all()) }));

  app.put('/settings', async (request, reply) => {
    const body = changeBody.safeParse(request.body);
    if (!body.success) throw new OmniError('OMNI_INVALID_INPUT', 'expected { "values": { key: value } }');
    const current = settings.all() as Record<string, unknown>;
    const unknown = Object.keys(body.data.values).filter((key) => !Object.hasOwn(current, key));
    if (unknown.length > 0)
      return reply.code(400).send(invalid(Object.fromEntries(unknown.map((key) => [key, 'no such setting']))));
    const checked = checkForm(settingsSchema, { ...current, ...body.data.values });
    if (!checked.ok) return reply.code(400).send(invalid(checked.fields));
    const changed = Object.entries(checked.value).filter(
      ([key, value]) => JSON.stringify(current[key]) !== JSON.stringify(value),
    );
    for (const [key, value] of changed) {
      await settings.set(key, value);
      await audit.record({
        actor: request.admin?.account.username ?? '?',
        action: 'setting.change',
        target: key,
        details: { from: current[key], to: value },
        ip: request.ip,
      });
    }
    return { ok: true, changed: changed.map(([key]) => key) };
  });
}
