// The conversation models' cache (CACHE_DIR/intent-models): a second engine on the same command set
// loads what the first trained and understands exactly as it did; a new command set is trained, not
// taken from the cache; a damaged or unwritable cache costs a training, never an answer; and the
// cache keeps a bounded number of files.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalEngine, type Understanding } from '../../src/ai/local/engine.js';
import { modelCache } from '../../src/ai/local/model-cache.js';
import { CORE_COMMANDS } from '../../src/bot/pipeline.js';
import type { Language } from '../../src/config/settings-catalog.js';
import { CommandRegistry } from '../../src/core/command-registry.js';

let dir: string;
let cacheDir: string;
let registry: CommandRegistry;
let logs: Record<string, unknown>[];
const engines: LocalEngine[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'omnicore-model-cache-'));
  cacheDir = path.join(dir, 'cache');
  registry = new CommandRegistry();
  for (const command of CORE_COMMANDS) registry.add({ ...command.info, source: 'core' });
  logs = [];
});

afterEach(() => {
  for (const engine of engines.splice(0)) engine.close();
  rmSync(dir, { recursive: true, force: true });
});

async function trainedEngine(): Promise<{ engine: LocalEngine; loaded: unknown }> {
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(JSON.parse(String(chunk)));
      callback();
    },
  });
  const engine = new LocalEngine({
    registry,
    dataDir: dir,
    cacheDir,
    log: pino({ level: 'info' }, sink),
    retrainDelayMs: 0,
  });
  engines.push(engine);
  await engine.trained();
  const trained = logs.filter((line) => line.msg === 'conversation models trained').at(-1);
  return { engine, loaded: trained?.loaded };
}

const SENTENCES: [string, Language][] = [
  ['show me everything you support', 'en'],
  ['how can I configure my account', 'en'],
  ['remember to buy eggs', 'en'],
  ['was kannst du alles', 'de'],
  ['quiero cambiar el idioma', 'es'],
  ['как оплатить заказ', 'ru'],
];

async function understandAll(engine: LocalEngine): Promise<Understanding[]> {
  return Promise.all(SENTENCES.map(([text, language]) => engine.understand(text, { language })));
}

/** The models stored (not the files being written aside). */
const cacheFiles = () => readdirSync(path.join(cacheDir, 'intent-models')).filter((name) => name.endsWith('.json'));
const pay = { command: 'pay', description: 'Pay for your order or subscription', adminOnly: false, source: 'shop' };

describe('the conversation models cache', () => {
  it('loads what an earlier engine trained on the same command set, and understands exactly as it did', async () => {
    const first = await trainedEngine();
    expect(first.loaded).toBe(0);
    expect(cacheFiles()).toHaveLength(4);
    const second = await trainedEngine();
    expect(second.loaded).toBe(4);
    expect(await understandAll(second.engine)).toEqual(await understandAll(first.engine));
  });

  it('trains a command set it has not seen, and learns its command', async () => {
    // Closed, so that it does not train the new set beside the next engine.
    (await trainedEngine()).engine.close();
    registry.add(pay);
    const withPay = await trainedEngine();
    expect(withPay.loaded).toBe(0);
    expect(cacheFiles()).toHaveLength(8);
    expect(await withPay.engine.understand('how do I pay?')).toMatchObject({ command: '/pay' });
  });

  it('trains over a damaged file, says which, and loads the new one next time', async () => {
    await trainedEngine();
    const damaged = cacheFiles()[0] as string;
    writeFileSync(path.join(cacheDir, 'intent-models', damaged), '{"nlp": {"settings"');
    const next = await trainedEngine();
    expect(next.loaded).toBe(3);
    expect(logs.some((line) => line.level === 40 && String(line.file).endsWith(damaged))).toBe(true);
    expect((await next.engine.understand('show me everything you support')).intent).toBe('capabilities');
    expect((await trainedEngine()).loaded).toBe(4);
  });

  it('answers when the cache cannot be written, and says so once', async () => {
    // A file where the cache's folder should be: nothing can be stored under it.
    mkdirSync(dir, { recursive: true });
    writeFileSync(cacheDir, 'not a folder');
    const { engine, loaded } = await trainedEngine();
    expect(loaded).toBe(0);
    const warnings = logs.filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toEqual(['the model cache could not be used; models are trained instead']);
    expect((await engine.understand('show me everything you support')).intent).toBe('capabilities');
  });

  it('keeps the 32 files used last', async () => {
    const cache = modelCache(cacheDir, (error) => {
      throw error;
    });
    for (let index = 0; index < 40; index++) await cache.write(`model-${String(index).padStart(2, '0')}`, { index });
    // Reading one of the oldest counts as using it: it stays, and the next oldest goes instead.
    expect(await cache.read('model-08')).toEqual({ index: 8 });
    await cache.write('model-40', { index: 40 });
    const kept = readdirSync(cacheDir).sort();
    expect(kept).toHaveLength(32);
    expect(kept).toContain('model-08.json');
    expect(kept).toContain('model-40.json');
    expect(kept).not.toContain('model-09.json');
  });
});
