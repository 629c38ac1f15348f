// Which items are filed in which unit, by whom and when: one storage key per unit, so that filing
// in one folder never races filing in another. What retention and the panel's item lists read.
import type { PluginStorage } from '../../plugins/api.js';

export interface Filing {
  item: string;
  /** The Telegram user who filed it; 0 for an admin of the panel. */
  by: number;
  at: number;
}

const PREFIX = 'filed:';
const keyOf = (unitId: number): string => `${PREFIX}${unitId}`;

export class FilingBook {
  constructor(private readonly storage: PluginStorage) {}

  /** The unit's filings, newest first. */
  async list(unitId: number): Promise<Filing[]> {
    return (await this.storage.get<Filing[]>(keyOf(unitId))) ?? [];
  }

  /** Records a filing; false when the item was filed there already (the first record stays). */
  async add(unitId: number, filing: Filing): Promise<boolean> {
    let added = false;
    await this.storage.update<Filing[]>(keyOf(unitId), (current = []) => {
      added = !current.some((entry) => entry.item === filing.item);
      return added ? [filing, ...current] : current;
    });
    return added;
  }

  /** Removes the filing of `item` in the unit; false when there was none. */
  async remove(unitId: number, item: string): Promise<boolean> {
    let removed = false;
    await this.storage.update<Filing[]>(keyOf(unitId), (current = []) => {
      const kept = current.filter((entry) => entry.item !== item);
      removed = kept.length < current.length;
      return kept;
    });
    return removed;
  }

  /** Forgets every filing of a unit (a deleted unit); returns them. */
  async drop(unitId: number): Promise<Filing[]> {
    const filings = await this.list(unitId);
    await this.storage.delete(keyOf(unitId));
    return filings;
  }

  /** The units that hold at least one item. */
  async unitsWithItems(): Promise<Set<number>> {
    const held = new Set<number>();
    for (const key of await this.storage.keys(PREFIX)) {
      const filings = await this.storage.get<Filing[]>(key);
      if (filings && filings.length > 0) held.add(Number(key.slice(PREFIX.length)));
    }
    return held;
  }

  /** The units an item is filed in. */
  async unitsOf(item: string): Promise<number[]> {
    const found: number[] = [];
    for (const key of await this.storage.keys(PREFIX)) {
      const filings = await this.storage.get<Filing[]>(key);
      if (filings?.some((entry) => entry.item === item)) found.push(Number(key.slice(PREFIX.length)));
    }
    return found;
  }
}
