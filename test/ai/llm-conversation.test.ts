// LLM mode through the real update path: webhook updates in, a fake Bot API and a fake
// OpenAI-compatible server (real HTTP, real wire formats) out. Streamed replies, memory and /reset,
// plugin commands as tools with confirmation, fallback on 429/500/timeout, the daily budget.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/core/i18n.js';
import type { RecordedCall } from '../support/fake-bot-api.js';
import { FakeOpenAi } from '../support/fake-openai.js';
import { scrapeMetrics } from '../support/metrics-text.js';
import { useWebhookPlatform, type WebhookFixture } from '../support/platform.js';
import { callbackUpdate, textUpdate } from '../support/updates.js';

const PLUGINS_DIR = fileURLToPath(new URL(`../../test-results/llm-plugins-${process.pid}/`, import.meta.url));
const API_KEY = 'sk-test-llm-key-0123456789';
const t = messages.en;

/** A webhook platform in LLM mode against its own fake OpenAI server, with the store plugin on. */
function useLlmPlatform(kind: 'sqlite' | 'postgres', baseUrl?: string): { ai: FakeOpenAi; fixture: WebhookFixture } {
  const ai = new FakeOpenAi();
  const env: Record<string, string> = { OPENAI_API_KEY: API_KEY, OPENAI_MODEL: 'fake-model', PLUGINS_DIR };
  beforeAll(async () => {
    await ai.start();
    env.OPENAI_BASE_URL = baseUrl ?? ai.url;
  });
  const fixture = useWebhookPlatform(kind, env);
  beforeAll(async () => {
    await fixture.platform.plugins.setEnabled('store', true);
  });
  afterAll(() => ai.stop());
  afterEach(async () => {
    expect(ai.unused).toBe(0);
    const { settings } = fixture.platform;
    await settings.set('ai.memoryTokens', 2000);
    await settings.set('ai.dailyTokenBudget', 50_000);
    await settings.set('ai.timeoutSeconds', 30);
  });
  return { ai, fixture };
}

/** Sends a text as `userId` and waits until the platform has handled it. */
async function sayAs(fixture: WebhookFixture, userId: number, text: string): Promise<void> {
  const response = await fixture.platform.postUpdate(textUpdate(text, { userId }));
  expect(response.status).toBe(200);
  await fixture.platform.idle();
}

/** A value on the platform's GET /metrics, 0 when the series is not there yet. */
/** What the default (local) engine answers to `text`: the fallback's expected reply. */
async function localReply(fixture: WebhookFixture, text: string): Promise<string> {
  return (await fixture.platform.conversationEngine.understand(text)).reply;
}

