// Roles hold for the subtree, owner ⊃ editor ⊃ viewer, admins may everything; the labels the
// content store gets follow them, and a unit outside the reader's part is reported as missing.
import { describe, expect, it } from 'vitest';
import { authorize } from '../../../src/builtin-plugins/filing/desk.js';
import { audienceOf, may, roleAt, topUnits } from '../../../src/builtin-plugins/filing/roles.js';
import { createUnit, emptyTree, setRole, type Tree } from '../../../src/builtin-plugins/filing/tree.js';

const OWNER = 10;
const EDITOR = 20;
const VIEWER = 30;
const OUTSIDER = 40;
const reader = (userId: number) => ({ userId, isAdmin: false });

/** acme (1) → engineering (2) → backend (3); acme → sales (4). Owner of acme, editor of engineering, viewer of backend. */
function team(): Tree {
  let tree = emptyTree();
  for (const [parent, name] of [
    [null, 'Acme'],
    [1, 'Engineering'],
    [2, 'Backend'],
    [1, 'Sales'],
  ] as const) {
    tree = createUnit(tree, { parent, name }).tree;
  }
  tree = setRole(tree, 1, OWNER, 'owner');
  tree = setRole(tree, 2, EDITOR, 'editor');
  return setRole(tree, 3, VIEWER, 'viewer');
}

describe('roles in the filing tree', () => {
  it('hold for the subtree, the strongest one counting', () => {
    const tree = setRole(team(), 3, EDITOR, 'viewer');
    expect(roleAt(tree, 3, OWNER)).toBe('owner');
    expect(roleAt(tree, 3, EDITOR)).toBe('editor');
    expect(roleAt(tree, 4, EDITOR)).toBeUndefined();
    expect(roleAt(tree, 3, VIEWER)).toBe('viewer');
    expect(roleAt(tree, 2, VIEWER)).toBeUndefined();
  });

  it('allow view, file and manage by rank', () => {
    const tree = team();
    expect(may(tree, reader(VIEWER), 3, 'view')).toBe(true);
    expect(may(tree, reader(VIEWER), 3, 'file')).toBe(false);
    expect(may(tree, reader(EDITOR), 3, 'file')).toBe(true);
    expect(may(tree, reader(EDITOR), 3, 'manage')).toBe(false);
    expect(may(tree, reader(OWNER), 3, 'manage')).toBe(true);
    expect(may(tree, reader(OUTSIDER), 1, 'view')).toBe(false);
    expect(may(tree, { userId: OUTSIDER, isAdmin: true }, 4, 'manage')).toBe(true);
    expect(may(tree, { userId: OUTSIDER, isAdmin: true }, 99, 'view')).toBe(false);
  });

  it('give the content store a label per unit the user may view, and team to members', () => {
    const tree = team();
    expect(audienceOf(tree, VIEWER)).toEqual(['unit:3', 'team']);
    expect(audienceOf(tree, EDITOR).sort()).toEqual(['team', 'unit:2', 'unit:3']);
    expect(audienceOf(tree, OWNER)).toHaveLength(5);
    expect(audienceOf(tree, OUTSIDER)).toEqual([]);
  });

  it('start browsing at the highest units the user may view', () => {
    const tree = team();
    expect(topUnits(tree, reader(VIEWER)).map((unit) => unit.id)).toEqual([3]);
    expect(topUnits(tree, reader(OWNER)).map((unit) => unit.id)).toEqual([1]);
    expect(topUnits(tree, reader(OUTSIDER))).toEqual([]);
  });

  it('report a unit outside the reader’s part as missing, one they see but may not change as not allowed', () => {
    const tree = team();
    expect(() => authorize(tree, reader(VIEWER), 4, 'view')).toThrow(
      expect.objectContaining({ code: 'FILING_NOT_FOUND' }),
    );
    expect(() => authorize(tree, reader(VIEWER), 99, 'view')).toThrow(
      expect.objectContaining({ code: 'FILING_NOT_FOUND' }),
    );
    expect(() => authorize(tree, reader(VIEWER), 3, 'file')).toThrow(
      expect.objectContaining({ code: 'FILING_NOT_ALLOWED' }),
    );
    expect(authorize(tree, reader(EDITOR), 3, 'file').slug).toBe('backend');
  });
});
