// Names the code that was measured: the git commit of the working tree, and whether it had changes.
import { execFileSync } from 'node:child_process';
import { ROOT } from './settings.js';

export function describeRevision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--', 'src') ? `${commit} with uncommitted changes in src/` : commit;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