async function metric(fixture: WebhookFixture, series: string): Promise<number> {
  const text = await scrapeMetrics(fixture.platform.url);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const messageIdOf = (call: RecordedCall): number => (call.result as { message_id: number }).message_id;

beforeAll(() => {
  rmSync(PLUGINS_DIR, { recursive: true, force: true });
  mkdirSync(path.join(PLUGINS_DIR, 'store'), { recursive: true });
  writeFileSync(
    path.join(PLUGINS_DIR, 'store', 'index.mjs'),
    `export default { name: 'store', version: '1.0.0', description: 'A store', platform: '*', setup(ctx) {
      ctx.command('dice', 'Rolls a die', (c) => c.reply('rolled a ' + (c.match || 6) + '-sided die: 4'));
      ctx.command('buy', 'Buys an item', (c) => c.reply('bought ' + c.match), { sideEffects: true });
      ctx.command('wipe', 'Wipes the shop (admins)', (c) => c.reply('wiped'), { adminOnly: true });
    } };`,
  );
});
afterAll(() => rmSync(PLUGINS_DIR, { recursive: true, force: true }));

describe('LLM mode', () => {
  const { ai, fixture } = useLlmPlatform('sqlite');
  const say = (userId: number, text: string) => sayAs(fixture, userId, text);

  const callsTo = (chatId: number): RecordedCall[] =>
    fixture.fake.calls.filter((call) => Number(call.params.chat_id) === chatId && call.method !== 'sendChatAction');
  const usage = (userId: number) =>
    fixture.platform.database.db.selectFrom('ai_usage').selectAll().where('user_id', '=', userId).execute();

  it('streams the answer: a first message, paced edits as text arrives, the full text last', async () => {
    const pieces = ['Once ', 'upon ', 'a ', 'time ', 'there ', 'was ', 'a ', 'bot ', 'that ', 'streamed.'];
    ai.answer({ text: pieces, gapMs: 250, usage: { prompt: 12, completion: 9 } });
    await say(501, 'Tell me a story');

    const calls = callsTo(501);
    expect(calls[0]?.method).toBe('sendMessage');
    expect(String(calls[0]?.params.text).length).toBeLessThan(pieces.join('').length);
    expect(calls.slice(1).every((call) => call.method === 'editMessageText')).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.at(-1)?.params.text).toBe(pieces.join(''));
    // Paced: about one edit a second at most, and never an edit that changes nothing.
    for (let index = 1; index < calls.length; index++) {
      expect((calls[index] as RecordedCall).at - (calls[index - 1] as RecordedCall).at).toBeGreaterThanOrEqual(900);
      expect(calls[index]?.params.text).not.toBe(calls[index - 1]?.params.text);
    }
    const request = ai.requests.at(-1);
    expect(request?.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toMatchObject({ model: 'fake-model', stream: true, stream_options: { include_usage: true } });
    expect(request?.body.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(await usage(501)).toMatchObject([{ prompt_tokens: 12, completion_tokens: 9, requests: 1 }]);
    expect(await metric(fixture, 'omnicore_llm_tokens_total{kind="completion"}')).toBe(9);
  });

  it('continues an answer longer than one Telegram message in a second message', async () => {
    const long = `${'word '.repeat(1000)}${'tail '.repeat(100)}`.trim();
    ai.answer({ text: [long.slice(0, 3000), long.slice(3000)] });
    await say(502, 'Talk a lot');

    const sent = fixture.fake.callsOf('sendMessage').filter((call) => Number(call.params.chat_id) === 502);
    expect(sent).toHaveLength(2);
    const finalTexts = sent.map((message) => {
      const edits = callsTo(502).filter((call) => call.params.message_id === messageIdOf(message));
      return String((edits.at(-1) ?? message).params.text);
    });
    expect(finalTexts.every((text) => text.length <= 4096)).toBe(true);
    expect(finalTexts.join(' ')).toBe(long);
  });

  it('remembers recent turns within the token budget, and /reset forgets them', async () => {
    ai.answer({ text: ['Hi Ada.'] }, { text: ['You are Ada.'] });
    await say(503, 'I am Ada');
    await say(503, 'Who am I?');
    expect(ai.requests.at(-1)?.body.messages.slice(1)).toEqual([
      { role: 'user', content: 'I am Ada' },
      { role: 'assistant', content: 'Hi Ada.' },
      { role: 'user', content: 'Who am I?' },
    ]);

    await fixture.platform.settings.set('ai.memoryTokens', 30);
    const long = 'x'.repeat(60);
    ai.answer({ text: ['one'] }, { text: ['two'] }, { text: ['three'] });
    for (const text of [`${long} 1`, `${long} 2`, `${long} 3`]) await say(503, text);
    const history = ai.requests.at(-1)?.body.messages.slice(1, -1) ?? [];
    expect(history.length).toBeGreaterThan(0);
    expect(history.reduce((sum, message) => sum + Math.ceil(message.content.length / 4), 0)).toBeLessThanOrEqual(30);
    expect(history.at(-1)).toEqual({ role: 'assistant', content: 'two' });

    await say(503, '/reset');
    expect(fixture.fake.sentTexts(503).at(-1)).toBe(t.forgotten);
    ai.answer({ text: ['Nice to meet you.'] });
    await say(503, 'Who am I?');
    expect(ai.requests.at(-1)?.body.messages.map((message) => message.role)).toEqual(['system', 'user']);
  });

  it('offers plugin commands as tools and runs a read-only one at once, as if the user sent it', async () => {
    ai.answer({ toolCalls: [{ name: 'dice', arguments: '{"args":"20"}' }] }, { text: ['It showed 4.'] });
    await say(504, 'Roll a d20 for me');
    const tools = ai.requests.at(-1)?.body.tools?.map((tool) => tool.function.name);
    expect(tools).toEqual(['dice', 'buy']);
    expect(fixture.fake.sentTexts(504)).toEqual(['rolled a 20-sided die: 4']);

    await say(504, 'What did it show?');
    expect(ai.requests.at(-1)?.body.messages.at(-2)).toEqual({
      role: 'assistant',
      content: '[ran /dice 20; it answered: rolled a 20-sided die: 4]',
    });
  });

  it('refuses a call to a command the user may not run, and lets the default engine answer', async () => {
    ai.answer(
      { toolCalls: [{ name: 'wipe', arguments: '{}' }] },
      { toolCalls: [{ name: 'dice', arguments: 'not json' }] },
    );
    await say(507, 'Wipe the shop');
    await say(507, 'Roll');
    expect(fixture.fake.sentTexts(507)).toEqual([
      await localReply(fixture, 'Wipe the shop'),
      await localReply(fixture, 'Roll'),
    ]);
    expect(await metric(fixture, 'omnicore_llm_tool_calls_total{outcome="refused"}')).toBe(2);
  });

  it('asks before running a command with side effects; Yes runs it once, No does not', async () => {
    ai.answer({ text: ['Sure.'], toolCalls: [{ name: 'buy', arguments: '{"args":"milk"}' }] });
    await say(505, 'Buy me milk');
    const question = fixture.fake.callsOf('sendMessage').at(-1) as RecordedCall;
    expect(question.params.text).toBe(t.confirmCommand.ask('/buy milk'));
    expect(fixture.fake.sentTexts(505)).not.toContain('bought milk');
    const keyboard = question.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] };
    const [yes, no] = keyboard.inline_keyboard[0] ?? [];
    expect([yes?.text, no?.text]).toEqual([t.confirmCommand.yes, t.confirmCommand.no]);

    const press = async (data: string) => {
      await fixture.platform.postUpdate(callbackUpdate(data, { chatId: 505, messageId: messageIdOf(question) }));
      await fixture.platform.idle();
    };
    await press(String(yes?.callback_data));
    await press(String(yes?.callback_data));
    expect(fixture.fake.sentTexts(505).filter((text) => text === 'bought milk')).toHaveLength(1);
    const answers = fixture.fake.callsOf('answerCallbackQuery').slice(-2);
    expect(answers.map((call) => call.params.text)).toEqual([undefined, t.confirmCommand.expired]);

    ai.answer({ toolCalls: [{ name: 'buy', arguments: '{"args":"a yacht"}' }] });
    await say(505, 'Buy me a yacht');
    const second = fixture.fake.callsOf('sendMessage').at(-1) as RecordedCall;
    const secondKeyboard = second.params.reply_markup as { inline_keyboard: { callback_data: string }[][] };
    await press(String(secondKeyboard.inline_keyboard[0]?.[1]?.callback_data));
    expect(fixture.fake.sentTexts(505)).not.toContain('bought a yacht');
    expect(fixture.fake.callsOf('editMessageText').at(-1)?.params.text).toBe(
      `${t.confirmCommand.ask('/buy a yacht')}\n${t.confirmCommand.declined}`,
    );
  });

  it('runs a confirmed command once even when answering the press failed and was retried', async () => {
    ai.answer({ toolCalls: [{ name: 'buy', arguments: '{"args":"bread"}' }] });
    await say(506, 'Buy bread');
    const question = fixture.fake.callsOf('sendMessage').at(-1) as RecordedCall;
    const keyboard = question.params.reply_markup as { inline_keyboard: { callback_data: string }[][] };
    fixture.fake.fail('editMessageText', { status: 500 });
    const press = callbackUpdate(String(keyboard.inline_keyboard[0]?.[0]?.callback_data), {
      chatId: 506,
      messageId: messageIdOf(question),
    });
    await fixture.platform.postUpdate(press);
    await fixture.fake.waitFor(() => fixture.fake.sentTexts(506).includes('bought bread'));
    await fixture.platform.idle();
    expect(fixture.fake.callsOf('editMessageText', false).filter((call) => call.params.chat_id === 506)).toHaveLength(
      2,
    );
    expect(fixture.fake.sentTexts(506).filter((text) => text === 'bought bread')).toHaveLength(1);
  });

  it.each([
    ['a 429', { status: 429, retryAfter: 20 } as const],
    ['a 500', { status: 500 } as const],
    ['a timeout', { hang: true } as const],
  ])('falls back to the default engine on %s, showing no error', async (_name, answer) => {
    await fixture.platform.settings.set('ai.timeoutSeconds', 0.5);
    const userId = 510 + ai.requests.length;
    ai.answer(answer);
    const asked = ai.requests.length;
    const fallbacks = await metric(fixture, 'omnicore_llm_answers_total{outcome="fallback_error"}');
    await say(userId, 'Hello?');
    expect(await metric(fixture, 'omnicore_llm_answers_total{outcome="fallback_error"}')).toBe(fallbacks + 1);
    expect(ai.requests.length).toBe(asked + 1);
    expect(fixture.fake.sentTexts(userId)).toEqual([await localReply(fixture, 'Hello?')]);
    expect(fixture.platform.logs.join('')).toContain('LLM request failed');
    expect(fixture.platform.logs.join('')).not.toContain(API_KEY);
  });

  it('keeps what was shown when the server dies mid-answer, and estimates the tokens it did not report', async () => {
    ai.answer({ text: ['Half ', 'an answer'], dropAfterText: true });
    await say(530, 'Go on');
    const calls = callsTo(530);
    expect(calls.at(-1)?.params.text).toBe('Half an answer');
    expect(fixture.fake.sentTexts(530)).not.toContain(await localReply(fixture, 'Go on'));
    const [row] = await usage(530);
    expect(row?.completion_tokens).toBe(Math.ceil('Half an answer'.length / 4));
    expect(row?.prompt_tokens).toBeGreaterThan(0);
  });

  it('keeps each user inside the daily token budget, then lets the default engine answer', async () => {
    await fixture.platform.settings.set('ai.dailyTokenBudget', 20);
    ai.answer(
      { text: ['One.'], usage: { prompt: 10, completion: 5 } },
      { text: ['Two.'], usage: { prompt: 10, completion: 5 } },
    );
    await say(520, 'first');
    await say(520, 'second');
    const asked = ai.requests.length;
    await say(520, 'third');
    expect(ai.requests.length).toBe(asked);
    expect(fixture.fake.sentTexts(520)).toEqual(['One.', 'Two.', await localReply(fixture, 'third')]);
    expect(await usage(520)).toMatchObject([{ prompt_tokens: 20, completion_tokens: 10, requests: 2 }]);
    expect(await metric(fixture, 'omnicore_llm_answers_total{outcome="fallback_budget"}')).toBe(1);
  });
});

