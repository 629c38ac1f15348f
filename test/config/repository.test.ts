// What the repository says about itself is true: the license it names is there, its documents
// link only to files inside it, and every package it installs runs on the Node.js it promises.
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

describe('the repository', () => {
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

  it('installs nothing that declares a newer Node.js than its engines range (npm warns EBADENGINE)', () => {
    // The oldest Node.js the range admits, and the one running here: npm warns for the Node it runs on.
    const oldest = semver.minVersion(String(manifest.engines?.node))?.version as string;
    expect(oldest).toBe('20.19.0');
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { version?: string; dev?: boolean; optional?: boolean; engines?: { node?: string } }>;
    };
    // Optional platform binaries (biome's, rolldown's) are installed only where they run.
    const refusing = Object.entries(lock.packages)
      .filter(([name, info]) => name !== '' && !info.optional && typeof info.engines?.node === 'string')
      .filter(
        ([, info]) => ![oldest, process.version].every((node) => semver.satisfies(node, info.engines?.node as string)),
      )
      .map(([name, info]) => `${name}@${info.version} wants node ${info.engines?.node}`);
    expect(refusing).toEqual([]);
  });
});
