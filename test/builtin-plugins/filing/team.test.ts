// The filing system as a team uses it, on both databases, with the content store it files into:
// an admin hands out roles, an editor files and exports, a viewer browses and finds but cannot file,
// and an outsider gets "not allowed" and sees nothing in /files, /find, /search, /get or inline
// mode; buttons pressed by someone who may not see the unit show nothing; every change is audited.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Message, User } from 'grammy/types';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { Parser, type ReadEntry } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filing } from '../../../src/builtin-plugins/filing/filings.js';
import { pluginStorage } from '../../../src/plugins/storage.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';

const ADMIN: User = { id: 1001, is_bot: false, first_name: 'Admin' };
const OWNER: User = { id: 2001, is_bot: false, first_name: 'Olga' };
const EDITOR: User = { id: 2002, is_bot: false, first_name: 'Eddie' };
const VIEWER: User = { id: 2003, is_bot: false, first_name: 'Vera' };
const OUTSIDER: User = { id: 2004, is_bot: false, first_name: 'Otto' };

const PLAN = 'Release plan for the quarterly gizmo launch: freeze on Monday, ship on Thursday.';

/** The names of the files in a tar.gz. */
async function namesIn(archive: Buffer): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const parser = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => files.set(entry.path, Buffer.concat(chunks).toString('utf8')));
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    Readable.from([archive]).pipe(parser);
  });
  return files;
}

/** What someone without any role is told, with the way to get one. */
const noRole = (id: number) =>
  `Not allowed: you have no role in the filing system. An owner of a folder can give you one with /role <path> ${id} viewer (or editor); your Telegram id is ${id}.`;

