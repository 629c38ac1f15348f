// Forged webhook calls (Telegram's with a wrong secret, payment providers' with a bad signature),
// summarised: a flood of them must not become a flood of log lines and security_events rows (one
// each made 70,000 rows in 10 s). The first call from an address in a window is logged at once; the
// calls of the window are counted per address and kind, and each count becomes one security event
// when the window ends (or the server stops).
import type { FastifyBaseLogger } from 'fastify';
import { type Repetition, repeat } from '../../lib/repeat.js';
import type { SecurityEventSink, SecurityEventType } from '../../ops/security/security-events.js';

/** How a Telegram webhook call failed its secret. */
export type ForgeryKind = 'missing' | 'wrong';

export interface ForgeryReportOptions<Kind extends string> {
  events: SecurityEventSink;
  log: FastifyBaseLogger;
  /** The security event each count becomes. */
  type: SecurityEventType;
  /** What the event says of a kind (besides the count); never a secret. */
  detail: (kind: Kind) => Record<string, unknown>;
  /** The line logged for the first call from an address in a window. */
  warning: string;
  /** Length of a window; one event per address and kind per window. */
  windowMs: number;
  /**
   * Addresses tracked per window; calls from further ones are counted under no address, so that
   * an attack from many addresses cannot grow the tally without bound.
   */
  maxAddresses: number;
}

interface Tally<Kind extends string> {
  ip: string | null;
  kind: Kind;
  firstAt: number;
  count: number;
}

export const FORGERY_WINDOW_MS = 60_000;

export class ForgeryReport<Kind extends string> {
  private tallies = new Map<string, Tally<Kind>>();
  private readonly addresses = new Set<string>();
  private windows: Repetition | undefined;

  constructor(private readonly options: ForgeryReportOptions<Kind>) {}

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

  add(address: string, kind: Kind, now = Date.now()): void {
    const known = this.addresses.has(address) || this.addresses.size < this.options.maxAddresses;
    const ip = known ? address : null;
    if (ip !== null && !this.addresses.has(ip)) {
      this.addresses.add(ip);
      this.options.log.warn(
        { ip, windowSeconds: this.options.windowMs / 1000, ...this.options.detail(kind) },
        `${this.options.warning}; further ones from this address are counted into one security event per window`,
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
      this.options.events.record({
        type: this.options.type,
        ip,
        at: firstAt,
        detail: { ...this.options.detail(kind), count },
      });
    }
  }
}
