// Who may do what where: a role on a unit holds for its subtree, owner ⊃ editor ⊃ viewer, and the
// bot's admins may do everything. Also the labels the content store matches a reader's items by.
import type { Reader } from '../content/service.js';
import { lineage, ROLES, type Role, type Tree, type Unit } from './tree.js';

/** view: browse, read, find, export; file: also file, unfile, make folders; manage: also members,
 *  rename, move, delete, retention. */
export type Action = 'view' | 'file' | 'manage';

const NEEDS: Record<Action, Role> = { view: 'viewer', file: 'editor', manage: 'owner' };

const rank = (role: Role): number => ROLES.indexOf(role);

/** The strongest role the user holds on the unit or any unit above it. */
export function roleAt(tree: Tree, unitId: number, userId: number): Role | undefined {
  let best: Role | undefined;
  for (const unit of lineage(tree, unitId)) {
    const role = unit.members[userId];
    if (role && (best === undefined || rank(role) > rank(best))) best = role;
  }
  return best;
}

export function may(tree: Tree, reader: Reader, unitId: number, action: Action): boolean {
  if (!tree.units[unitId]) return false;
  if (reader.isAdmin) return true;
  const role = roleAt(tree, unitId, reader.userId);
  return role !== undefined && rank(role) >= rank(NEEDS[action]);
}

/** Every unit the reader may view. */
export function visibleUnits(tree: Tree, reader: Reader): Unit[] {
  return Object.values(tree.units).filter((unit) => may(tree, reader, unit.id, 'view'));
}

/** The units a reader's browsing starts from: those they may view whose parent they may not. */
export function topUnits(tree: Tree, reader: Reader): Unit[] {
  return visibleUnits(tree, reader)
    .filter((unit) => unit.parent === null || !may(tree, reader, unit.parent, 'view'))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

export const unitLabel = (id: number): string => `unit:${id}`;

/** What the content store lets the user see beyond their own items: `unit:<id>` per unit they may
 *  view, and `team` when they hold any role. */
export function audienceOf(tree: Tree, userId: number): string[] {
  const reader = { userId, isAdmin: false };
  const labels = visibleUnits(tree, reader).map((unit) => unitLabel(unit.id));
  return labels.length > 0 ? [...labels, 'team'] : [];
}
