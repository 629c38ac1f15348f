// The install directory as a git checkout (simple-git): where HEAD is, what a remote offers, the
// changelog between two commits, whether the tree has local changes, and moving HEAD (detached, so
// that going back is checking out the old commit again, with no branch to rewind).
import { realpath } from 'node:fs/promises';
import { type SimpleGit, simpleGit } from 'simple-git';
import { z } from 'zod';
import { OmniError } from '../../errors.js';

const packageJson = z.object({ version: z.string().min(1) });

export class GitCheckout {
  private readonly git: SimpleGit;

  constructor(readonly dir: string) {
    this.git = simpleGit({ baseDir: dir });
  }

  /** Refuses a folder that is not the top of a git checkout (an npm install, a copied tarball). */
  async assertCheckout(): Promise<void> {
    const top = await this.git.revparse(['--show-toplevel']).catch(() => undefined);
    if (!top || (await realpath(top.trim())) !== (await realpath(this.dir))) {
      throw new OmniError('UPDATE_NOT_A_CHECKOUT', this.dir);
    }
  }

  /**
   * Tracked files changed or staged. Untracked files are not counted: what the app writes (data/,
   * dist/, node_modules, .env) is ignored by .gitignore, and git itself refuses a checkout that
   * would overwrite an untracked file.
   */
  async localChanges(): Promise<string[]> {
    const status = await this.git.status();
    return status.files.filter((file) => file.index !== '?' && file.working_dir !== '?').map((file) => file.path);
  }

  async head(): Promise<string> {
    return (await this.git.revparse(['HEAD'])).trim();
  }

  async fetchBranch(remote: string, branch: string): Promise<string> {
    await this.fetch(remote, ['fetch', remote, branch]);
    return this.commitOf(`refs/remotes/${remote}/${branch}`).catch(() => this.commitOf('FETCH_HEAD'));
  }

  async fetchTag(remote: string, tag: string): Promise<string> {
    await this.fetch(remote, ['fetch', '--force', remote, `refs/tags/${tag}:refs/tags/${tag}`]);
    return this.commitOf(`refs/tags/${tag}`);
  }

  /** Fetches the remote first, so that a ref it has (a branch, a tag, a commit) resolves. */
  async fetchRef(remote: string, ref: string): Promise<string> {
    await this.fetch(remote, ['fetch', '--tags', remote]);
    for (const candidate of [`refs/remotes/${remote}/${ref}`, ref]) {
      const commit = await this.commitOf(candidate).catch(() => undefined);
      if (commit) return commit;
    }
    throw new OmniError('UPDATE_UNKNOWN_REF', ref);
  }

  /** A fetch that fails names the remote and what git said, and how to point elsewhere. */
  private async fetch(remote: string, args: string[]): Promise<void> {
    try {
      await this.git.raw(args);
    } catch (error) {
      const said = (error as Error).message.split('\n')[0]?.replace(/^fatal: /, '');
      throw new OmniError('UPDATE_SOURCE_FAILED', `git fetch from "${remote}" (UPDATE_REMOTE): ${said}`);
    }
  }

  /** The commit `ref` names; throws UPDATE_UNKNOWN_REF when it names none (`--quiet` prints nothing then). */
  async commitOf(ref: string): Promise<string> {
    const commit = (await this.git.revparse(['--verify', '--quiet', `${ref}^{commit}`]).catch(() => '')).trim();
    if (!commit) throw new OmniError('UPDATE_UNKNOWN_REF', ref);
    return commit;
  }

  async versionAt(commit: string): Promise<string> {
    return packageJson.parse(JSON.parse(await this.git.show([`${commit}:package.json`]))).version;
  }

  /** `git log --oneline from..to`: what the update brings, newest first. */
  async changelog(from: string, to: string): Promise<string[]> {
    const out = await this.git.raw(['log', '--oneline', '--no-decorate', `${from}..${to}`]);
    return out.split('\n').filter(Boolean);
  }

  async checkout(commit: string): Promise<string> {
    return this.git.raw(['checkout', '--force', '--detach', commit]);
  }
}
