// The filing system in the admin panel: a page with the tree and, for the unit picked, its members,
// rule and items; JSON routes (zod-checked, CSRF as the panel does it) for every change, each in the
// audit log as the signed-in admin; and the export of a unit or the whole tree as a download.
import { z } from 'zod';
import { type AdminCall, OmniError, type PluginAdmin } from '../../plugins/api.js';
import type { ContentStore } from '../content/service.js';
import type { Actor, FilingDesk } from './desk.js';
import { exportUnits } from './export.js';
import type { FilingBook } from './filings.js';
import { readTemplate } from './template.js';
import { childrenOf, pathOf, ROLES, subtreeOf, type Tree, type Unit } from './tree.js';

/** A panel admin is one of the bot's admins: user 0, every unit theirs. */
const ADMIN_READER = { userId: 0, isAdmin: true };

const unitId = z.coerce.number().int().min(1).max(1e9);
const unitParams = z.object({ id: unitId });
/** 0 or absent: the top of the tree. */
const parentField = z.coerce
  .number()
  .int()
  .min(0)
  .max(1e9)
  .optional()
  .transform((id) => (id ? id : null));
const name = z.string().trim().min(1).max(100);
const slug = z.string().trim().min(1).max(48).optional();

const actorOf = (call: AdminCall): Actor => ({
  reader: ADMIN_READER,
  audit: (action, entry) => call.audit(action, entry),
});

/** The desk's refusals as the panel's: 404, 409 and 400 with the reason. */
async function refusing<T>(call: AdminCall, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof OmniError)) throw error;
    if (error.code === 'FILING_NOT_FOUND') return call.fail(404, error.message);
    if (error.code === 'FILING_CONFLICT') return call.fail(409, error.message);
    if (error.code === 'FILING_INVALID' || error.code === 'FILING_TEMPLATE_INVALID')
      return call.fail(400, error.message);
    throw error;
  }
}

