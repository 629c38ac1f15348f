// The git commit this code was built from, when it runs from a git checkout (the normal
// deployment); null anywhere else, e.g. an npm-installed copy or a machine without git.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// src/ops/backup/ and dist/ops/backup/ alike lie three folders below the checkout.
const CHECKOUT = fileURLToPath(new URL('../../../', import.meta.url));

export function gitCommit(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd: CHECKOUT, timeout: 5000 }, (error, stdout) => {
      const commit = stdout?.trim() ?? '';
      resolve(!error && /^[0-9a-f]{40}$/.test(commit) ? commit : null);
    });
  });
}
