// The local engine in the user's language: the answer, the "not sure" and the command descriptions
// in that language; the knowledge file of the language before the shared one; and the operator's
// corpus additions in DATA_DIR, a bad file logged and left out rather than fatal.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../src/ai/local/engine.js';
import { CORE_COMMANDS } from '../../src/bot/pipeline.js';
import { CommandRegistry } from '../../src/core/command-registry.js';

let dir: string;
let logLines: string[];
let registry: CommandRegistry;
let engine: LocalEngine | undefined;

function start(): LocalEngine {
  engine = new LocalEngine({
    registry,
    dataDir: dir,
    log: pino({ level: 'warn' }, { write: (line: string) => logLines.push(line) }),
    retrainDelayMs: 0,
    knowledgeRecheckMs: 0,
  });
  return engine;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'omnicore-languages-'));
  logLines = [];
  registry = new CommandRegistry();
  for (const command of CORE_COMMANDS) registry.add({ ...command.info, source: 'core' });
});

afterEach(() => {
  engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('LocalEngine in the user’s language', () => {
  it('answers in the language asked for, its "not sure" and the command descriptions included', async () => {
    const local = start();
    expect(await local.understand('Danke dir vielmals!', { language: 'de' })).toMatchObject({
      intent: 'thanks',
      reply: 'Gern geschehen!',
    });
    const unsure = await local.understand('lila Einhorn Toaster', { language: 'de' });
    expect(unsure).toMatchObject({ intent: 'none', command: null });
    expect(unsure.reply).toMatch(/^Ich bin nicht sicher, was du meinst\. Das kann ich:\n\/start — Den Bot starten\n/);
    expect((await local.understand('отмени это действие', { language: 'ru' })).reply).toBe(
      'Используй /cancel — Отменить текущее действие.',
    );
    // The same sentence read as English is not understood: the models are kept apart.
    expect((await local.understand('Danke dir vielmals!', { language: 'en' })).intent).not.toBe('thanks');
  });

  it('places a message in English that the user’s own model is unsure of, and answers in the user’s language', async () => {
    const local = start();
    expect(await local.understand('thank you very much', { language: 'es' })).toMatchObject({
      intent: 'thanks',
      reply: 'De nada.',
    });
    expect((await local.understand('purple monkey dishwasher', { language: 'es' })).intent).toBe('none');
  });

  it('answers from knowledge.<lang>.md when there is one, else from knowledge.md', async () => {
    const local = start();
    writeFileSync(path.join(dir, 'knowledge.md'), '## When are you open?\nWeekdays.\n');
    writeFileSync(path.join(dir, 'knowledge.de.md'), '## Wann habt ihr geöffnet?\nWerktags von neun bis fünf.\n');
    expect((await local.understand('Wann habt ihr geöffnet?', { language: 'de' })).reply).toBe(
      'Werktags von neun bis fünf.',
    );
    expect((await local.understand('when are you open?', { language: 'es' })).reply).toBe('Weekdays.');
    rmSync(path.join(dir, 'knowledge.de.md'));
    expect((await local.understand('when are you open?', { language: 'de' })).reply).toBe('Weekdays.');
  });

  it("learns the operator's extra utterances from DATA_DIR/corpus.<lang>.json, for its language only", async () => {
    const sentence = 'Bestellung verfolgen und Paketstatus ansehen';
    writeFileSync(path.join(dir, 'corpus.de.json'), JSON.stringify({ 'command.status': [sentence, 'Paketstatus'] }));
    const local = start();
    await local.trained();
    expect(await local.understand(sentence, { language: 'de', isAdmin: true })).toMatchObject({
      intent: 'command.status',
      command: '/status',
    });
    expect((await local.understand(sentence, { language: 'es', isAdmin: true })).intent).not.toBe('command.status');
    expect(logLines).toEqual([]);
  });

  it('logs a corpus file that is not JSON, does not fit, or names an unknown intent, and trains without it', async () => {
    writeFileSync(path.join(dir, 'corpus.de.json'), '{ not json');
    writeFileSync(path.join(dir, 'corpus.es.json'), JSON.stringify({ greeting: 'hola' }));
    writeFileSync(path.join(dir, 'corpus.ru.json'), JSON.stringify({ 'command.nope': ['что-то'] }));
    const local = start();
    await local.trained();
    const messages = logLines.map((line) => JSON.parse(line).msg as string);
    expect(messages).toEqual([
      'the corpus override is not JSON; it is left out',
      'the corpus override does not fit; it is left out',
      'the corpus override names no such intent; it is left out',
    ]);
    expect((await local.understand('vielen Dank', { language: 'de' })).intent).toBe('thanks');
  });
});
