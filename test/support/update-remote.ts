// An update source for tests that run against this very checkout: a local bare repository whose
// branch holds a release one commit ahead of HEAD (the same files), made without touching the work
// tree, so that a check finds an update on offer and nothing here moves.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHECKOUT = fileURLToPath(new URL('../../', import.meta.url));

export function remoteWithRelease(branch: string): { remote: string; release: string; dispose: () => void } {
  const remote = mkdtempSync(path.join(tmpdir(), 'omnicore-update-remote-'));
  execFileSync('git', ['init', '--quiet', '--bare', remote]);
  const identity = ['-c', 'user.name=Release', '-c', 'user.email=release@example.test'];
  const release = execFileSync('git', [...identity, 'commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', 'release 2'], {
    cwd: CHECKOUT,
    encoding: 'utf8',
  }).trim();
  execFileSync('git', ['push', '--quiet', remote, `${release}:refs/heads/${branch}`], { cwd: CHECKOUT });
  return { remote, release, dispose: () => rmSync(remote, { recursive: true, force: true }) };
}