describe.each(DATABASE_KINDS)('the filing system, a team at work (%s)', (kind) => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  let database: TestDatabase;
  let bed: PluginTestBed;
  let planId = '';

  /** What the bot answers `user` to `text`. */
  async function ask(user: User, text: string, replyTo?: Message): Promise<string> {
    bed.push(text, user, replyTo ? { replyTo: replyTo.message_id } : {});
    return bed.popText({ userId: user.id });
  }

  /** A message `user` writes that is no command: the bot's answer to it (no AI here: a hint) is read and dropped. */
  async function say(user: User, text: string): Promise<Message> {
    const message = bed.push(text, user);
    await bed.pop({ userId: user.id });
    return message;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    bed = await createPluginTestBed({
      pluginsDir,
      env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id), ...(database.url ? { DATABASE_URL: database.url } : {}) },
      enable: { content: true, filing: true },
    });
  });

  afterAll(async () => {
    await bed?.close();
    await database?.dispose();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  it('starts from the shipped template, and the roles are handed out by the admin and an owner', async () => {
    expect(await ask(ADMIN, '/role company/engineering 2001 owner')).toBe('2001 is now owner of company/engineering.');
    expect(await ask(OWNER, '/role company/engineering 2002 editor')).toBe(
      '2002 is now editor of company/engineering.',
    );
    expect(await ask(OWNER, '/role company/engineering/specs 2003 viewer')).toBe(
      '2003 is now viewer of company/engineering/specs.',
    );
    // An owner of engineering owns nothing above it, and an editor hands out no roles.
    expect(await ask(OWNER, '/role company 2004 viewer')).toBe('There is no folder “company” among yours.');
    expect(await ask(EDITOR, '/role company/engineering 2004 viewer')).toBe(
      'Not allowed: your role on company/engineering does not allow this.',
    );
  });

  it('lets the editor file a message, and not the viewer', async () => {
    const plan = await say(EDITOR, PLAN);
    const filed = await ask(EDITOR, '/file company/engineering/specs', plan);
    const match = /^Filed “(.+)” in company\/engineering\/specs\. \/get (\S+)$/.exec(filed);
    expect(match, filed).not.toBeNull();
    planId = match?.[2] as string;
    expect(await ask(EDITOR, '/file company/engineering/specs', plan)).toMatch(
      /is in company\/engineering\/specs already\.$/,
    );

    const note = await say(VIEWER, 'A note of the viewer');
    expect(await ask(VIEWER, '/file company/engineering/specs', note)).toBe(
      'Not allowed: your role on company/engineering/specs does not allow this.',
    );
    expect(await ask(EDITOR, '/file company/nowhere', plan)).toBe('There is no folder “company/nowhere” among yours.');
    expect(await ask(EDITOR, '/file company/engineering/specs')).toMatch(/^Reply to a message with \/file <path>/);

    // A forward the content store kept as it arrived is filed as that same item.
    const minutes = bed.forward(
      'Minutes of the architecture board',
      { type: 'hidden_user', sender_user_name: 'Board' },
      { user: EDITOR },
    );
    const kept = await bed.popText({ userId: EDITOR.id });
    const filedForward = await ask(EDITOR, '/file company/engineering/decisions', minutes);
    const forwardId = /\/get (\S+)$/.exec(filedForward)?.[1] as string;
    expect(filedForward).toMatch(/^Filed “.*Minutes of the architecture board.*” in company\/engineering\/decisions\./);
    expect(kept).toContain(forwardId);
  });

  it('lets the viewer browse to the item and find it within the folder, with the words highlighted', async () => {
    bed.push('/files', VIEWER);
    const top = await bed.pop({ userId: VIEWER.id });
    expect(top.text).toBe('Your folders:');
    expect(top.reply_markup?.inline_keyboard.flat().map((button) => button.text)).toEqual(['📁 Specs']);
    await bed.press(top, '📁 Specs', { user: VIEWER });
    const specs = await bed.pop({ userId: VIEWER.id });
    expect(specs.text).toContain('Specs');
    expect(specs.text).toContain(`/get ${planId}`);

    bed.push('/find company/engineering/specs gizmo launch', VIEWER);
    const found = await bed.pop({ userId: VIEWER.id });
    expect(found.text).toContain('Found in company/engineering/specs:');
    expect(found.text).toContain(`/get ${planId}`);
    expect(found.entities?.some((entity) => entity.type === 'bold')).toBe(true);
    expect(await ask(VIEWER, '/find company/engineering gizmo')).toBe(
      'There is no folder “company/engineering” among yours.',
    );
    expect(await ask(VIEWER, '/find company/engineering/specs nothing-like-this')).toBe(
      'Nothing in company/engineering/specs matches “nothing-like-this”.',
    );
    expect(await ask(VIEWER, `/get ${planId}`)).toContain('gizmo');
  });

  it('tells an outsider "not allowed" and shows them nothing, in the filing system or the content store', async () => {
    expect(await ask(OUTSIDER, '/files')).toBe(noRole(OUTSIDER.id));
    expect(await ask({ ...OUTSIDER, language_code: 'de' }, '/files')).toMatch(
      /^Nicht erlaubt: du hast keine Rolle im Ablagesystem..*deine Telegram-ID ist 2004.$/,
    );
    expect(await ask(OUTSIDER, '/files company/engineering/specs')).toBe(noRole(OUTSIDER.id));
    expect(await ask(OUTSIDER, '/find company/engineering/specs gizmo')).toBe(noRole(OUTSIDER.id));
    expect(await ask(OUTSIDER, '/export company')).toBe(noRole(OUTSIDER.id));
    const note = await say(OUTSIDER, 'mine');
    expect(await ask(OUTSIDER, '/file company/engineering/specs', note)).toBe(noRole(OUTSIDER.id));
    expect(await ask(OUTSIDER, '/search gizmo')).not.toContain(planId);
    expect(await ask(OUTSIDER, `/get ${planId}`)).not.toContain('gizmo');
    const inline = await bed.inline('gizmo', { user: OUTSIDER });
    expect(JSON.stringify(inline.results)).not.toContain('gizmo');
    // The viewer, who may see the folder, finds it inline.
    const seen = await bed.inline('gizmo', { user: VIEWER });
    expect(JSON.stringify(seen.results)).toContain('gizmo');
  });

  it('shows nothing to someone pressing the buttons of another user’s /files in a group', async () => {
    const group = bed.createGroup({ title: 'Team', owner: EDITOR });
    bed.join(group.id, OUTSIDER);
    bed.join(group.id, VIEWER);
    bed.push('/files company/engineering', EDITOR, { chatId: group.id });
    const engineering = await bed.pop({ chatId: group.id });
    expect(engineering.text).toContain('Engineering');
    expect(await bed.press(engineering, '📁 Specs', { user: OUTSIDER })).toEqual({ text: 'Not allowed.' });
    // The viewer may see specs but not engineering: going up from there is refused alike.
    expect(await bed.press(engineering, '🏠 Top', { user: OUTSIDER })).toEqual({ text: 'Not allowed.' });
    bed.push('/files company/engineering/specs', VIEWER, { chatId: group.id });
    const specs = await bed.pop({ chatId: group.id });
    expect(await bed.press(engineering, '📁 Decisions', { user: VIEWER })).toEqual({ text: 'Not allowed.' });
    expect(specs.reply_markup?.inline_keyboard.flat().map((button) => button.text)).toEqual(['🏠 Top']);
  });

  it('exports a folder as a tar.gz of Markdown files with the index', async () => {
    bed.push('/export company/engineering', EDITOR);
    const sent = await bed.pop({ userId: EDITOR.id });
    expect(sent.caption).toBe('company/engineering: 2 items');
    expect(sent.document?.file_name).toMatch(/^company-engineering-\d{4}-\d{2}-\d{2}\.tar\.gz$/);
    const files = await namesIn(await bed.download(sent.document as { file_id: string }));
    const markdown = [...files.keys()].find((name) => name.endsWith(`-${planId}.md`));
    expect(markdown).toMatch(/^company-engineering\/company\/engineering\/specs\//);
    expect(files.get(markdown as string)).toContain(`id: ${planId}`);
    expect(files.get(markdown as string)).toContain(PLAN);
    expect(JSON.parse(files.get('company-engineering/index.json') as string).items).toHaveLength(2);
  });

  it('keeps the tree in the panel: moves, clashes refused, members, items, and the audit log', async () => {
    const admin = await bed.admin();
    const { units } = (await admin.get('/api/admin/plugins/filing/tree')).json<{
      units: { id: number; path: string }[];
    }>();
    const id = (unitPath: string) => units.find((unit) => unit.path === unitPath)?.id as number;
    const page = await admin.get(`/admin/plugins/filing/tree?unit=${id('company/engineering/specs')}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('company/engineering/specs');
    expect(page.body).toContain(`data-item="${planId}"`);
    expect(page.body).toContain('data-member="2003"');

    const moved = await admin.send('POST', `/api/admin/plugins/filing/units/${id('company/shared/templates')}/move`, {
      parent: id('company/engineering'),
    });
    expect(moved.status).toBe(200);
    bed.push('/files company/engineering/templates', EDITOR);
    expect(await bed.popText({ userId: EDITOR.id })).toContain('Engineering › Templates');
    const intoItself = await admin.send('POST', `/api/admin/plugins/filing/units/${id('company/engineering')}/move`, {
      parent: id('company/engineering/specs'),
    });
    expect(intoItself.status).toBe(409);
    expect(intoItself.json<{ error: { message: string } }>().error.message).toContain('cannot move into itself');
    const rename = await admin.send('POST', `/api/admin/plugins/filing/units/${id('company/sales')}/rename`, {
      name: 'Marketing',
    });
    expect(rename.status).toBe(409);
    const bad = await admin.send('POST', '/api/admin/plugins/filing/units', { parent: 'x', name: '' });
    expect(bad.status).toBe(400);
    const busy = await admin.send(
      'POST',
      `/api/admin/plugins/filing/units/${id('company/engineering/specs')}/delete`,
      {},
    );
    expect(busy.status).toBe(409);

    const download = await admin.get(`/api/admin/plugins/filing/export?unit=${id('company/engineering/specs')}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/gzip');
    expect(String(download.headers['content-disposition'])).toMatch(
      /company-engineering-specs-\d{4}-\d{2}-\d{2}\.tar\.gz/,
    );
    const exported = await namesIn(download.bytes);
    expect([...exported.keys()].some((name) => name.endsWith(`-${planId}.md`))).toBe(true);

    // Decisions goes with what is under it; its item is unfiled, and no longer found there.
    const gone = await admin.send(
      'POST',
      `/api/admin/plugins/filing/units/${id('company/engineering/decisions')}/delete`,
      {
        withSubtree: true,
      },
    );
    expect(gone.json()).toEqual({ deleted: [id('company/engineering/decisions')] });
    expect(await ask(EDITOR, '/find company/engineering architecture board')).toBe(
      'Nothing in company/engineering matches “architecture board”.',
    );

    const template = await admin.send('POST', '/api/admin/plugins/filing/template', {
      template: 'units:\n  - name: Company\n    children:\n      - name: Legal\n      - name: legal\n',
    });
    expect(template.status).toBe(400);
    expect(template.json<{ error: { message: string } }>().error.message).toContain(
      'line 5: units.0.children.1.name: the slug "legal" is used twice here',
    );
    const merged = await admin.send('POST', '/api/admin/plugins/filing/template', {
      template: '{"units": [{"name": "Company", "children": [{"name": "Legal"}]}]}',
    });
    expect(merged.json()).toEqual({ created: ['company/legal'] });
    const overview = await admin.get('/admin/plugins/filing/tree');
    expect(overview.status).toBe(200);
    expect(overview.body).toContain('company/legal');

    const actions = await bed.platform.database.db.selectFrom('audit_log').select(['action', 'actor']).execute();
    expect(actions).toContainEqual({ action: 'plugin.filing.member.set', actor: 'telegram:2001' });
    expect(actions).toContainEqual({ action: 'plugin.filing.item.file', actor: 'telegram:2002' });
    expect(actions).toContainEqual({ action: 'plugin.filing.template.apply', actor: 'system' });
  });

  it('unfiles what a folder’s retention rule has outlived, when retention runs, audited', async () => {
    const admin = await bed.admin();
    const { units } = (await admin.get('/api/admin/plugins/filing/tree')).json<{
      units: { id: number; path: string }[];
    }>();
    const specs = units.find((unit) => unit.path === 'company/engineering/specs')?.id as number;
    const rule = await admin.send('POST', `/api/admin/plugins/filing/units/${specs}/retention`, {
      days: 2,
      action: 'unfile',
    });
    expect(rule.status).toBe(200);
    expect((await admin.send('POST', '/api/admin/plugins/filing/retention')).json()).toEqual({
      unfiled: 0,
      deleted: 0,
    });
    // Filed three days ago, as far as the filing record knows.
    const storage = pluginStorage(bed.platform.database.db, 'filing');
    await storage.update<Filing[]>(`filed:${specs}`, (filings = []) =>
      filings.map((filing) => ({ ...filing, at: filing.at - 3 * 86_400_000 })),
    );
    expect((await admin.send('POST', '/api/admin/plugins/filing/retention')).json()).toEqual({
      unfiled: 1,
      deleted: 0,
    });
    expect(await ask(VIEWER, '/find company/engineering/specs gizmo')).toBe(
      'Nothing in company/engineering/specs matches “gizmo”.',
    );
    expect(await ask(VIEWER, `/get ${planId}`)).not.toContain('gizmo');
    const audited = await bed.platform.database.db
      .selectFrom('audit_log')
      .select(['target'])
      .where('action', '=', 'plugin.filing.retention.unfile')
      .execute();
    expect(audited).toEqual([{ target: 'company/engineering/specs' }]);

    // A rule that deletes: the item leaves the content store, even for its owner.
    const runbook = await say(EDITOR, 'Runbook: restart the gizmo service');
    const filed = await ask(EDITOR, '/file company/engineering/runbooks', runbook);
    const runbookId = /\/get (\S+)$/.exec(filed)?.[1] as string;
    const runbooks = units.find((unit) => unit.path === 'company/engineering/runbooks')?.id as number;
    await admin.send('POST', `/api/admin/plugins/filing/units/${runbooks}/retention`, { days: 1, action: 'delete' });
    await storage.update<Filing[]>(`filed:${runbooks}`, (filings = []) =>
      filings.map((filing) => ({ ...filing, at: filing.at - 2 * 86_400_000 })),
    );
    expect((await admin.send('POST', '/api/admin/plugins/filing/retention')).json()).toEqual({
      unfiled: 0,
      deleted: 1,
    });
    expect(await ask(EDITOR, `/get ${runbookId}`)).toBe(`There is no item ${runbookId} that you are allowed to see.`);
  });

  it('makes folders with odd names, shown as typed and never as markup', async () => {
    expect(await ask(EDITOR, '/mkdir company/engineering Q3 <b>plans</b> & "co"')).toBe(
      'Made company/engineering/q3-b-plans-b-co.',
    );
    expect(await ask(EDITOR, '/files company/engineering/q3-b-plans-b-co')).toContain(
      'Engineering › Q3 <b>plans</b> & "co"',
    );
    expect(await ask(EDITOR, '/mkdir company/engineering 🚀')).toMatch(/^Not done: slug "": /);
    expect(await ask(VIEWER, '/mkdir company/engineering/specs Drafts')).toBe(
      'Not allowed: your role on company/engineering/specs does not allow this.',
    );
    expect(await ask(EDITOR, '/mkdir / Rival Corp')).toBe(
      'Not allowed: your role on the top of the tree does not allow this.',
    );

    const draft = await say(EDITOR, 'Draft of the Q3 plans');
    const draftId = /\/get (\S+)$/.exec(
      await ask(EDITOR, '/file company/engineering/q3-b-plans-b-co', draft),
    )?.[1] as string;
    expect(await ask(VIEWER, `/unfile company/engineering/specs ${draftId}`)).toBe(
      'Not allowed: your role on company/engineering/specs does not allow this.',
    );
    expect(await ask(EDITOR, `/unfile company/engineering/q3-b-plans-b-co ${draftId}`)).toBe(
      `Took ${draftId} out of company/engineering/q3-b-plans-b-co.`,
    );
    expect(await ask(EDITOR, `/unfile company/engineering/q3-b-plans-b-co ${draftId}`)).toBe(
      `${draftId} is not filed in company/engineering/q3-b-plans-b-co.`,
    );
  });

  it('takes its labels back from the content store when switched off', async () => {
    const find = () => ask(VIEWER, '/search gizmo launch');
    await ask(EDITOR, `/file company/engineering/specs`, await say(EDITOR, 'Second gizmo launch note'));
    expect(await find()).toContain('gizmo');
    await bed.platform.plugins.setEnabled('filing', false);
    expect(await find()).not.toContain('gizmo');
    await bed.platform.plugins.setEnabled('filing', true);
    expect(await find()).toContain('gizmo');
  });
});
