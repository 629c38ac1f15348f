// `/file <path> <item id>`: an editor files an item they saved by its id; an item of someone else's
// they can see is theirs to read, not to file; one they cannot see is answered as one that does not
// exist; and who gets to see a filed item follows the folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ADMIN = { id: 7001, first_name: 'Admin' };
const EDITOR = { id: 7002, first_name: 'Eda' };
const VIEWER = { id: 7003, first_name: 'Vic' };
const OTHER = { id: 7004, first_name: 'Otto' };

describe('filing a saved item by its id', () => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  let bed: PluginTestBed;

  async function ask(user: typeof ADMIN, text: string): Promise<string> {
    bed.push(text, user);
    return bed.popText({ userId: user.id });
  }
  const savedId = (answer: string) => /Saved as ([a-z0-9]+)/.exec(answer)?.[1] ?? '?';

  beforeAll(async () => {
    bed = await createPluginTestBed({
      pluginsDir,
      env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) },
      enable: { content: { team: [OTHER.id, EDITOR.id] }, filing: true },
    });
    await ask(ADMIN, `/role company/engineering ${EDITOR.id} editor`);
    await ask(ADMIN, `/role company/engineering ${VIEWER.id} viewer`);
  });

  afterAll(async () => {
    await bed?.close();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  it('files an item its owner saved, which the folder’s viewers then find', async () => {
    const id = savedId(await ask(EDITOR, '/save Design review notes for the gearbox'));
    expect(await ask(VIEWER, '/search gearbox')).toBe('Nothing you can see matches that.');
    expect(await ask(EDITOR, `/file company/engineering ${id}`)).toBe(
      `Filed “Design review notes for the gearbox” in company/engineering. /get ${id}`,
    );
    expect(await ask(VIEWER, '/search gearbox')).toContain(id);
  });

  it('refuses to file an item that is not the filer’s, and names none they may not see', async () => {
    const shared = savedId(await ask(OTHER, '/save team Budget sheet for the offsite'));
    expect(await ask(EDITOR, `/get ${shared}`)).toContain('Budget sheet for the offsite');
    expect(await ask(EDITOR, `/file company/engineering ${shared}`)).toBe(
      `Only its owner or an admin may file ${shared}.`,
    );
    const secret = savedId(await ask(OTHER, '/save private Salary review notes'));
    expect(await ask(EDITOR, `/file company/engineering ${secret}`)).toBe(
      `There is no item ${secret} that you are allowed to see.`,
    );
    // Everyone with a role is on the team; someone without one sees no team item.
    expect(await ask(VIEWER, '/search budget offsite')).toContain(shared);
    expect(await ask({ id: 7009, first_name: 'Stranger' }, '/search budget offsite')).toBe(
      'Nothing you can see matches that.',
    );
  });
});
