// The built-in emulator across a restart of the platform, on each database: its update numbering
// goes on from what the inbox holds, so the bot keeps answering instead of taking every new
// message for a duplicate of one it already handled.
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { FIXED_ANSWER, fixedAnswer, startTestPlatform, type TestPlatform } from '../support/platform.js';

const USER = { id: 4242, is_bot: false, first_name: 'Rae' } as const;

describe.each(DATABASE_KINDS)('the emulator restarted on %s', (kind) => {
  let database: TestDatabase | undefined;
  let platform: TestPlatform | undefined;

  afterEach(async () => {
    await platform?.stop();
    await database?.dispose();
  });

  /** Starts the platform in emulator mode on the test database, says `text` and returns the reply. */
  async function converse(text: string): Promise<string | undefined> {
    platform = await startTestPlatform(database as TestDatabase, {}, { conversation: fixedAnswer });
    await platform.ready;
    const emulator = platform.emulator;
    if (!emulator) throw new Error('not in emulator mode');
    const after = emulator.lastEventSeq;
    emulator.sendUserMessage(USER, text);
    const [reply] = await emulator.eventsAfter(USER.id, after, 10_000);
    await platform.stop();
    return reply?.type === 'message' ? reply.message.text : undefined;
  }

  it('answers after a restart, numbering updates on from the last one stored', async () => {
    database = await createTestDatabase(kind);
    expect(await converse('hello')).toBe(FIXED_ANSWER);
    expect(await converse('hello again')).toBe(FIXED_ANSWER);
    const logs = (platform as TestPlatform).logs.join('');
    expect(logs).not.toContain('seen before with other content');
  });
});
