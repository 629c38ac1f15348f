// /api/admin/settings: the dynamic settings with their types and where each value came from (the
// default, an admin, an experiment's promotion), and changing them.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type SettingArea, type SettingKey, settingAreas, settingsCatalog } from '../../../config/settings-catalog.js';
import type { AuditRecord } from '../../../db/audit-log.js';
import type { Experiment } from '../../../ops/experiments/store.js';
import type { ZodTypeProvider } from '../../route-schemas.js';
import { words } from '../format.js';
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

/** "inbox.maxQueuedPerChat" → "Max queued per chat": a label from the part of a key after its dot. */
function label(key: string): string {
  const text = words(key.slice(key.indexOf('.') + 1));
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The settings as the panel shows them: one group per area, in catalogue order, each saved on its
 * own. The AI group is left out unless LLM mode is on, since nothing reads it otherwise.
 */
export function settingsGroups(current: Record<string, unknown>, { llmMode }: { llmMode: boolean }) {
  const areas = Object.entries(settingAreas) as [SettingArea, (typeof settingAreas)[SettingArea]][];
  const fields = formFields(settingsSchema, current);
  return areas
    .filter(([area]) => llmMode || area !== 'ai')
    .map(([area, heading]) => ({
      area,
      ...heading,
      fields: fields
        .filter((field) => field.key.startsWith(`${area}.`))
        .map((field) => ({ ...field, label: label(field.key) })),
    }));
}

/** Why a setting has its value: its latest recorded change, else whether it is the default. */
export type SettingOrigin =
  | { kind: 'default' }
  | { kind: 'unrecorded' }
  | { kind: 'changed'; by: string; at: number }
  | { kind: 'promoted'; experiment: number; at: number };

function originOf(key: string, value: unknown, change: AuditRecord | undefined): SettingOrigin {
  if (change) {
    const promotedBy = /^experiment:(\d+)$/.exec(change.actor);
    return promotedBy
      ? { kind: 'promoted', experiment: Number(promotedBy[1]), at: change.at }
      : { kind: 'changed', by: change.actor, at: change.at };
  }
  const fallback = settingsCatalog[key as SettingKey].default;
  return JSON.stringify(value) === JSON.stringify(fallback) ? { kind: 'default' } : { kind: 'unrecorded' };
}

/**
 * The settings groups, each field with its origin, whether experiments may try other values of it
 * (`mutable`), and the experiment running or paused on it, if any.
 */
export async function settingsOverview({ settings, audit, experiments, llmMode }: AdminServices) {
  const [changes, active] = await Promise.all([
    audit.latestByTarget('setting.change'),
    experiments.list(['running', 'paused']),
  ]);
  const on = new Map<string, Experiment>(active.map((experiment) => [experiment.target, experiment]));
  return settingsGroups(settings.all(), { llmMode }).map((group) => ({
    ...group,
    fields: group.fields.map((field) => {
      const experiment = on.get(field.key);
      return {
        ...field,
        origin: originOf(field.key, field.value, changes.get(field.key)),
        mutable: 'mutable' in settingsCatalog[field.key as SettingKey],
        experiment: experiment ? { id: experiment.id, status: experiment.status } : null,
      };
    }),
  }));
}

export async function settingsApi(app: FastifyInstance, services: AdminServices): Promise<void> {
  const { settings, audit } = services;
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/settings', async () => ({ groups: await settingsOverview(services) }));

  api.put('/settings', { schema: { body: changeBody } }, async (request, reply) => {
    const { values } = request.body;
    const current = settings.all() as Record<string, unknown>;
    const unknown = Object.keys(values).filter((key) => !Object.hasOwn(current, key));
    if (unknown.length > 0)
      return reply.code(400).send(invalid(Object.fromEntries(unknown.map((key) => [key, 'no such setting']))));
    const checked = checkForm(settingsSchema, { ...current, ...values });
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
