// ctx.secrets on SQLite and PostgreSQL: values round-trip sealed (the row holds no plaintext), a
// value sealed under another installation's key or copied to another plugin or name does not open
// and says so without the value, list() shows names and short hints only, names and sizes are
// checked, and the key file is made on first use, readable by its owner only.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedactionList } from '../../src/config/redaction.js';
import { OmniError } from '../../src/errors.js';
import { KEY_FILE, type SecretCipher, secretCipher } from '../../src/plugins/secrets/cipher.js';
import { MAX_SECRET_BYTES, pluginSecrets } from '../../src/plugins/secrets/store.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';

const TOKEN = 'ghp_Zq8Xw1Lr5Tn3Vb7Mk2Pd9Hs4Fj6Yc0Ae';

async function refusal(promise: Promise<unknown>): Promise<OmniError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(OmniError);
  return error as OmniError;
}

describe.each(DATABASE_KINDS)('plugin secrets on %s', (kind) => {
  const fixture = useMigratedDatabase(kind);
  let otherDataDir: string;
  let cipher: SecretCipher;
  const redaction = new RedactionList();
  const secretsOf = (plugin: string, under: SecretCipher = cipher) =>
    pluginSecrets(fixture.handle.db, under, plugin, redaction);
  const sealedRow = (plugin: string, name: string) =>
    fixture.handle.db
      .selectFrom('plugin_secrets')
      .selectAll()
      .where('plugin', '=', plugin)
      .where('name', '=', name)
      .executeTakeFirstOrThrow();

  beforeAll(() => {
    cipher = secretCipher(fixture.database.dataDir);
    otherDataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-other-key-'));
  });

  afterAll(() => {
    rmSync(otherDataDir, { recursive: true, force: true });
  });

  it('round-trips a value, replaces it, and deletes it', async () => {
    const secrets = secretsOf('publisher');
    expect(await secrets.get('github.token')).toBeUndefined();
    await secrets.set('github.token', TOKEN);
    expect(await secrets.get('github.token')).toBe(TOKEN);
    await secrets.set('github.token', `${TOKEN}-2`);
    expect(await secrets.get('github.token')).toBe(`${TOKEN}-2`);
    expect(await secretsOf('other').get('github.token')).toBeUndefined();
    expect(await secrets.delete('github.token')).toBe(true);
    expect(await secrets.delete('github.token')).toBe(false);
    expect(await secrets.get('github.token')).toBeUndefined();
  });

  it('keeps no plaintext in the row, and seals the same value differently each time', async () => {
    const secrets = secretsOf('publisher');
    await secrets.set('a', TOKEN);
    await secrets.set('b', TOKEN);
    const [a, b] = [await sealedRow('publisher', 'a'), await sealedRow('publisher', 'b')];
    for (const row of [a, b]) {
      expect(JSON.stringify(row)).not.toContain(TOKEN);
      expect(JSON.stringify(row)).not.toContain(TOKEN.slice(4, 14));
      expect(JSON.stringify(row)).not.toContain(Buffer.from(TOKEN).toString('base64url').slice(0, 12));
    }
    expect(a.sealed).not.toBe(b.sealed);
  });

  it('makes the key file on first use, readable by its owner only', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-new-key-'));
    try {
      const keyFile = path.join(dataDir, 'secrets', KEY_FILE);
      const fresh = secretCipher(dataDir);
      expect(existsSync(keyFile)).toBe(false);
      await secretsOf('keyed', fresh).set('k', TOKEN);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(await secretsOf('keyed', secretCipher(dataDir)).get('k')).toBe(TOKEN);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a value sealed under another key with SECRET_UNREADABLE, naming the secret but not the value', async () => {
    await secretsOf('publisher').set('mastodon.token', TOKEN);
    const elsewhere = secretsOf('publisher', secretCipher(otherDataDir));
    const error = await refusal(elsewhere.get('mastodon.token'));
    expect(error.code).toBe('SECRET_UNREADABLE');
    expect(error.message).toContain("publisher's secret mastodon.token was sealed under another key");
    expect(error.message).not.toContain(TOKEN);
    // The listing still names it, without a hint it cannot know.
    expect(await elsewhere.list()).toContainEqual(expect.objectContaining({ name: 'mastodon.token', hint: '••••' }));
  });

  it('does not open a sealed value copied to another plugin or another name', async () => {
    await secretsOf('publisher').set('devto.key', TOKEN);
    const { sealed } = await sealedRow('publisher', 'devto.key');
    const copies = [
      { plugin: 'thief', name: 'devto.key' },
      { plugin: 'publisher', name: 'devto.key2' },
    ];
    for (const copy of copies) {
      await fixture.handle.db
        .insertInto('plugin_secrets')
        .values({ ...copy, sealed, updated_at: Date.now() })
        .execute();
      const error = await refusal(secretsOf(copy.plugin).get(copy.name));
      expect(error.code).toBe('SECRET_UNREADABLE');
      expect(error.message).toContain(`${copy.plugin}'s secret ${copy.name} does not open`);
      expect(error.message).not.toContain(TOKEN);
    }
  });

  it('lists names, times and the last four characters, only of values long enough to spare them', async () => {
    const secrets = secretsOf('lister');
    const before = Date.now();
    await secrets.set('long', TOKEN);
    await secrets.set('short', 'pin-12345');
    const listed = await secrets.list();
    expect(listed.map(({ name, hint }) => ({ name, hint }))).toEqual([
      { name: 'long', hint: TOKEN.slice(-4) },
      { name: 'short', hint: '••••' },
    ]);
    for (const info of listed) expect(info.updatedAt).toBeGreaterThanOrEqual(before);
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
    expect(JSON.stringify(listed)).not.toContain('12345');
  });

  it('refuses bad names and oversized or empty values with SECRET_INVALID, storing nothing', async () => {
    const secrets = secretsOf('strict');
    for (const name of ['', 'Upper', 'with space', 'slash/name', 'x'.repeat(101)]) {
      expect((await refusal(secrets.set(name, TOKEN))).code).toBe('SECRET_INVALID');
    }
    expect((await refusal(secrets.get('../x'))).code).toBe('SECRET_INVALID');
    await secrets.set('x'.repeat(100), 'a'.repeat(MAX_SECRET_BYTES));
    const over = await refusal(secrets.set('big', 'é'.repeat(MAX_SECRET_BYTES / 2 + 1)));
    expect(over.code).toBe('SECRET_INVALID');
    expect(over.message).toContain(`the limit is ${MAX_SECRET_BYTES}`);
    expect((await refusal(secrets.set('empty', ''))).code).toBe('SECRET_INVALID');
    expect((await secrets.list()).map((info) => info.name)).toEqual(['x'.repeat(100)]);
  });

  it('adds each value set or read to the redaction list', async () => {
    const setter = new RedactionList();
    await pluginSecrets(fixture.handle.db, cipher, 'teller', setter).set('one', `${TOKEN}-one`);
    const reader = new RedactionList();
    await pluginSecrets(fixture.handle.db, cipher, 'teller', reader).get('one');
    expect(setter.list()).toEqual([`${TOKEN}-one`]);
    expect(reader.list()).toEqual([`${TOKEN}-one`]);
  });
});
