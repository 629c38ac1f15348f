// The check a new version must pass before an update counts: /readyz answering 200 within a window;
// in emulator mode, the bot answering /start through the emulator's chat API; and readiness kept
// for a settle window (a server that crashes, restarts or loses a dependency soon after starting
// fails it). Any failure throws with the reason, and the update is rolled back.
import { z } from 'zod';
import { sleep } from '../../lib/sleep.js';

/** A user id of the emulator's own for the check, apart from anyone testing by hand. */
const CHECK_USER_ID = 777_000_001;
const chatState = z.object({ lastSeq: z.number() });
const events = z.object({ events: z.array(z.unknown()) });

export interface HealthCheckOptions {
  url: string;
  emulator: boolean;
  readyWithinMs: number;
  settleMs: number;
}

export async function checkNewVersion(options: HealthCheckOptions, note: (line: string) => void): Promise<void> {
  await waitReady(options.url, options.readyWithinMs);
  note('health: /readyz answers 200');
  if (options.emulator) {
    await botAnswersStart(options.url);
    note('health: the bot answered /start');
  }
  const deadline = Date.now() + options.settleMs;
  while (Date.now() < deadline) {
    const status = await readyz(options.url);
    if (status !== 200) throw new Error(`health: readiness lost during the settle window (/readyz: ${status})`);
    await sleep(500);
  }
  note(`health: ready throughout the ${Math.round(options.settleMs / 1000)} s settle window`);
}

async function readyz(url: string): Promise<number | string> {
  const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(
    (error: unknown) => (error as Error).message,
  );
  return typeof response === 'string' ? `no answer (${response})` : response.status;
}

async function waitReady(url: string, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  let last: number | string = 'no answer';
  while (Date.now() < deadline) {
    last = await readyz(url);
    if (last === 200) return;
    await sleep(300);
  }
  throw new Error(`health: not ready within ${Math.round(withinMs / 1000)} s (/readyz: ${last})`);
}

async function botAnswersStart(url: string): Promise<void> {
  const state = chatState.parse(await (await fetch(`${url}/emulator/chat`)).json());
  const sent = await fetch(`${url}/emulator/chat/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: CHECK_USER_ID, firstName: 'Update check', text: '/start' }),
  });
  if (!sent.ok) throw new Error(`health: the emulator refused /start (${sent.status})`);
  const reply = await fetch(`${url}/emulator/chat/events?userId=${CHECK_USER_ID}&after=${state.lastSeq}&waitMs=15000`);
  const parsed = events.safeParse(await reply.json().catch(() => undefined));
  if (!reply.ok || !parsed.success || parsed.data.events.length === 0) {
    throw new Error('health: the bot did not answer /start within 15 s');
  }
}
