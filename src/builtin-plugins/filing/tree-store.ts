// The filing tree in the plugin's storage: one key, read whole and changed atomically (a change is
// a pure function of the tree, which storage.update may run again when another writer came first).
import type { PluginStorage } from '../../plugins/api.js';
import { emptyTree, type Tree } from './tree.js';

const KEY = 'tree';

export class TreeStore {
  constructor(private readonly storage: PluginStorage) {}

  async read(): Promise<Tree> {
    return (await this.storage.get<Tree>(KEY)) ?? emptyTree();
  }

  /** Applies `change` to the current tree and stores its tree; returns its result, from the run that was stored. */
  async change<R>(change: (tree: Tree) => { tree: Tree; result: R }): Promise<R> {
    let result: R | undefined;
    await this.storage.update<Tree>(KEY, (current) => {
      const done = change(current ?? emptyTree());
      result = done.result;
      return done.tree;
    });
    return result as R;
  }
}
