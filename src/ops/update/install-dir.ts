// The install directory: the folder holding the package.json that this dist/ (or src/) runs from,
// which is the git checkout a self-update moves.
import { fileURLToPath } from 'node:url';

export function installDirectory(): string {
  return fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
}
