// Forged webhook calls, summarised: a flood of them must not become a flood of log lines and
// security_events rows (one each made 70,000 rows in 10 s). The first call from an address in a
// window is logged at once; the calls of the window are counted per address and kind, and each
// count becomes one `webhook_forgery` event when the window ends (or the server stops).
import type { FastifyBaseLogger } from 'fastify';
import { type Repetition, repeat } from '../../lib/repeat.js';
import type { SecurityEventSink } from '../../ops/security/security-events.js';

export type ForgeryKind = 'missing' | 'wrong';

export interface ForgeryReportOptions {
  events: SecurityEventSink;
  log: FastifyBaseLogger;
  /** Length of a window; one event per address and kind per window. */
  windowMs: number;
  /**
   * Addresses tracked per window; calls from further ones are counted under no address, so that
   * an attack from many addresses cannot grow the tally without bound.
   */
  maxAddresses: number;
}

interface Tally {
  ip: string | null;
  kind: ForgeryKind;
  firstAt: number;
  count: number;
}

export const FORGERY_WINDOW_MS = 60_000;

export class ForgeryReport {
  private tallies = new Map<string, Tally>();
  private readonly addresses = new Set<string>();
  private windows: Repetition | undefined;

  constructor(private readonly options: ForgeryReportOptions) {}

  start(): void {
    const { windowMs, log } = this.options;
    this.windows = repeat(() => this.flush(), {
      every: windowMs,
      firstAfterMs: windowMs,
      onError: (error) => log.warn({ err: error }, 'could not report forged webhook calls'),
    });
  }

  async stop(): Promise<void> {
    await this.windows?.stop();
    this.flush();
  }

  add(address: string, kind: ForgeryKind, now = Date.now()): void {
    const known = this.addresses.has(address) || this.addresses.size < this.options.maxAddresses;
    const ip = known ? address : null;
    if (ip !== null && !this.addresses.has(ip)) {
      this.addresses.add(ip);
      this.options.log.warn(
        { ip, windowSeconds: this.options.windowMs / 1000 },
        'webhook call with a missing or wrong secret token; further ones from this address are counted into one security event per window',
      );
    }
    const key = `${kind} ${ip ?? ''}`;
    const tally = this.tallies.get(key);
    if (tally) tally.count++;
    else this.tallies.set(key, { ip, kind, firstAt: now, count: 1 });
  }

  /** Records one event per tally of the window that ends now, and starts the next window. */
  flush(): void {
    const tallies = this.tallies;
    this.tallies = new Map();
    this.addresses.clear();
    for (const { ip, kind, firstAt, count } of tallies.values()) {
      this.options.events.record({ type: 'webhook_forgery', ip, at: firstAt, detail: { secret: kind, count } });
    }
  }
}
