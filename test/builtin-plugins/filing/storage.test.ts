// The filing tree and its filings in the plugin's storage, on both databases: changes made at once
// from many chats all land (one atomic update each), a refused change writes nothing, filings are
// kept per unit and found again by item.
import { describe, expect, it } from 'vitest';
import { FilingBook } from '../../../src/builtin-plugins/filing/filings.js';
import { createUnit, pathOf, setRole } from '../../../src/builtin-plugins/filing/tree.js';
import { TreeStore } from '../../../src/builtin-plugins/filing/tree-store.js';
import { pluginStorage } from '../../../src/plugins/storage.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../../support/databases.js';

describe.each(DATABASE_KINDS)('the filing tree in storage (%s)', (kind) => {
  const fixture = useMigratedDatabase(kind);

  it('keeps every one of many units made at once', async () => {
    const trees = new TreeStore(pluginStorage(fixture.handle.db, 'filing'));
    const root = await trees.change((tree) => {
      const made = createUnit(tree, { parent: null, name: 'Acme' });
      return { tree: made.tree, result: made.unit.id };
    });
    const ids = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        trees.change((tree) => {
          const made = createUnit(tree, { parent: root, name: `Team ${i}` });
          return { tree: made.tree, result: made.unit.id };
        }),
      ),
    );
    expect(new Set(ids).size).toBe(25);
    const tree = await trees.read();
    expect(Object.keys(tree.units)).toHaveLength(26);
    expect(pathOf(tree, ids[24] as number)).toBe('acme/team-24');
    // A refused change (a slug taken) leaves the tree as it was.
    await expect(
      trees.change((current) => ({ tree: createUnit(current, { parent: root, name: 'team 3' }).tree, result: 0 })),
    ).rejects.toMatchObject({
      code: 'FILING_CONFLICT',
    });
    await trees.change((current) => ({ tree: setRole(current, root, 42, 'owner'), result: undefined }));
    expect(Object.keys((await trees.read()).units)).toHaveLength(26);
    expect((await trees.read()).units[root]?.members).toEqual({ 42: 'owner' });
  });

  it('records filings per unit, once each, and finds the units of an item', async () => {
    const book = new FilingBook(pluginStorage(fixture.handle.db, 'filing-book'));
    const added = await Promise.all(['a', 'b', 'c', 'a'].map((item, i) => book.add(7, { item, by: 1, at: 1000 + i })));
    expect(added.filter(Boolean)).toHaveLength(3);
    await book.add(8, { item: 'a', by: 2, at: 2000 });
    expect((await book.list(7)).map((filing) => filing.item).sort()).toEqual(['a', 'b', 'c']);
    expect((await book.unitsOf('a')).sort()).toEqual([7, 8]);
    expect(await book.unitsWithItems()).toEqual(new Set([7, 8]));
    expect(await book.remove(7, 'b')).toBe(true);
    expect(await book.remove(7, 'b')).toBe(false);
    expect((await book.drop(8)).map((filing) => filing.item)).toEqual(['a']);
    expect(await book.unitsOf('a')).toEqual([7]);
  });
});
