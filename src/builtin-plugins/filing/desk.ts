// Every change to the filing system, as the bot and the panel ask for it: the actor's role checked
// on the tree the change is made to, the content store's access labels kept in step with the
// filings, and each change written to the audit log.
import { OmniError } from '../../plugins/api.js';
import type { ContentStore, Reader } from '../content/service.js';
import type { FilingBook } from './filings.js';
import { type Action, may, unitLabel } from './roles.js';
import { applyTemplate, type Template } from './template.js';
import {
  addUnit,
  deleteUnit,
  moveUnit,
  pathOf,
  type Retention,
  type Role,
  removeMember,
  renameUnit,
  setRetention,
  setRole,
  type Tree,
  type Unit,
  unitOf,
} from './tree.js';
import type { TreeStore } from './tree-store.js';

export interface AuditEntry {
  target?: string;
  details?: unknown;
}

/** Who acts, and how their changes reach the audit log (as `plugin.filing.<action>`). */
export interface Actor {
  reader: Reader;
  audit(action: string, entry: AuditEntry): Promise<void>;
}

/**
 * Refuses unless the reader may do `action` on the unit: a unit they may not even view is reported
 * as missing, so that nobody learns what exists outside their part of the tree.
 */
export function authorize(tree: Tree, reader: Reader, unitId: number, action: Action): Unit {
  const unit = tree.units[unitId];
  if (!unit || !may(tree, reader, unitId, 'view')) throw new OmniError('FILING_NOT_FOUND', `unit ${unitId}`);
  if (!may(tree, reader, unitId, action)) throw new OmniError('FILING_NOT_ALLOWED', pathOf(tree, unitId));
  return unit;
}

/** Making or moving a unit at the top of the tree is for the bot's admins. */
function authorizeParent(tree: Tree, reader: Reader, parent: number | null, action: Action): void {
  if (parent !== null) authorize(tree, reader, parent, action);
  else if (!reader.isAdmin) throw new OmniError('FILING_NOT_ALLOWED', 'the top of the tree');
}

export class FilingDesk {
  constructor(
    private readonly trees: TreeStore,
    private readonly filings: FilingBook,
    private readonly store: () => ContentStore,
  ) {}

  read(): Promise<Tree> {
    return this.trees.read();
  }

  /** A unit under `parent` (editors may make folders; the top is for admins). */
  async create(actor: Actor, parent: number | null, input: { name: string; slug?: string; kind?: string }) {
    const made = await this.trees.change((tree) => {
      authorizeParent(tree, actor.reader, parent, 'file');
      const next = structuredClone(tree);
      const unit = addUnit(next, { parent, ...input });
      return { tree: next, result: { unit, path: pathOf(next, unit.id) } };
    });
    await actor.audit('unit.create', { target: made.path, details: { id: made.unit.id, kind: made.unit.kind } });
    return made.unit;
  }

  async rename(actor: Actor, id: number, name: string, slug?: string): Promise<Unit> {
    const done = await this.trees.change((tree) => {
      authorize(tree, actor.reader, id, 'manage');
      const next = renameUnit(tree, id, name, slug);
      return { tree: next, result: { from: pathOf(tree, id), unit: unitOf(next, id), path: pathOf(next, id) } };
    });
    await actor.audit('unit.rename', { target: done.path, details: { id, from: done.from, name: done.unit.name } });
    return done.unit;
  }

  /** Moves a unit with its subtree: the actor owns both the unit and where it goes. */
  async move(actor: Actor, id: number, parent: number | null): Promise<Unit> {
    const done = await this.trees.change((tree) => {
      authorize(tree, actor.reader, id, 'manage');
      authorizeParent(tree, actor.reader, parent, 'manage');
      const next = moveUnit(tree, id, parent);
      return { tree: next, result: { from: pathOf(tree, id), unit: unitOf(next, id), path: pathOf(next, id) } };
    });
    await actor.audit('unit.move', { target: done.path, details: { id, from: done.from } });
    return done.unit;
  }

  /** Deletes a unit that holds nothing, or (`withSubtree`) with everything under it: their items are unfiled. */
  async remove(actor: Actor, id: number, withSubtree: boolean): Promise<number[]> {
    const holding = await this.filings.unitsWithItems();
    const done = await this.trees.change((tree) => {
      authorize(tree, actor.reader, id, 'manage');
      const path = pathOf(tree, id);
      const { tree: next, deleted } = deleteUnit(tree, id, { withSubtree, holdsItems: (unit) => holding.has(unit) });
      return { tree: next, result: { deleted, path } };
    });
    let unfiled = 0;
    for (const unit of done.deleted) {
      for (const filing of await this.filings.drop(unit)) {
        await this.store().unshare(filing.item, unitLabel(unit));
        unfiled += 1;
      }
    }
    await actor.audit('unit.delete', { target: done.path, details: { id, units: done.deleted.length, unfiled } });
    return done.deleted;
  }

  async setRole(actor: Actor, id: number, userId: number, role: Role): Promise<void> {
    const path = await this.trees.change((tree) => {
      authorize(tree, actor.reader, id, 'manage');
      return { tree: setRole(tree, id, userId, role), result: pathOf(tree, id) };
    });
    await actor.audit('member.set', { target: path, details: { id, user: userId, role } });
  }

  async removeMember(actor: Actor, id: number, userId: number): Promise<void> {
    const path = await this.trees.change((tree) => {
      authorize(tree, actor.reader, id, 'manage');
      return { tree: removeMember(tree, id, userId), result: pathOf(tree, id) };
    });
    await actor.audit('member.remove', { target: path, details: { id, user: userId } });
  }

  async setRetention(actor: Actor, id: number, retention: Retention | undefined): Promise<void> {
    const path = await this.trees.change((tree) => {
      authorize(tree, actor.reader, id, 'manage');
      return { tree: setRetention(tree, id, retention), result: pathOf(tree, id) };
    });
    await actor.audit('retention.set', { target: path, details: { id, retention: retention ?? null } });
  }

  /** Files an item the actor may see into a unit they may file in; false when it was filed there already. */
  async file(actor: Actor, id: number, item: string): Promise<boolean> {
    const tree = await this.trees.read();
    authorize(tree, actor.reader, id, 'file');
    if (!(await this.store().get(item, actor.reader))) throw new OmniError('FILING_NOT_FOUND', `item ${item}`);
    await this.store().share(item, unitLabel(id));
    const added = await this.filings.add(id, { item, by: actor.reader.userId, at: Date.now() });
    if (added) await actor.audit('item.file', { target: pathOf(tree, id), details: { id, item } });
    return added;
  }

  /** Takes an item out of a unit; false when it was not filed there. */
  async unfile(actor: Actor, id: number, item: string): Promise<boolean> {
    const tree = await this.trees.read();
    authorize(tree, actor.reader, id, 'file');
    const removed = await this.filings.remove(id, item);
    if (!removed) return false;
    await this.store().unshare(item, unitLabel(id));
    await actor.audit('item.unfile', { target: pathOf(tree, id), details: { id, item } });
    return true;
  }

  /** Applies a template by path (admins only); returns the paths made. */
  async applyTemplate(actor: Actor, template: Template): Promise<string[]> {
    if (!actor.reader.isAdmin) throw new OmniError('FILING_NOT_ALLOWED', 'templates are for the bot admins');
    const created = await this.trees.change((tree) => {
      const applied = applyTemplate(tree, template);
      return { tree: applied.tree, result: applied.created };
    });
    await actor.audit('template.apply', { details: { created: created.length } });
    return created;
  }
}
