// `update check`: what the install runs and what its source offers — the next commit of
// UPDATE_REMOTE/UPDATE_BRANCH, or the latest GitHub release's tag when GITHUB_REPOSITORY is set —
// with the changelog between the two.
import type { GitCheckout } from './git-checkout.js';
import { latestRelease } from './github-release.js';

export interface UpdateSource {
  remote: string;
  branch: string;
  github?: { repository: string; apiRoot?: string | undefined; token?: string | undefined } | undefined;
}

export interface UpdateTarget {
  commit: string;
  version: string;
  /** The branch (remote/branch), release tag or ref it came from. */
  ref: string;
}

export interface UpdateCheck {
  current: { commit: string; version: string };
  available: UpdateTarget;
  upToDate: boolean;
  changelog: string[];
}

/** Fetches the target: `--to <ref>` when given, else the source's branch or latest release. */
export async function resolveTarget(git: GitCheckout, source: UpdateSource, ref?: string): Promise<UpdateTarget> {
  let commit: string;
  let name: string;
  if (ref) {
    commit = await git.fetchRef(source.remote, ref);
    name = ref;
  } else if (source.github) {
    const release = await latestRelease(source.github);
    commit = await git.fetchTag(source.remote, release.tag_name);
    name = release.tag_name;
  } else {
    commit = await git.fetchBranch(source.remote, source.branch);
    name = `${source.remote}/${source.branch}`;
  }
  return { commit, version: await git.versionAt(commit), ref: name };
}

export async function checkForUpdate(git: GitCheckout, source: UpdateSource): Promise<UpdateCheck> {
  await git.assertCheckout();
  const head = await git.head();
  const available = await resolveTarget(git, source);
  return {
    current: { commit: head, version: await git.versionAt(head) },
    available,
    upToDate: available.commit === head,
    changelog: await git.changelog(head, available.commit),
  };
}
