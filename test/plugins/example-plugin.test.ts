// The example plugin in examples/plugins, driven the way a plugin author would test their own:
// through `omnicore/testing` (push a message, pop the replies), against the built package.
import { fileURLToPath } from 'node:url';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrapeMetrics } from '../support/metrics-text.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/plugins/', import.meta.url));

describe('the example notes plugin', () => {
  let bed: PluginTestBed;

  beforeAll(async () => {
    bed = await createPluginTestBed({ pluginsDir: EXAMPLES, enable: { notes: { maxNotes: 2 } } });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('saves, lists and forgets notes per user, within its configured limit', async () => {
    bed.push('/note buy milk');
    expect(await bed.popText()).toBe('Saved. You have 1 note(s).');
    bed.push('/note call Ada');
    expect(await bed.popText()).toBe('Saved. You have 2 note(s).');
    bed.push('/note one too many');
    expect(await bed.popText()).toMatch(/You have 2 notes already/);
    bed.push('/notes', { id: 2002, first_name: 'Other' });
    expect(await bed.popText({ userId: 2002 })).toBe('No notes yet.');
    bed.push('/notes');
    expect(await bed.popText()).toBe('1. buy milk\n2. call Ada');
    bed.push('/help');
    expect(await bed.popText()).toContain('/note — Save a note: /note buy milk');
  });

  it('serves its route and metrics while on, and neither once switched off', async () => {
    const users = await fetch(`${bed.platform.url}/plugins/notes/users`);
    expect(await users.json()).toEqual({ users: 1 });
    expect(await scrapeMetrics(bed.platform.url)).toMatch(/omnicore_plugin_notes_saved_total 2/);
    await bed.platform.plugins.setEnabled('notes', false);
    expect((await fetch(`${bed.platform.url}/plugins/notes/users`)).status).toBe(404);
    bed.push('/notes');
    expect(await bed.popText()).toContain("I don't know /notes");
  });
});
