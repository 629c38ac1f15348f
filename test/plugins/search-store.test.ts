// ctx.search on SQLite and PostgreSQL: ranking, stemming and prefixes, phrases, exclusion, every
// filter, audiences that never leak, paging, patch, remove, putMany, count, languages, vectors with
// fusion, and records refused with the catalogue's errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { OmniError } from '../../src/errors.js';
import type { PluginSearch, SearchQuery } from '../../src/plugins/api.js';
import { pluginSearch } from '../../src/plugins/search/store.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';

const ids = async (search: PluginSearch, query: SearchQuery) => (await search.query(query)).hits.map((hit) => hit.id);

describe.each(DATABASE_KINDS)('ctx.search on %s', (kind) => {
  const fixture = useMigratedDatabase(kind);
  let search: PluginSearch;

  beforeAll(async () => {
    search = pluginSearch(fixture.handle.db, 'library');
    await search.putMany([
      {
        id: 'garden',
        title: 'Gardening',
        text: 'Planting tomatoes in spring: water the seedlings daily.',
        createdAt: 1000,
        tags: ['home', 'plants'],
        owner: 1,
        kind: 'text',
        access: ['public'],
        language: 'en',
      },
      {
        id: 'tomato-title',
        title: 'Tomatoes',
        text: 'A short note about red fruit.',
        createdAt: 2000,
        tags: ['plants'],
        owner: 2,
        kind: 'link',
        access: ['user:2'],
        language: 'en',
      },
      {
        id: 'tomato-many',
        title: 'Salad',
        text: 'Tomatoes, tomatoes and more tomatoes for the salad.',
        createdAt: 3000,
        tags: ['food'],
        owner: 1,
        kind: 'text',
        access: ['public', 'unit:7'],
        language: 'en',
      },
      {
        id: 'tomato-once',
        title: 'Soup',
        text: 'A soup with one tomato and lots of onions.',
        createdAt: 4000,
        tags: ['food'],
        owner: 3,
        kind: 'text',
        language: 'en',
      },
      {
        id: 'cafe',
        title: 'Café',
        text: 'Le café crème était délicieux.',
        createdAt: 5000,
        owner: 4,
        language: 'fr',
        access: ['public'],
      },
      {
        id: 'running',
        title: 'Sport',
        text: 'He was running through the park every morning.',
        createdAt: 6000,
        language: 'en',
        data: { url: 'https://example.org' },
      },
    ]);
    await pluginSearch(fixture.handle.db, 'other').put({
      id: 'foreign',
      title: 'Tomatoes',
      text: 'tomatoes of another plugin',
      access: ['public'],
    });
  });

  it('ranks a title match above text matches, and more matches above fewer', async () => {
    const hits = await ids(search, { text: 'tomatoes' });
    expect(hits[0]).toBe('tomato-title');
    expect(hits.indexOf('tomato-many')).toBeLessThan(hits.indexOf('tomato-once'));
    expect(hits).not.toContain('foreign');
  });

  it('stems words and takes the last word as a prefix', async () => {
    expect(await ids(search, { text: 'runs' })).toEqual(['running']);
    expect(await ids(search, { text: 'seedl' })).toEqual(['garden']);
    expect(await ids(search, { text: 'onion sou' })).toEqual(['tomato-once']);
  });

  it('finds words whatever their case and diacritics', async () => {
    expect(await ids(search, { text: 'CAFE creme' })).toEqual(['cafe']);
  });

  it('matches quoted phrases as phrases', async () => {
    expect(await ids(search, { text: '"water the seedlings"' })).toEqual(['garden']);
    expect(await ids(search, { text: '"seedlings water"' })).toEqual([]);
  });

  it('leaves out records with excluded words, also when nothing else is asked', async () => {
    expect(new Set(await ids(search, { text: 'tomatoes -salad' }))).toEqual(
      new Set(['garden', 'tomato-title', 'tomato-once']),
    );
    expect(await ids(search, { text: '-tomatoes -café' })).toEqual(['running']);
  });

  it('filters by tags (all of them), kind, owner and creation time', async () => {
    expect(new Set(await ids(search, { text: 'tomatoes', tags: ['plants'] }))).toEqual(
      new Set(['garden', 'tomato-title']),
    );
    expect(await ids(search, { text: 'tomatoes', tags: ['plants', 'home'] })).toEqual(['garden']);
    expect(await ids(search, { text: 'tomatoes', kind: 'link' })).toEqual(['tomato-title']);
    expect(new Set(await ids(search, { text: 'tomatoes', owner: 1 }))).toEqual(new Set(['garden', 'tomato-many']));
    expect(await ids(search, { after: 2000, before: 4000 })).toEqual(['tomato-many', 'tomato-title']);
  });

  it('never shows a record to an audience holding none of its labels', async () => {
    expect(new Set(await ids(search, { text: 'tomatoes', audience: ['public'] }))).toEqual(
      new Set(['garden', 'tomato-many']),
    );
    expect(await ids(search, { text: 'tomatoes', audience: ['user:2'] })).toEqual(['tomato-title']);
    expect(await ids(search, { text: 'tomatoes', audience: [] })).toEqual([]);
    // Records without labels are invisible to any audience, also when browsing.
    expect(await ids(search, { audience: ['user:3', 'unit:8'] })).toEqual([]);
    expect(await search.count({ audience: ['public'] })).toBe(3);
  });

  it('lists the filtered records newest first without text, and pages with next', async () => {
    const first = await search.query({ limit: 4 });
    expect(first.hits.map((hit) => hit.id)).toEqual(['running', 'cafe', 'tomato-once', 'tomato-many']);
    expect(first.next).toBe(4);
    const second = await search.query({ limit: 4, offset: 4 });
    expect(second.hits.map((hit) => hit.id)).toEqual(['tomato-title', 'garden']);
    expect(second.next).toBeUndefined();
    const ranked = await search.query({ text: 'tomatoes', limit: 2 });
    expect(ranked.next).toBe(2);
    const rest = await search.query({ text: 'tomatoes', limit: 2, offset: 2 });
    expect(rest.next).toBeUndefined();
    expect([...ranked.hits, ...rest.hits].map((hit) => hit.id).sort()).toEqual([
      'garden',
      'tomato-many',
      'tomato-once',
      'tomato-title',
    ]);
  });

  it('hands back what it holds of a record', async () => {
    expect(await search.get('running')).toEqual({
      id: 'running',
      title: 'Sport',
      language: 'en',
      kind: null,
      owner: null,
      tags: [],
      access: [],
      createdAt: 6000,
      data: { url: 'https://example.org' },
    });
    expect(await search.get('nothing')).toBeUndefined();
  });

  it('counts with and without filters', async () => {
    expect(await search.count()).toBe(6);
    expect(await search.count({ tags: ['food'] })).toBe(2);
    expect(await search.count({ owner: 1, kind: 'text' })).toBe(2);
  });

  it('patches fields and labels without indexing the text again', async () => {
    const local = pluginSearch(fixture.handle.db, 'patching');
    await local.put({
      id: 'a',
      title: 'Old title',
      text: 'the body of the record',
      tags: ['x'],
      access: ['public'],
      data: 1,
    });
    expect(await local.patch('a', { tags: ['y'], data: { n: 2 }, owner: 9 })).toBe(true);
    expect(await local.patch('missing', { tags: ['y'] })).toBe(false);
    const record = await local.get('a');
    expect(record).toMatchObject({ title: 'Old title', tags: ['y'], access: ['public'], data: { n: 2 }, owner: 9 });
    expect(await ids(local, { text: 'body', tags: ['y'] })).toEqual(['a']);
    expect(await ids(local, { tags: ['x'] })).toEqual([]);
  });

  it('replaces a record put again and removes it from the index', async () => {
    const local = pluginSearch(fixture.handle.db, 'replacing');
    await local.put({ id: 'a', text: 'first version about apples', createdAt: 10 });
    await local.put({ id: 'a', text: 'second version about pears' });
    expect(await ids(local, { text: 'apples' })).toEqual([]);
    expect(await ids(local, { text: 'pears' })).toEqual(['a']);
    expect((await local.get('a'))?.createdAt).toBe(10);
    expect(await local.remove('a')).toBe(true);
    expect(await local.remove('a')).toBe(false);
    expect(await ids(local, { text: 'pears' })).toEqual([]);
    expect(await local.count()).toBe(0);
  });

  it('writes nothing of a putMany that holds a bad record', async () => {
    const local = pluginSearch(fixture.handle.db, 'batch');
    await expect(
      local.putMany([
        { id: 'ok', text: 'fine' },
        { id: '', text: 'bad id' },
      ]),
    ).rejects.toMatchObject({
      code: 'SEARCH_INVALID_RECORD',
    });
    expect(await local.count()).toBe(0);
  });

  it('refuses bad records and queries with the catalogue errors', async () => {
    const bad: unknown[] = [
      { id: 'x'.repeat(129), text: 'a' },
      { id: 'a', text: 'x'.repeat(1024 * 1024 + 1) },
      { id: 'a', text: 'a', data: { big: 'x'.repeat(17 * 1024) } },
      { id: 'a', text: 'a', data: 10n },
      { id: 'a', text: 'a', vector: [1, Number.NaN] },
      { id: 'a', text: 'a', createdAt: -1 },
      { id: 'a', text: 42 },
      { id: 'a', text: 'a', surprise: true },
    ];
    for (const record of bad) {
      const error = await search.put(record as never).catch((caught: unknown) => caught);
      expect(
        error,
        JSON.stringify(record, (_, v) => (typeof v === 'bigint' ? 'bigint' : v))?.slice(0, 80),
      ).toBeInstanceOf(OmniError);
      expect((error as OmniError).code).toBe('SEARCH_INVALID_RECORD');
    }
    for (const query of [{ limit: 0 }, { limit: 101 }, { offset: 10_001 }, { text: 5 }]) {
      await expect(search.query(query as never)).rejects.toMatchObject({ code: 'SEARCH_INVALID_QUERY' });
    }
    await expect(search.patch('garden', { title: 7 } as never)).rejects.toMatchObject({
      code: 'SEARCH_INVALID_RECORD',
    });
  });

  it('ranks by cosine similarity, and fuses it with the text ranking', async () => {
    const local = pluginSearch(fixture.handle.db, 'vectors');
    await local.putMany([
      { id: 'north', text: 'a cold place with snow', vector: [0, 1, 0], access: ['public'] },
      { id: 'east', text: 'sunrise over the sea with snow', vector: [1, 0.1, 0], access: ['public'] },
      { id: 'south', text: 'a warm place', vector: [0, -1, 0.1], access: ['public'] },
      { id: 'hidden', text: 'snow', vector: [0, 1, 0] },
    ]);
    expect(await ids(local, { vector: [0, 2, 0], audience: ['public'] })).toEqual(['north', 'east', 'south']);
    const page = await local.query({ vector: [0, 1, 0], limit: 1 });
    expect(page.next).toBe(1);
    // "snow" in east and north, the vector near east: east is first in both rankings.
    const fused = await ids(local, { text: 'sunrise snow', vector: [1, 0, 0], audience: ['public'] });
    expect(fused[0]).toBe('east');
    expect(fused).not.toContain('hidden');
    await expect(local.put({ id: 'bad', text: 'x', vector: [1, 2] })).rejects.toMatchObject({
      code: 'SEARCH_VECTOR_LENGTH',
    });
    await expect(local.query({ vector: [1] })).rejects.toMatchObject({ code: 'SEARCH_VECTOR_LENGTH' });
  });

  it('stems each record in its own language', async () => {
    const local = pluginSearch(fixture.handle.db, 'languages');
    await local.putMany([
      { id: 'de', text: 'Die Kinder spielten im Garten', language: 'de' },
      { id: 'en', text: 'The children played in the garden', language: 'en' },
      { id: 'xx', text: 'Zzyzx words without stemming', language: 'tlh' },
    ]);
    expect(await ids(local, { text: 'playing' })).toEqual(['en']);
    expect(await ids(local, { text: 'garden' })).toEqual(['en']);
    expect(await ids(local, { text: 'Zzyzx' })).toEqual(['xx']);
    // PostgreSQL stems German too ("Kindern" → kind, "spielt" → spielt); SQLite's porter knows English only.
    if (kind === 'postgres') expect(await ids(local, { text: '"Kindern spielt"' })).toEqual(['de']);
  });
});
