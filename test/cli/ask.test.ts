// `omnicore ask` as an operator runs it (the built dist/cli/main.js): it sees the plugins switched on
// in the same DATA_DIR and the knowledge files there, prints exactly { intent, confidence, command,
// reply } with --json, reads and answers in the language --lang names, and refuses bad usage with
// one line and exit code 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, type Finished, spawnOmnicore } from '../support/processes.js';

const PLUGINS_DIR = fileURLToPath(new URL('../ai/fixtures/plugins/', import.meta.url));
let dataDir: string;

beforeAll(() => {
  assertBuilt();
  dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-ask-'));
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function omnicore(...args: string[]): Promise<Finished> {
  return spawnOmnicore(args, { DATA_DIR: dataDir, PLUGINS_DIR, LOG_LEVEL: 'silent' }, 30_000).finished;
}

describe('omnicore ask', () => {
  it('leads to a command only once its plugin is switched on, and prints exactly the promised fields', async () => {
    const before = await omnicore('ask', '--json', 'how do I pay?');
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout).command).not.toBe('/pay');

    expect((await omnicore('plugins', 'enable', 'orders')).code).toBe(0);
    const after = await omnicore('ask', '--json', 'how do I pay?');
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toBe('');
    const answer = JSON.parse(after.stdout);
    expect(Object.keys(answer)).toEqual(['intent', 'confidence', 'command', 'reply']);
    expect(answer).toMatchObject({
      intent: 'command.pay',
      command: '/pay',
      reply: 'Use /pay — Pay for your order or subscription.',
    });
    expect(answer.confidence).toBeGreaterThan(0.6);
    expect(answer.confidence).toBeLessThanOrEqual(1);
  });

  it('prints the same for people, and answers from the knowledge file in DATA_DIR', async () => {
    writeFileSync(path.join(dataDir, 'knowledge.md'), '## What are your opening hours?\nWeekdays.\nSee /help too.\n');
    const result = await omnicore('ask', 'when', 'are', 'you', 'open?');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      'intent:     knowledge\nconfidence: 1\ncommand:    /help\nreply:      Weekdays.\n            See /help too.\n',
    );
  });

  it('reads and answers in the language --lang names, with its own knowledge file', async () => {
    const result = await omnicore('ask', '--json', '--lang', 'de', 'Was kannst du alles?');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ intent: 'capabilities', command: '/help' });
    expect(JSON.parse(result.stdout).reply).toMatch(/^Das kann ich:\n\/start — Den Bot starten\n/);

    writeFileSync(path.join(dataDir, 'knowledge.es.md'), '## ¿Cuándo abrís?\nDe lunes a viernes.\n');
    const known = await omnicore('ask', '--json', '--lang', 'es', '¿cuándo abrís?');
    expect(JSON.parse(known.stdout)).toMatchObject({ intent: 'knowledge', reply: 'De lunes a viernes.' });
  });

  it('refuses bad usage with one line on stderr and exit code 2', async () => {
    for (const args of [['ask'], ['ask', '--json', '  '], ['ask', '--loud', 'hi'], ['ask', '--lang', 'fr', 'salut']]) {
      const result = await omnicore(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^omnicore: .*usage: omnicore ask/);
    }
  });
});
