// The filing tree as data, and every change to it as a pure function of the tree: kept in one
// storage key and changed inside storage.update, where a change may run more than once.
import { OmniError } from '../../plugins/api.js';

export type Role = 'viewer' | 'editor' | 'owner';
export const ROLES: readonly Role[] = ['viewer', 'editor', 'owner'];

/** How long an item stays filed in a unit, and what happens to it then. */
export interface Retention {
  days: number;
  action: 'unfile' | 'delete';
}

export interface Unit {
  id: number;
  parent: number | null;
  name: string;
  /** The unit's segment of a path: unique among its siblings. */
  slug: string;
  kind: string;
  retention?: Retention;
  /** Telegram user id → role; held for the unit's whole subtree. */
  members: Record<string, Role>;
}

export interface Tree {
  /** The id the next unit gets. */
  next: number;
  units: Record<string, Unit>;
}

/** Bounds that keep the tree one small storage value and its paths typeable. */
export const LIMITS = { units: 2000, depth: 12, nameLength: 100, slugLength: 48 } as const;

const SLUG = /^[\p{Ll}\p{Lo}\p{Nd}][\p{Ll}\p{Lo}\p{Nd}_-]*$/u;
const KIND = /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,31}$/u;
const CONTROL = /\p{Cc}|\p{Cf}/u;

export const emptyTree = (): Tree => ({ next: 1, units: {} });

