// /api/admin/plugins: the plugin list, switching plugins on and off, and editing their config.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OmniError } from '../../../errors.js';
import { checkForm, formFields } from '../schema-form.js';
import type { AdminServices } from '../services.js';

const nameParams = z.object({ name: z.string().min(1).max(100) });
const configBody = z.object({ config: z.record(z.string(), z.unknown()) });

export async function pluginApi(app: FastifyInstance, { plugins, audit }: AdminServices): Promise<void> {
  app.get('/plugins', async () => ({ plugins: plugins.list() }));

  app.get('/plugins/:name/config', async (request) => {
    const { name } = nameParams.parse(request.params);
    const { schema, value } = plugins.configuration(name);
    const current = (value ?? {}) as Record<string, unknown>;
    return { fields: schema ? formFields(schema, current) : [], value: current };
  });

  for (const action of ['enable', 'disable'] as const) {
    app.post(`/plugins/:name/${action}`, async (request) => {
      const { name } = nameParams.parse(request.params);
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

  app.put('/plugins/:name/config', async (request, reply) => {
    const { name } = nameParams.parse(request.params);
    const body = configBody.safeParse(request.body);
    if (!body.success) throw new OmniError('OMNI_INVALID_INPUT', 'expected { "config": { … } }');
    const { schema } = plugins.configuration(name);
    if (schema) {
      const checked = checkForm(schema, body.data.config);
      if (!checked.ok) return reply.code(400).send(invalid(checked.fields));
    }
    await plugins.configure(name, body.data.config);
    await audit.record({
      actor: request.admin?.account.username ?? '?',
      action: 'plugin.configure',
      target: name,
      details: Object.keys(body.data.config),
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
