// `omnicore filing template` through the real process, on both databases: the operator's template
// merged into the tree with the plugin off (from a file or standard input), a bad one refused in one
// line naming its line and field, and the running platform then browsing the tree the verb made.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPluginTestBed } from 'omnicore/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { assertBuilt, type Finished, spawnOmnicore } from '../../support/processes.js';

const TEMPLATE = `units:
  - name: Acme Ltd
    slug: acme
    kind: company
    members: { "1001": owner }
    children:
      - name: Legal
        kind: department
        children:
          - { name: Contracts, retention: { days: 90, action: unfile } }
`;

const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
beforeAll(() => assertBuilt());
afterAll(() => rmSync(pluginsDir, { recursive: true, force: true }));

describe.each(DATABASE_KINDS)('omnicore filing template on %s', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(() => database.dispose());

  function omnicore(args: string[], stdin = ''): Promise<Finished> {
    const env = {
      DATA_DIR: database.dataDir,
      PLUGINS_DIR: pluginsDir,
      PORT: '1',
      LOG_LEVEL: 'silent',
      ...(database.url ? { DATABASE_URL: database.url } : {}),
    };
    const run = spawnOmnicore(args, env, 30_000);
    run.child.stdin?.end(stdin);
    return run.finished;
  }

  it('merges a template by path, refuses a bad one with its line, and the platform browses the result', async () => {
    const file = path.join(database.dataDir, 'tree.yaml');
    writeFileSync(file, TEMPLATE);
    const made = await omnicore(['filing', 'template', file]);
    expect([made.code, made.stderr]).toEqual([0, '']);
    expect(made.stdout).toBe('3 units made:\nacme\nacme/legal\nacme/legal/contracts\n');
    const again = await omnicore(['filing', 'template', '-'], `${TEMPLATE}      - name: Press\n`);
    expect(again.stdout).toBe('1 unit made:\nacme/press\n');

    const bad = await omnicore(['filing', 'template', '-'], 'units:\n  - name: A\n  - name: a\n');
    expect([bad.code, bad.stdout]).toEqual([1, '']);
    expect(bad.stderr).toBe(
      'omnicore: filing template: the filing template is invalid: line 3: units.1.name: the slug "a" is used twice here\n',
    );
    const usage = await omnicore(['filing', 'template']);
    expect(usage.code).toBe(2);

    const bed = await createPluginTestBed({
      pluginsDir,
      enable: { content: true, filing: true },
      env: { DATA_DIR: database.dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}) },
    });
    try {
      bed.push('/files acme/legal/contracts');
      const text = await bed.popText();
      expect(text).toContain('Acme Ltd › Legal › Contracts');
      expect(text).toContain('Items leave after 90 days (unfiled).');
      // The tree was not empty, so the shipped template was not planted over it.
      bed.push('/files company');
      expect(await bed.popText()).toBe('There is no folder “company” among yours.');
      const audit = await (await bed.admin()).get('/admin/audit');
      expect(audit.body).toContain('plugin.filing.template.apply');
    } finally {
      await bed.close();
    }
  });
});
