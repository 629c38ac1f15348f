// Search by meaning with an OpenAI-compatible embeddings server (a local one speaking its wire
// format): an item is found by a word it does not contain but means the same, ranked with the
// full-text matches; unrelated items stay out; inline mode asks no embeddings; with the server down,
// items are still saved and found by their words.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeEmbeddings } from '../../support/fake-openai-embeddings.js';

const ADA = { id: 5001, first_name: 'Ada' };

describe('semantic search in the content store', () => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  const embeddings = new FakeEmbeddings([
    ['puppy', 'dog', 'canine', 'hound'],
    ['invoice', 'bill', 'payment', 'receipt'],
    ['rocket', 'launch', 'orbit'],
  ]);
  let bed: PluginTestBed;
  const ids: Record<string, string> = {};

  async function ask(text: string): Promise<string> {
    bed.push(text, ADA);
    return bed.popText({ userId: ADA.id });
  }

  beforeAll(async () => {
    await embeddings.start();
    bed = await createPluginTestBed({
      pluginsDir,
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: embeddings.url, OPENAI_EMBEDDING_MODEL: 'embed-test' },
      enable: { content: true },
    });
    for (const [key, text] of [
      ['puppy', 'Our puppy chewed the sofa again'],
      ['bill', 'The electricity bill is due on Friday'],
      ['rocket', 'Rocket launch window opens at dawn'],
    ]) {
      ids[key as string] = /Saved as ([a-z0-9]+)/.exec(await ask(`/save ${text}`))?.[1] ?? '';
    }
  });

  afterAll(async () => {
    await bed?.close();
    await embeddings.close();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  it('finds an item by a word that means what it says, and leaves unrelated ones out', async () => {
    const answer = await ask('/search canine');
    expect(answer).toContain(ids.puppy);
    expect(answer).not.toContain(ids.bill);
    expect(answer).not.toContain(ids.rocket);
    expect(embeddings.requests.at(-1)).toEqual(['canine']);
  });

  it('ranks a word match and a meaning match together', async () => {
    const answer = await ask('/search payment electricity');
    expect(answer).toContain(ids.bill);
    expect(answer).not.toContain(ids.puppy);
  });

  it('asks no embedding for inline queries', async () => {
    const before = embeddings.requests.length;
    const answer = await bed.inline('rocket', { user: ADA });
    expect(answer.results.map((result) => result.id)).toEqual([ids.rocket]);
    expect(embeddings.requests.length).toBe(before);
  });

  it('saves and finds by words alone while the embeddings server fails', async () => {
    embeddings.failWith = 500;
    try {
      const saved = await ask('/save The hound needs a walk at noon');
      expect(saved).toMatch(/^Saved as [a-z0-9]+/);
      expect(await ask('/search walk noon')).toContain(/Saved as ([a-z0-9]+)/.exec(saved)?.[1] ?? '?');
    } finally {
      embeddings.failWith = undefined;
    }
  });
});
