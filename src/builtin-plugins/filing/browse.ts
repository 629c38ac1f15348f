// /files: the tree as a user may see it, one unit per message with inline keyboards: breadcrumbs,
// its child units as buttons and its items as lines, a page at a time. A button carries only a unit
// id and a page (`fl:o:<id>:<page>`, `fl:t:<page>` for the top), and is checked again when pressed.
import type { ContentStore, Reader } from '../content/service.js';
import { may, roleAt, topUnits, unitLabel } from './roles.js';
import type { FilingKey } from './strings.js';
import { childrenOf, lineage, type Tree, type Unit } from './tree.js';

export type Translate = (key: FilingKey, params?: Readonly<Record<string, string | number>>) => string;

/** What a button asks for: a unit's page, or the top's (`unit` absent). */
export interface Place {
  unit?: number;
  page: number;
}

/** The furthest a search pages (ctx.search's offset limit). */
const MAX_OFFSET = 10_000;

export const BROWSE_CALLBACK = /^fl:(t|o):(\d{1,9})(?::(\d{1,4}))?$/;

export function parsePlace(match: RegExpMatchArray): Place {
  const [, where, first = '0', second = '0'] = match;
  return where === 't' ? { page: Number(first) } : { unit: Number(first), page: Number(second) };
}

const placeData = (place: Place): string =>
  place.unit === undefined ? `fl:t:${place.page}` : `fl:o:${place.unit}:${place.page}`;

export interface Button {
  text: string;
  callback_data: string;
}

export interface View {
  text: string;
  keyboard: Button[][];
}

export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The names from the reader's first visible unit down to this one, `›` between them. */
export function breadcrumbs(tree: Tree, reader: Reader, unitId: number): string {
  const visible = lineage(tree, unitId)
    .filter((unit) => may(tree, reader, unit.id, 'view'))
    .reverse();
  return visible.map((unit) => unit.name).join(' › ');
}

export interface BrowseDeps {
  tree: Tree;
  store: ContentStore;
  reader: Reader;
  t: Translate;
  pageSize: number;
}

const ROLE_KEYS = { owner: 'roleOwner', editor: 'roleEditor', viewer: 'roleViewer' } as const;

function navigation(units: readonly Unit[], place: Place, more: boolean, t: Translate, pageSize: number) {
  const rows: Button[][] = units
    .slice(place.page * pageSize, (place.page + 1) * pageSize)
    .map((unit) => [{ text: `📁 ${unit.name}`, callback_data: placeData({ unit: unit.id, page: 0 }) }]);
  const paging: Button[] = [];
  if (place.page > 0)
    paging.push({ text: t('previous'), callback_data: placeData({ ...place, page: place.page - 1 }) });
  if (more) paging.push({ text: t('next'), callback_data: placeData({ ...place, page: place.page + 1 }) });
  if (paging.length > 0) rows.push(paging);
  return rows;
}

/** The top of the reader's part of the tree: the highest units they may view. */
export function topView({ tree, reader, t, pageSize }: BrowseDeps, page: number): View {
  const units = topUnits(tree, reader);
  const more = units.length > (page + 1) * pageSize;
  return { text: t('topHeading'), keyboard: navigation(units, { page }, more, t, pageSize) };
}

/** A unit the reader may view (checked by the caller): its path, role, rule, children and items. */
export async function unitView(deps: BrowseDeps, unitId: number, page: number): Promise<View> {
  const { tree, store, reader, t, pageSize } = deps;
  const unit = tree.units[unitId] as Unit;
  const role = reader.isAdmin ? t('roleAdmin') : t(ROLE_KEYS[roleAt(tree, unitId, reader.userId) ?? 'viewer']);
  const lines = [
    `📁 <b>${escapeHtml(breadcrumbs(tree, reader, unitId))}</b>`,
    escapeHtml(t('unitLine', { kind: unit.kind, role })),
  ];
  if (unit.retention) {
    const action = t(unit.retention.action === 'delete' ? 'deleteAction' : 'unfileAction');
    lines.push(escapeHtml(t('retentionLine', { count: unit.retention.days, action })));
  }
  // A page number from a forged button stays within what the index pages through.
  const offset = Math.min(page * pageSize, MAX_OFFSET);
  const found = await store.search(reader, { within: [unitLabel(unitId)], limit: pageSize, offset });
  lines.push('');
  if (found.hits.length === 0 && page === 0) lines.push(escapeHtml(t('noItems')));
  else {
    lines.push(escapeHtml(t('itemsHeading')));
    for (const hit of found.hits) lines.push(`• ${escapeHtml(hit.title)} — <code>/get ${hit.id}</code>`);
  }
  const children = childrenOf(tree, unitId);
  const more = found.next !== undefined || children.length > (page + 1) * pageSize;
  const keyboard = navigation(children, { unit: unitId, page }, more, t, pageSize);
  const parent = unit.parent;
  keyboard.push([
    parent !== null && may(tree, reader, parent, 'view')
      ? { text: t('up'), callback_data: placeData({ unit: parent, page: 0 }) }
      : { text: t('top'), callback_data: placeData({ page: 0 }) },
  ]);
  return { text: lines.join('\n'), keyboard };
}
