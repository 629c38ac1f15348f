// What /files shows at the top of a user's part of the tree, a page at a time, with buttons whose
// data fits Telegram's 64 bytes and parses back; and the configured template refused with its line.
import { describe, expect, it } from 'vitest';
import type { ContentStore } from '../../../src/builtin-plugins/content/service.js';
import { BROWSE_CALLBACK, breadcrumbs, parsePlace, topView } from '../../../src/builtin-plugins/filing/browse.js';
import { filingConfig } from '../../../src/builtin-plugins/filing/config.js';
import { strings } from '../../../src/builtin-plugins/filing/strings.js';
import { createUnit, emptyTree, setRole, type Tree } from '../../../src/builtin-plugins/filing/tree.js';

const t = (key: keyof typeof strings.en) => String(strings.en[key]);
const noStore = {} as ContentStore;

/** Twenty teams at the top, user 5 a viewer of the odd ones and of team 2's "Docs" below it. */
function teams(): Tree {
  let tree = emptyTree();
  for (let i = 1; i <= 20; i++) {
    tree = createUnit(tree, { parent: null, name: `Team ${String(i).padStart(2, '0')}` }).tree;
    if (i % 2 === 1) tree = setRole(tree, i, 5, 'viewer');
  }
  const docs = createUnit(tree, { parent: 2, name: 'Docs' });
  return setRole(docs.tree, docs.unit.id, 5, 'viewer');
}

describe('browsing the tree', () => {
  it('starts at the units the user may view, a page at a time', () => {
    const deps = { tree: teams(), store: noStore, reader: { userId: 5, isAdmin: false }, t, pageSize: 8 };
    const first = topView(deps, 0);
    expect(first.text).toBe('Your folders:');
    const labels = first.keyboard.flat().map((button) => button.text);
    expect(labels).toEqual([
      '📁 Docs',
      '📁 Team 01',
      '📁 Team 03',
      '📁 Team 05',
      '📁 Team 07',
      '📁 Team 09',
      '📁 Team 11',
      '📁 Team 13',
      'More ▶️',
    ]);
    const second = topView(deps, 1);
    expect(second.keyboard.flat().map((button) => button.text)).toEqual([
      '📁 Team 15',
      '📁 Team 17',
      '📁 Team 19',
      '◀️ Back',
    ]);
    for (const button of [...first.keyboard, ...second.keyboard].flat()) {
      expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
      const match = BROWSE_CALLBACK.exec(button.callback_data);
      expect(match).not.toBeNull();
    }
    expect(parsePlace(BROWSE_CALLBACK.exec('fl:o:21:3') as RegExpExecArray)).toEqual({ unit: 21, page: 3 });
    expect(parsePlace(BROWSE_CALLBACK.exec('fl:t:1') as RegExpExecArray)).toEqual({ page: 1 });
    expect(BROWSE_CALLBACK.test('fl:o:1:2:3')).toBe(false);
    expect(BROWSE_CALLBACK.test('fl:o:-1:0')).toBe(false);
  });

  it('names a unit from the first one the user may view', () => {
    const tree = teams();
    expect(breadcrumbs(tree, { userId: 5, isAdmin: false }, 21)).toBe('Docs');
    expect(breadcrumbs(tree, { userId: 5, isAdmin: true }, 21)).toBe('Team 02 › Docs');
  });

  it('shows nothing to someone without a role', () => {
    const view = topView({ tree: teams(), store: noStore, reader: { userId: 6, isAdmin: false }, t, pageSize: 8 }, 0);
    expect(view.keyboard).toEqual([]);
  });
});

describe('the configured template', () => {
  it('is refused with its line and field when saved', () => {
    const checked = filingConfig.safeParse({ template: 'units:\n  - name: A\n    kind: 7\n' });
    expect(checked.success).toBe(false);
    expect(checked.error?.issues[0]?.message).toBe(
      'the filing template is invalid: line 3: units.0.kind: Invalid input: expected string, received number',
    );
    expect(filingConfig.parse({})).toEqual({ pageSize: 8 });
  });
});
