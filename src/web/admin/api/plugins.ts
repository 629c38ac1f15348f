// /api/admin/plugins: the plugin list, switching plugins on and off, and editing their config.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OmniError } from '../../../errors.js';
import type { ZodTypeProvider } from '../../route-schemas.js';
import { checkForm, formFields } from '../schema-form.js';
import type { AdminServices } from '../services.js';

const nameParams = z.object({ name: z.string().min(1).max(100) });
const configBody = z.object({ config: z.record(z.string(), z.unknown()) });

export async function pluginApi(app: FastifyInstance, { plugins, audit }: AdminServices): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/plugins', async () => ({ plugins: plugins.list() }));

  api.get('/plugins/:name/config', { schema: { params: nameParams } }, async (request) => {
    const { name } = request.params;
    const { schema, value } = plugins.configuration(name);
    const current = (value ?? {}) as Record<string, unknown>;
    return { fields: schema ? formFields(schema, current) : [], value: current };
  });

  for (const action of ['enable', 'disable'] as const) {
    api.post(`/plugins/:name/${action}`, { schema: { params: nameParams } }, async (request) => {
      const { name } = request.params;
      await plugins.setEnabled(name, action === 'enable');
      await audit.record({
        actor: request.admin?.account.username ?? '?',
        action: `plugin.${action}`,
        target: name,
        ip: request.ip,
      });
      return { ok: true, plugin: plugins.list().find((status) => status.name === name) };
    });
  }

  api.put('/plugins/:name/config', { schema: { params: nameParams, body: configBody } }, async (request, reply) => {
    const { name } = request.params;
    const { config } = request.body;
    const { schema } = plugins.configuration(name);
    if (schema) {
      const checked = checkForm(schema, config);
      if (!checked.ok) return reply.code(400).send(invalid(checked.fields));
    }
    await plugins.configure(name, config);
    await audit.record({
      actor: request.admin?.account.username ?? '?',
      action: 'plugin.configure',
      target: name,
      details: Object.keys(config),
      ip: request.ip,
    });
    return { ok: true };
  });
}

/** The error body for a form whose fields failed validation, each message under its field. */
export function invalid(fields: Record<string, string>) {
  const error = new OmniError('OMNI_INVALID_INPUT').toJSON();
  return { ...error, error: { ...error.error, fields } };
}