/** The segment a name gives: lower-case letters and digits of any script, runs of the rest as `-`. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{Ll}\p{Lo}\p{Nd}_]+/gu, '-')
    .replace(/^[-_]+/, '')
    .slice(0, LIMITS.slugLength)
    .replace(/-+$/, '');
}

export function checkSlug(slug: string): string {
  if (slug.length === 0 || slug.length > LIMITS.slugLength || !SLUG.test(slug)) {
    throw new OmniError(
      'FILING_INVALID',
      `slug "${slug}": 1–${LIMITS.slugLength} lower-case letters, digits, "-" and "_", starting with a letter or digit`,
    );
  }
  return slug;
}

export function checkName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0 || name.length > LIMITS.nameLength || CONTROL.test(name)) {
    throw new OmniError('FILING_INVALID', `name: 1–${LIMITS.nameLength} characters, no control characters`);
  }
  return name;
}

export function checkKind(kind: string): string {
  if (!KIND.test(kind)) throw new OmniError('FILING_INVALID', `kind "${kind}": 1–32 letters, digits, spaces, - or _`);
  return kind;
}

export function unitOf(tree: Tree, id: number): Unit {
  const unit = tree.units[id];
  if (!unit) throw new OmniError('FILING_NOT_FOUND', `unit ${id}`);
  return unit;
}

/** A unit's children (the roots for `null`), by name. */
export function childrenOf(tree: Tree, parent: number | null): Unit[] {
  return Object.values(tree.units)
    .filter((unit) => unit.parent === parent)
    .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

/** The child of `parent` (a root for `null`) with this slug. */
export function childNamed(tree: Tree, parent: number | null, slug: string): Unit | undefined {
  for (const unit of Object.values(tree.units)) if (unit.parent === parent && unit.slug === slug) return unit;
  return undefined;
}

/** The unit and its ancestors, the unit first. */
export function lineage(tree: Tree, id: number): Unit[] {
  const found: Unit[] = [];
  for (let unit = tree.units[id]; unit; unit = unit.parent === null ? undefined : tree.units[unit.parent]) {
    found.push(unit);
  }
  return found;
}

export const pathOf = (tree: Tree, id: number): string =>
  lineage(tree, id)
    .reverse()
    .map((unit) => unit.slug)
    .join('/');

/** The unit a path names (slugs joined by `/`, surrounding slashes and case ignored). */
export function resolvePath(tree: Tree, path: string): Unit | undefined {
  const slugs = path.trim().toLowerCase().split('/').filter(Boolean);
  if (slugs.length === 0) return undefined;
  let found: Unit | undefined;
  for (const slug of slugs) {
    found = childNamed(tree, found?.id ?? null, slug);
    if (!found) return undefined;
  }
  return found;
}

/** The unit and every unit under it, the unit first. */
export function subtreeOf(tree: Tree, id: number): Unit[] {
  const found = [unitOf(tree, id)];
  for (let i = 0; i < found.length; i++) {
    found.push(...childrenOf(tree, (found[i] as Unit).id));
  }
  return found;
}

function checkFreeSlug(tree: Tree, parent: number | null, slug: string, self?: number): void {
  const clash = childNamed(tree, parent, slug);
  if (clash && clash.id !== self) {
    const where = parent === null ? 'at the top' : `in ${pathOf(tree, parent)}`;
    throw new OmniError('FILING_CONFLICT', `a unit with the slug "${slug}" exists ${where} already`);
  }
}

function checkDepth(tree: Tree, parent: number | null, height: number): void {
  const depth = (parent === null ? 0 : lineage(tree, parent).length) + height;
  if (depth > LIMITS.depth) throw new OmniError('FILING_CONFLICT', `the tree is at most ${LIMITS.depth} units deep`);
}

/** A new tree sharing the units: a change replaces the unit objects it changes, never alters one. */
export const copyTree = (tree: Tree): Tree => ({ next: tree.next, units: { ...tree.units } });

/** Replaces a unit of a copied tree with a changed copy of it. */
function replace(tree: Tree, id: number, change: (unit: Unit) => Partial<Unit>): Tree {
  const unit = unitOf(tree, id);
  tree.units[id] = { ...unit, ...change(unit) };
  return tree;
}

export interface NewUnit {
  parent: number | null;
  name: string;
  /** From the name when absent. */
  slug?: string;
  kind?: string;
  retention?: Retention;
  members?: Record<string, Role>;
}

export function createUnit(tree: Tree, input: NewUnit): { tree: Tree; unit: Unit } {
  const next = copyTree(tree);
  return { tree: next, unit: addUnit(next, input) };
}

/** createUnit on the tree itself, for changes that add many units to one copy (templates). */
export function addUnit(tree: Tree, input: NewUnit): Unit {
  if (input.parent !== null) unitOf(tree, input.parent);
  if (Object.keys(tree.units).length >= LIMITS.units) {
    throw new OmniError('FILING_CONFLICT', `the tree holds at most ${LIMITS.units} units`);
  }
  const name = checkName(input.name);
  const slug = checkSlug(input.slug ?? slugify(name));
  checkFreeSlug(tree, input.parent, slug);
  checkDepth(tree, input.parent, 1);
  const unit: Unit = {
    id: tree.next,
    parent: input.parent,
    name,
    slug,
    kind: checkKind(input.kind ?? 'folder'),
    ...(input.retention ? { retention: checkRetention(input.retention) } : {}),
    members: { ...input.members },
  };
  tree.units[unit.id] = unit;
  tree.next += 1;
  return unit;
}

export function renameUnit(tree: Tree, id: number, name: string, slug?: string): Tree {
  const unit = unitOf(tree, id);
  const checkedName = checkName(name);
  const checkedSlug = checkSlug(slug ?? slugify(checkedName));
  checkFreeSlug(tree, unit.parent, checkedSlug, id);
  return replace(copyTree(tree), id, () => ({ name: checkedName, slug: checkedSlug }));
}

/** Moves a unit with its subtree under `parent` (the top for `null`): never under itself. */
export function moveUnit(tree: Tree, id: number, parent: number | null): Tree {
  const unit = unitOf(tree, id);
  if (parent !== null) unitOf(tree, parent);
  if (parent !== null && lineage(tree, parent).some((ancestor) => ancestor.id === id)) {
    throw new OmniError('FILING_CONFLICT', `${pathOf(tree, id)} cannot move into itself or a unit under it`);
  }
  checkFreeSlug(tree, parent, unit.slug, id);
  const height =
    Math.max(...subtreeOf(tree, id).map((below) => lineage(tree, below.id).length)) - lineage(tree, id).length;
  checkDepth(tree, parent, height + 1);
  return replace(copyTree(tree), id, () => ({ parent }));
}

/**
 * Deletes a unit: only when it holds no units and no items (`holdsItems`), unless `withSubtree`,
 * which deletes everything under it too. Returns the ids deleted.
 */
export function deleteUnit(
  tree: Tree,
  id: number,
  options: { withSubtree: boolean; holdsItems: (id: number) => boolean },
): { tree: Tree; deleted: number[] } {
  const doomed = subtreeOf(tree, id).map((unit) => unit.id);
  if (!options.withSubtree) {
    if (doomed.length > 1) throw new OmniError('FILING_CONFLICT', `${pathOf(tree, id)} still holds units`);
    if (options.holdsItems(id)) throw new OmniError('FILING_CONFLICT', `${pathOf(tree, id)} still holds items`);
  }
  const next = copyTree(tree);
  for (const gone of doomed) delete next.units[gone];
  return { tree: next, deleted: doomed };
}

export function checkRole(role: string): Role {
  if (!ROLES.includes(role as Role)) throw new OmniError('FILING_INVALID', `role "${role}": owner, editor or viewer`);
  return role as Role;
}

export function checkUserId(userId: number): number {
  if (!Number.isSafeInteger(userId) || userId <= 0) throw new OmniError('FILING_INVALID', `user id ${userId}`);
  return userId;
}

export function setRole(tree: Tree, id: number, userId: number, role: Role): Tree {
  unitOf(tree, id);
  checkUserId(userId);
  checkRole(role);
  return replace(copyTree(tree), id, (unit) => ({ members: { ...unit.members, [userId]: role } }));
}

export function removeMember(tree: Tree, id: number, userId: number): Tree {
  unitOf(tree, id);
  return replace(copyTree(tree), id, (unit) => {
    const { [userId]: _gone, ...members } = unit.members;
    return { members };
  });
}

export function checkRetention(retention: Retention): Retention {
  const { days, action } = retention;
  if (!Number.isInteger(days) || days < 1 || days > 36_500 || (action !== 'unfile' && action !== 'delete')) {
    throw new OmniError('FILING_INVALID', 'retention: days 1–36500, action "unfile" or "delete"');
  }
  return { days, action };
}

export function setRetention(tree: Tree, id: number, retention: Retention | undefined): Tree {
  const { retention: _old, ...unit } = unitOf(tree, id);
  const next = copyTree(tree);
  next.units[id] = retention ? { ...unit, retention: checkRetention(retention) } : unit;
  return next;
}
