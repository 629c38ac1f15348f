// The filing tree's changes as pure functions: paths and slugs, moves that would make a cycle or a
// clash, deletion of what still holds something, and names with odd characters.
import { describe, expect, it } from 'vitest';
import {
  childrenOf,
  createUnit,
  deleteUnit,
  emptyTree,
  LIMITS,
  moveUnit,
  pathOf,
  removeMember,
  renameUnit,
  resolvePath,
  setRetention,
  setRole,
  slugify,
  subtreeOf,
  type Tree,
} from '../../../src/builtin-plugins/filing/tree.js';

/** acme (1) → engineering (2) → backend (3); acme → sales (4). */
function sample(): Tree {
  let tree = emptyTree();
  const add = (parent: number | null, name: string, kind = 'folder') => {
    const made = createUnit(tree, { parent, name, kind });
    tree = made.tree;
    return made.unit.id;
  };
  const acme = add(null, 'Acme', 'company');
  const engineering = add(acme, 'Engineering', 'department');
  add(engineering, 'Backend');
  add(acme, 'Sales', 'department');
  return tree;
}

const nothingFiled = { holdsItems: () => false };

describe('the filing tree', () => {
  it('names units by paths of slugs and finds them again', () => {
    const tree = sample();
    expect(pathOf(tree, 3)).toBe('acme/engineering/backend');
    expect(resolvePath(tree, 'acme/engineering/backend')?.id).toBe(3);
    expect(resolvePath(tree, '/ACME/Engineering/')?.id).toBe(2);
    expect(resolvePath(tree, 'acme/nowhere')).toBeUndefined();
    expect(resolvePath(tree, '')).toBeUndefined();
    expect(childrenOf(tree, 1).map((unit) => unit.slug)).toEqual(['engineering', 'sales']);
    expect(subtreeOf(tree, 1).map((unit) => unit.id)).toEqual([1, 2, 4, 3]);
  });

  it('makes slugs of names in any script, and refuses names it cannot', () => {
    expect(slugify('  Ünïcode & Friends / 2026 ')).toBe('unicode-friends-2026');
    expect(slugify('研究開発')).toBe('研究開発');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    expect(() => createUnit(emptyTree(), { parent: null, name: '🚀🚀' })).toThrow(/slug ""/);
    expect(() => createUnit(emptyTree(), { parent: null, name: 'a\u0000b' })).toThrow(/control characters/);
    expect(() => createUnit(emptyTree(), { parent: null, name: ' ' })).toThrow(/name: 1–100/);
    expect(() => createUnit(emptyTree(), { parent: null, name: 'x', slug: 'Bad Slug' })).toThrow(/slug "Bad Slug"/);
    expect(() => createUnit(emptyTree(), { parent: null, name: 'x', kind: '<script>' })).toThrow(/kind/);
    expect(createUnit(emptyTree(), { parent: null, name: 'Q1 / Q2 "plans"' }).unit).toMatchObject({
      name: 'Q1 / Q2 "plans"',
      slug: 'q1-q2-plans',
    });
  });

  it('refuses a slug taken among the siblings, on creation, rename and move', () => {
    const tree = sample();
    expect(() => createUnit(tree, { parent: 1, name: 'ENGINEERING' })).toThrow(
      /slug "engineering" exists in acme already/,
    );
    expect(() => renameUnit(tree, 4, 'Engineering')).toThrow(/FILING|exists/);
    const moved = createUnit(tree, { parent: 3, name: 'Sales' }).tree;
    expect(() => moveUnit(moved, 5, 1)).toThrow(/slug "sales" exists in acme/);
    expect(renameUnit(tree, 4, 'Sales & Partners').units[4]).toMatchObject({ slug: 'sales-partners' });
  });

  it('moves a unit with its subtree, never into itself or below itself', () => {
    const tree = sample();
    const moved = moveUnit(tree, 2, 4);
    expect(pathOf(moved, 3)).toBe('acme/sales/engineering/backend');
    expect(() => moveUnit(tree, 1, 3)).toThrow(/cannot move into itself or a unit under it/);
    expect(() => moveUnit(tree, 2, 2)).toThrow(/cannot move into itself/);
    expect(pathOf(moveUnit(tree, 3, null), 3)).toBe('backend');
    expect(() => moveUnit(tree, 2, 99)).toThrow(/no such unit/);
    // The tree it was given is unchanged.
    expect(pathOf(tree, 3)).toBe('acme/engineering/backend');
  });

  it('keeps the depth limit on moves and creations', () => {
    let tree = emptyTree();
    for (let depth = 0; depth < LIMITS.depth; depth++) {
      tree = createUnit(tree, { parent: depth === 0 ? null : depth, name: `level ${depth}` }).tree;
    }
    expect(() => createUnit(tree, { parent: LIMITS.depth, name: 'too deep' })).toThrow(/at most 12 units deep/);
    const other = createUnit(createUnit(tree, { parent: null, name: 'b' }).tree, { parent: 13, name: 'c' }).tree;
    expect(() => moveUnit(other, 13, 11)).toThrow(/at most 12 units deep/);
  });

  it('deletes only what holds nothing unless asked to take the subtree along', () => {
    const tree = sample();
    expect(() => deleteUnit(tree, 2, { withSubtree: false, ...nothingFiled })).toThrow(/still holds units/);
    expect(() => deleteUnit(tree, 4, { withSubtree: false, holdsItems: (id) => id === 4 })).toThrow(
      /acme\/sales still holds items/,
    );
    expect(deleteUnit(tree, 4, { withSubtree: false, ...nothingFiled }).deleted).toEqual([4]);
    const { tree: left, deleted } = deleteUnit(tree, 2, { withSubtree: true, holdsItems: () => true });
    expect(deleted.sort()).toEqual([2, 3]);
    expect(Object.keys(left.units)).toEqual(['1', '4']);
  });

  it('leaves the tree it was given as it was, whatever the change', () => {
    const tree = sample();
    const before = structuredClone(tree);
    removeMember(setRole(tree, 2, 7, 'owner'), 2, 7);
    setRole(tree, 2, 7, 'owner');
    setRetention(tree, 2, { days: 3, action: 'unfile' });
    renameUnit(tree, 2, 'Platform');
    moveUnit(tree, 3, 4);
    deleteUnit(tree, 2, { withSubtree: true, ...nothingFiled });
    createUnit(tree, { parent: 2, name: 'Frontend' });
    expect(tree).toEqual(before);
    expect(removeMember(setRole(tree, 2, 7, 'owner'), 2, 7).units[2]?.members).toEqual({});
  });

  it('checks retention rules', () => {
    const tree = setRetention(sample(), 4, { days: 30, action: 'delete' });
    expect(tree.units[4]?.retention).toEqual({ days: 30, action: 'delete' });
    expect(setRetention(tree, 4, undefined).units[4]?.retention).toBeUndefined();
    expect(() => setRetention(tree, 4, { days: 0, action: 'unfile' })).toThrow(/retention/);
    expect(() => setRetention(tree, 4, { days: 3, action: 'burn' as 'unfile' })).toThrow(/retention/);
  });
});
