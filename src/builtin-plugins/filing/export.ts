// What an export holds: the items filed in a unit's subtree (or the whole tree) that the reader may
// see, with their text, streamed into the archive as they are read from the content store.
import type { Readable } from 'node:stream';
import type { ContentStore, Reader } from '../content/service.js';
import { type ArchiveEntry, exportArchive } from './archive.js';
import type { FilingBook } from './filings.js';
import { may } from './roles.js';
import { pathOf, subtreeOf, type Tree, type Unit } from './tree.js';

export interface ExportDeps {
  tree: Tree;
  store: ContentStore;
  filings: FilingBook;
  reader: Reader;
}

async function* entriesOf({ tree, store, filings, reader }: ExportDeps, units: readonly Unit[]) {
  for (const unit of units) {
    if (!may(tree, reader, unit.id, 'view')) continue;
    for (const filing of await filings.list(unit.id)) {
      const item = await store.get(filing.item, reader);
      if (!item) continue;
      const text = (await store.text(filing.item, reader)) ?? '';
      yield { folder: pathOf(tree, unit.id), item, text } satisfies ArchiveEntry;
    }
  }
}

/** Counts the entries as they pass, for a caption once the archive is read. */
async function* counted(entries: AsyncIterable<ArchiveEntry>, count: { items: number }) {
  for await (const entry of entries) {
    count.items += 1;
    yield entry;
  }
}

/**
 * The archive of a unit's subtree (`unitId`), or of every unit the reader may view; its file name,
 * and how many items it has taken so far (complete once the stream has ended).
 */
export function exportUnits(deps: ExportDeps, unitId: number | undefined, now = new Date()) {
  const { tree } = deps;
  const units =
    unitId === undefined
      ? Object.values(tree.units).sort((a, b) => pathOf(tree, a.id).localeCompare(pathOf(tree, b.id)))
      : subtreeOf(tree, unitId);
  const name = unitId === undefined ? 'filing' : pathOf(tree, unitId).replace(/\//g, '-');
  const title = unitId === undefined ? 'All folders' : pathOf(tree, unitId);
  const count = { items: 0 };
  const stream: Readable = exportArchive(counted(entriesOf(deps, units), count), name, title, now);
  return { stream, fileName: `${name}-${now.toISOString().slice(0, 10)}.tar.gz`, count };
}
