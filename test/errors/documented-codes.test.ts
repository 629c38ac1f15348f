// Every code of the error catalogue is documented in docs/ERRORS.md with its status, and the
// document lists no code the catalogue lacks (the way Fastify keeps docs/Reference/Errors.md).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../src/errors.js';

const ROW = /^\| `([A-Z][A-Z0-9_]*)` \| (\d{3}) \| (.*) \|$/;

function documentedCodes(): Map<string, { status: number; meaning: string }> {
  const text = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');
  const rows = new Map<string, { status: number; meaning: string }>();
  for (const line of text.split('\n')) {
    const match = ROW.exec(line);
    if (!match) continue;
    const [, code, status, meaning] = match as unknown as [string, string, string, string];
    expect(rows.has(code), `${code} is listed twice`).toBe(false);
    rows.set(code, { status: Number(status), meaning: meaning.trim() });
  }
  return rows;
}

describe('docs/ERRORS.md', () => {
  const documented = documentedCodes();

  it('lists every catalogue code with its status and a meaning', () => {
    for (const [code, { status }] of Object.entries(errorCatalogue)) {
      expect(documented.get(code), `${code} is not in docs/ERRORS.md`).toBeDefined();
      expect(documented.get(code)?.status, `status of ${code}`).toBe(status);
      expect(documented.get(code)?.meaning.length, `meaning of ${code}`).toBeGreaterThan(10);
    }
  });

  it('lists no code the catalogue lacks', () => {
    const unknown = [...documented.keys()].filter((code) => !Object.hasOwn(errorCatalogue, code));
    expect(unknown).toEqual([]);
  });
});
