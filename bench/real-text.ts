// Real prose for the benchmarks, in a fixed order: the paragraphs of every README.md and CHANGELOG.md
// under node_modules and of the licences in /usr/share/common-licenses.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './settings.js';

/** Paragraphs of real prose, in a fixed order: every README.md and CHANGELOG.md under node_modules, and the licences. */
export function readParagraphs(): string[] {
  const files = [
    ...findFiles(path.join(ROOT, 'node_modules'), (name) => /^(readme|changelog)\.md$/i.test(name)),
    ...findFiles('/usr/share/common-licenses', () => true),
  ];
  const seen = new Set<string>();
  for (const file of files) {
    for (const block of readFileSync(file, 'utf8').split(/\n\s*\n/)) {
      const paragraph = block.replace(/\s+/g, ' ').trim();
      if (paragraph.length >= 80 && paragraph.length <= 4000 && /[a-z]{4}/.test(paragraph)) seen.add(paragraph);
    }
  }
  return [...seen];
}

function findFiles(dir: string, wanted: (name: string) => boolean, found: string[] = []): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    // Links into the same tree would only repeat files.
    if (entry.isDirectory()) findFiles(full, wanted, found);
    else if (entry.isFile() && wanted(entry.name)) found.push(full);
  }
  return found;
}
