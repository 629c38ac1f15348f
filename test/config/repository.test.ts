// What the repository says about itself is true: the Node.js range it declares suits every installed
// package (npm prints EBADENGINE otherwise), the license it names is there, and its documents link
// only to files inside it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface Manifest {
  name?: string;
  version?: string;
  license?: string;
  engines?: { node?: unknown };
}

const root = process.cwd();
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;

/** Every package.json under node_modules, nested ones included. */
function* installed(dir: string): Generator<Manifest> {
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const folder = path.join(dir, entry);
    if (entry.startsWith('@')) {
      yield* installed(folder);
      continue;
    }
    const file = path.join(folder, 'package.json');
    if (existsSync(file)) yield JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (existsSync(path.join(folder, 'node_modules'))) yield* installed(path.join(folder, 'node_modules'));
  }
}

describe('the repository', () => {
  it('declares a Node.js range that every installed package supports', () => {
    const ours = manifest.engines?.node as string;
    const refusing = [...installed(path.join(root, 'node_modules'))]
      .filter(({ engines }) => typeof engines?.node === 'string' && semver.validRange(engines.node))
      .filter(({ engines }) => !semver.subset(ours, engines?.node as string))
      .map(({ name, version, engines }) => `${name}@${version} wants node ${engines?.node}`);
    expect(refusing).toEqual([]);
  });

  it('ships the MIT license that package.json names', () => {
    expect(manifest.license).toBe('MIT');
    const license = readFileSync('LICENSE', 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} OMNICore contributors\n/);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  it('links its documents only to files inside it', () => {
    const documents = ['README.md', ...readdirSync('docs').map((name) => path.join('docs', name))];
    const broken: string[] = [];
    for (const document of documents.filter((name) => name.endsWith('.md'))) {
      const text = readFileSync(document, 'utf8');
      const targets = [
        ...[...text.matchAll(/\]\(([^)\s#]+)[^)]*\)/g)].map((match) => match[1] as string),
        // A path to another document written as code is a link too, only not clickable.
        ...[...text.matchAll(/`(\.\.?\/[\w./-]+\.md)`/g)].map((match) => match[1] as string),
      ].filter((target) => !/^[a-z]+:/.test(target));
      for (const target of targets) {
        const resolved = path.resolve(path.dirname(document), target);
        if (!resolved.startsWith(`${root}${path.sep}`) || !existsSync(resolved)) broken.push(`${document} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