/** The tree as nested rows for the page: each unit with its path, depth and counts. */
function rows(tree: Tree): { unit: Unit; path: string; depth: number }[] {
  const out: { unit: Unit; path: string; depth: number }[] = [];
  const visit = (parent: number | null, depth: number) => {
    for (const unit of childrenOf(tree, parent)) {
      out.push({ unit, path: pathOf(tree, unit.id), depth });
      visit(unit.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

export interface AdminDeps {
  desk: FilingDesk;
  filings: FilingBook;
  store: () => ContentStore;
  /** Runs retention now, audited through `audit`. */
  retain(audit: Actor['audit']): Promise<{ unfiled: number; deleted: number }>;
}

export function filingAdmin(admin: PluginAdmin, { desk, filings, store, retain }: AdminDeps): void {
  async function itemsOf(id: number) {
    const found = [];
    for (const filing of await filings.list(id)) {
      const item = await store().get(filing.item);
      found.push({ ...filing, title: item?.title ?? null, kind: item?.kind ?? null, tags: item?.tags ?? [] });
    }
    return found;
  }

  admin.page({
    path: 'tree',
    title: 'Filing',
    icon: 'fa-folder-tree',
    view: 'views/tree.eta',
    input: { query: z.object({ unit: unitId.optional() }) },
    data: async ({ query }) => {
      const tree = await desk.read();
      const selected = query.unit === undefined ? undefined : tree.units[query.unit];
      const moveTargets = selected
        ? rows(tree).filter((row) => !subtreeOf(tree, selected.id).some((below) => below.id === row.unit.id))
        : [];
      return {
        rows: rows(tree),
        selected: selected
          ? { unit: selected, path: pathOf(tree, selected.id), items: await itemsOf(selected.id) }
          : null,
        moveTargets,
        roles: ROLES,
      };
    },
  });

  admin.route('GET', 'tree', async () => ({
    units: rows(await desk.read()).map(({ unit, path }) => ({ ...unit, path })),
  }));

  admin.route('GET', 'units/:id/items', { params: unitParams }, async (call) =>
    refusing(call, async () => {
      const tree = await desk.read();
      if (!tree.units[call.params.id]) throw new OmniError('FILING_NOT_FOUND', `unit ${call.params.id}`);
      return { items: await itemsOf(call.params.id) };
    }),
  );

  admin.route(
    'POST',
    'units',
    { body: z.object({ parent: parentField, name, slug, kind: z.string().trim().min(1).max(32).optional() }) },
    (call) =>
      refusing(call, () =>
        desk.create(actorOf(call), call.body.parent, {
          name: call.body.name,
          ...(call.body.slug ? { slug: call.body.slug } : {}),
          ...(call.body.kind ? { kind: call.body.kind } : {}),
        }),
      ),
  );

  admin.route('POST', 'units/:id/rename', { params: unitParams, body: z.object({ name, slug }) }, (call) =>
    refusing(call, () => desk.rename(actorOf(call), call.params.id, call.body.name, call.body.slug)),
  );

  admin.route('POST', 'units/:id/move', { params: unitParams, body: z.object({ parent: parentField }) }, (call) =>
    refusing(call, () => desk.move(actorOf(call), call.params.id, call.body.parent)),
  );

  admin.route(
    'POST',
    'units/:id/delete',
    { params: unitParams, body: z.object({ withSubtree: z.boolean().default(false) }) },
    (call) =>
      refusing(call, async () => ({
        deleted: await desk.remove(actorOf(call), call.params.id, call.body.withSubtree),
      })),
  );

  admin.route(
    'POST',
    'units/:id/members',
    {
      params: unitParams,
      body: z.object({ user: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER), role: z.enum(ROLES) }),
    },
    (call) => refusing(call, () => desk.setRole(actorOf(call), call.params.id, call.body.user, call.body.role)),
  );

  admin.route(
    'DELETE',
    'units/:id/members/:user',
    { params: z.object({ id: unitId, user: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }) },
    (call) => refusing(call, () => desk.removeMember(actorOf(call), call.params.id, call.params.user)),
  );

  admin.route(
    'POST',
    'units/:id/retention',
    {
      params: unitParams,
      body: z.object({
        days: z.coerce.number().int().min(1).max(36_500).optional(),
        action: z.enum(['unfile', 'delete']).optional(),
      }),
    },
    (call) => {
      const { days, action } = call.body;
      const rule = days === undefined ? undefined : { days, action: action ?? 'unfile' };
      return refusing(call, () => desk.setRetention(actorOf(call), call.params.id, rule));
    },
  );

  admin.route(
    'POST',
    'units/:id/items',
    { params: unitParams, body: z.object({ item: z.string().trim().min(1).max(64) }) },
    (call) => refusing(call, async () => ({ added: await desk.file(actorOf(call), call.params.id, call.body.item) })),
  );

  admin.route(
    'DELETE',
    'units/:id/items/:item',
    { params: z.object({ id: unitId, item: z.string().min(1).max(64) }) },
    (call) =>
      refusing(call, async () => {
        if (!(await desk.unfile(actorOf(call), call.params.id, call.params.item))) {
          throw new OmniError('FILING_NOT_FOUND', `${call.params.item} is not filed in unit ${call.params.id}`);
        }
      }),
  );

  admin.route(
    'POST',
    'template',
    {
      body: z.object({
        template: z
          .string()
          .min(1)
          .max(256 * 1024),
      }),
    },
    (call) =>
      refusing(call, async () => ({
        created: await desk.applyTemplate(actorOf(call), readTemplate(call.body.template)),
      })),
  );

  admin.route('POST', 'retention', (call) => retain((action, entry) => call.audit(action, entry)));

  admin.route('GET', 'export', { query: z.object({ unit: unitId.optional() }) }, (call) =>
    refusing(call, async () => {
      const tree = await desk.read();
      if (call.query.unit !== undefined && !tree.units[call.query.unit]) {
        throw new OmniError('FILING_NOT_FOUND', `unit ${call.query.unit}`);
      }
      const made = exportUnits({ tree, store: store(), filings, reader: ADMIN_READER }, call.query.unit);
      await call.audit('export', { target: call.query.unit === undefined ? 'all' : pathOf(tree, call.query.unit) });
      return call.download(made.fileName, made.stream, 'application/gzip');
    }),
  );
}
