// Whatever a user types into a search box, the database never errors: FTS5 and tsquery syntax,
// quotes, backslashes, operators and any unicode are only words (or nothing) to ctx.search.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PluginSearch } from '../../src/plugins/api.js';
import { pluginSearch } from '../../src/plugins/search/store.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';

const SYNTAX = [
  '"',
  '*',
  ':',
  '(',
  ')',
  '^',
  '-',
  'NEAR',
  'NEAR/2',
  'OR',
  'AND',
  'NOT',
  "'",
  '\\',
  '!',
  '&',
  '|',
  '<->',
  ':*',
  '{',
  '}',
  '+',
  '\u0000',
  'title:',
  'ñ',
  '日本語',
  '🍅',
  'e\u0301',
  ' ',
];
const hostile = fc
  .array(
    fc.oneof(
      fc.constantFrom(...SYNTAX),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    ),
    { maxLength: 12 },
  )
  .map((pieces) => pieces.join(''));

describe.each(DATABASE_KINDS)('hostile query strings on %s', (kind) => {
  const fixture = useMigratedDatabase(kind);
  let search: PluginSearch;

  beforeAll(async () => {
    search = pluginSearch(fixture.handle.db, 'hostile');
    await search.putMany([
      {
        id: 'a',
        title: 'NEAR the OR',
        text: 'Tomatoes "quoted" (parens) col:on back\\slash 日本語 café 🍅',
        language: 'en',
        access: ['public'],
      },
      { id: 'b', text: 'another record, in German', language: 'de', tags: ['x'] },
    ]);
  });

  it('answers every query without a database error', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, fc.boolean(), async (text, filtered) => {
        const page = await search.query(filtered ? { text, audience: ['public'], tags: ['x'] } : { text });
        expect(Array.isArray(page.hits)).toBe(true);
        // As a label, the same string is either taken or refused with the catalogue's error.
        const counted = await search.count({ tags: [text.slice(0, 200) || 't'] }).catch((error: unknown) => error);
        if (typeof counted !== 'number') expect((counted as { code?: string }).code).toBe('SEARCH_INVALID_QUERY');
      }),
      { numRuns: kind === 'sqlite' ? 400 : 200 },
    );
  });

  it('indexes titles and texts holding NUL characters', async () => {
    await search.put({ id: 'nul', title: 'zero\u0000byte', text: 'nul\u0000char' });
    expect((await search.query({ text: 'char' })).hits.map((hit) => hit.id)).toEqual(['nul']);
    await search.remove('nul');
  });

  it('still finds words next to syntax characters', async () => {
    expect((await search.query({ text: '("quoted" OR col:on*' })).hits.map((hit) => hit.id)).toEqual(['a']);
    expect((await search.query({ text: 'NEAR (日本語)' })).hits.map((hit) => hit.id)).toEqual(['a']);
  });
});
