// The daily retention run: in each unit with a rule, items filed longer ago than its days are
// unfiled, or deleted from the content store (and so from every folder), each one audited.
import type { ContentStore } from '../content/service.js';
import type { AuditEntry } from './desk.js';
import type { FilingBook } from './filings.js';
import { unitLabel } from './roles.js';
import { pathOf, type Tree } from './tree.js';

const DAY_MS = 86_400_000;

export interface RetentionDeps {
  tree: Tree;
  filings: FilingBook;
  store: ContentStore;
  audit(action: string, entry: AuditEntry): Promise<void>;
  now: number;
}

/** Applies every unit's rule once; returns how many items were unfiled and deleted. */
export async function runRetention({ tree, filings, store, audit, now }: RetentionDeps) {
  const done = { unfiled: 0, deleted: 0 };
  for (const unit of Object.values(tree.units)) {
    const rule = unit.retention;
    if (!rule) continue;
    const cutoff = now - rule.days * DAY_MS;
    const expired = (await filings.list(unit.id)).filter((filing) => filing.at < cutoff);
    for (const filing of expired) {
      const target = pathOf(tree, unit.id);
      if (rule.action === 'delete') {
        for (const holder of await filings.unitsOf(filing.item)) await filings.remove(holder, filing.item);
        await store.remove(filing.item);
        done.deleted += 1;
      } else {
        await filings.remove(unit.id, filing.item);
        await store.unshare(filing.item, unitLabel(unit.id));
        done.unfiled += 1;
      }
      await audit(`retention.${rule.action}`, {
        target,
        details: { id: unit.id, item: filing.item, filedAt: filing.at },
      });
    }
  }
  return done;
}