describe('LLM mode, when the LLM server cannot be reached', () => {
  // Nothing listens on the discard port: the connection is refused.
  const { fixture } = useLlmPlatform('sqlite', 'http://127.0.0.1:9/v1');

  it('lets the default engine answer, showing no error', async () => {
    await sayAs(fixture, 601, 'Anyone there?');
    expect(fixture.fake.sentTexts(601)).toEqual([await localReply(fixture, 'Anyone there?')]);
    expect(fixture.platform.logs.join('')).toContain('LLM request failed');
  });
});

describe('LLM mode on PostgreSQL', () => {
  const { ai, fixture } = useLlmPlatform('postgres');

  it('records tokens per user and day and sends the remembered turns back', async () => {
    ai.answer(
      { text: ['Hello.'], usage: { prompt: 7, completion: 3 } },
      { text: ['Again.'], usage: { prompt: 9, completion: 2 } },
    );
    await sayAs(fixture, 701, 'Hi');
    await sayAs(fixture, 701, 'Hi again');
    expect(ai.requests.at(-1)?.body.messages.slice(1, -1)).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello.' },
    ]);
    const rows = await fixture.platform.database.db.selectFrom('ai_usage').selectAll().execute();
    expect(rows).toMatchObject([
      {
        user_id: 701,
        day: new Date().toISOString().slice(0, 10),
        prompt_tokens: 16,
        completion_tokens: 5,
        requests: 2,
      },
    ]);
  });
});
