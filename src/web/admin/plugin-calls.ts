// Runs a plugin's admin page loader or API handler for one request: its input checked against the
// schemas it declared (400 OMNI_INVALID_INPUT, each problem at its field), the call it is given
// (who asks, an audit helper, fail(), download()), and its failures charged to it and answered with a plain 500.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type ErrorCode, OmniError } from '../../errors.js';
import { type AdminContributions, AdminRefusal, auditAction } from '../../plugins/admin-pages.js';
import type { AdminInputSchemas, AdminRouteCall } from '../../plugins/api.js';
import { invalid } from './api/plugins.js';
import { pluginDownload } from './plugin-downloads.js';
import { checkForm } from './schema-form.js';
import type { AdminServices } from './services.js';

/** The params of the catch-all routes a plugin's pages, files and routes are found under. */
export const pluginParams = z.object({ name: z.string().min(1).max(100), '*': z.string().max(2048) });

/** The admin part of `name` while it runs; undefined when it is off, refused or unknown. */
export function runningPlugin({ plugins }: AdminServices, name: string): AdminContributions | undefined {
  return plugins.adminContributions().find((admin) => admin.plugin === name);
}

/** The catalogue's code for each status a plugin may refuse a request with. */
const REFUSALS: Readonly<Record<AdminRefusal['status'], ErrorCode>> = {
  400: 'OMNI_BAD_REQUEST',
  403: 'OMNI_FORBIDDEN',
  404: 'OMNI_NOT_FOUND',
  409: 'OMNI_REQUEST_REFUSED',
};

/** The raw input of a request, before the plugin's schemas. */
export interface RawInput {
  params: Record<string, string>;
  query: unknown;
  body: unknown;
}

/**
 * What `run` returned, or undefined once the reply is sent (bad input, the plugin failed). A refusal
 * the plugin meant (`fail`) is thrown as the matching OmniError.
 */
export async function callPlugin(
  services: AdminServices,
  request: FastifyRequest,
  reply: FastifyReply,
  admin: AdminContributions,
  schemas: AdminInputSchemas,
  raw: RawInput,
  run: (call: AdminRouteCall) => unknown,
): Promise<{ value: unknown } | undefined> {
  const input: Record<keyof RawInput, unknown> = { params: raw.params, query: undefined, body: undefined };
  for (const key of ['params', 'query', 'body'] as const) {
    const schema = schemas[key];
    if (!schema) continue;
    const checked = checkForm(schema, raw[key]);
    if (!checked.ok) {
      await reply.code(400).send(invalid(checked.fields));
      return undefined;
    }
    input[key] = checked.value;
  }
  const username = request.admin?.account.username ?? '?';
  const call = {
    ...input,
    admin: { username },
    audit: (action: string, entry: { target?: string; details?: unknown } = {}) =>
      services.audit.record({
        actor: username,
        action: auditAction(admin.plugin, action),
        target: entry.target ?? null,
        details: entry.details,
        ip: request.ip,
      }),
    fail: (status: number, message: string): never => {
      if (!(status in REFUSALS)) throw new Error(`fail(${status}): the status must be 400, 403, 404 or 409`);
      throw new AdminRefusal(status as AdminRefusal['status'], String(message));
    },
    download: pluginDownload,
  } as AdminRouteCall;
  try {
    return { value: await run(call) };
  } catch (error) {
    if (error instanceof AdminRefusal) {
      throw new OmniError(REFUSALS[error.status], error.message, error.status);
    }
    await services.plugins.charge(admin.plugin, error);
    // The plugin's own message stays in its record (the Plugins page): it may say more than a browser should see.
    await reply
      .code(500)
      .send(
        new OmniError(
          'OMNI_INTERNAL',
          `the plugin ${admin.plugin} failed; its last error is on the Plugins page`,
        ).toJSON(),
      );
    return undefined;
  }
}
