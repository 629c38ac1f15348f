// The broadcasts' controls, shared by the command and the panel: create (sent at once, or queued
// behind the one sending: Telegram's limit is the bot's, so two at once would only split it), pause,
// resume, cancel, and on to the next queued one when one ends.
import { OmniError, type PluginContext } from '../../plugins/api.js';
import type { BroadcastsConfig } from './config.js';
import { type BroadcastMessage, messageProblem } from './message.js';
import type { Sender } from './sender.js';
import type { Broadcast, BroadcastStatus, Broadcasts } from './store.js';

const ACTIVE: readonly BroadcastStatus[] = ['sending', 'paused'];

export class Broadcaster {
  sender: Sender | undefined;

  constructor(
    private readonly ctx: PluginContext<BroadcastsConfig>,
    readonly broadcasts: Broadcasts,
  ) {}

  private get running(): Sender {
    if (!this.sender) throw new OmniError('OMNI_UNAVAILABLE', 'broadcasts are not running');
    return this.sender;
  }

  /** Checks the segment and the message first: OmniError AUDIENCE_BAD_SEGMENT or BROADCAST_INVALID. */
  async create(message: BroadcastMessage, segment: string, createdBy: string): Promise<Broadcast> {
    this.ctx.audience.parse(segment);
    const problem = messageProblem(message);
    if (problem) throw new OmniError('BROADCAST_INVALID', problem);
    const created = await this.broadcasts.create({ message, segment: segment.trim(), createdBy });
    await this.startNext();
    return (await this.broadcasts.get(created.id)) ?? created;
  }

  /** Starts the oldest queued broadcast unless one is sending or paused; atomic across instances. */
  async startNext(): Promise<void> {
    const all = await this.broadcasts.list();
    if (all.some((b) => ACTIVE.includes(b.status))) return;
    const next = all.filter((b) => b.status === 'queued').at(-1);
    if (!next) return;
    const audience = await this.ctx.audience.count(next.segment);
    const stamp = Date.now();
    const started = await this.broadcasts.change(next.id, (b) =>
      b.status === 'queued'
        ? { ...b, status: 'sending', startedAt: stamp, total: audience.recipients, skippedBlocked: audience.blocked }
        : b,
    );
    if (started?.status !== 'sending' || started.startedAt !== stamp) return;
    this.ctx.log.info(
      { broadcast: started.id, recipients: audience.recipients, via: this.running.kind },
      'broadcast started',
    );
    await this.running.start(started);
  }

  async pause(id: string): Promise<Broadcast> {
    const paused = await this.transition(id, ['sending'], 'paused');
    await this.running.pause(paused);
    return paused;
  }

  async resume(id: string): Promise<Broadcast> {
    const resumed = await this.transition(id, ['paused'], 'sending');
    await this.running.resume(resumed);
    return resumed;
  }

  async cancel(id: string): Promise<Broadcast> {
    const before = await this.broadcasts.get(id);
    const cancelled = await this.transition(id, ['queued', 'sending', 'paused'], 'cancelled');
    if (before && ACTIVE.includes(before.status)) await this.running.cancel(cancelled);
    await this.ended(cancelled);
    return cancelled;
  }

  /** A broadcast finished or was cancelled: clear up, then the next one. */
  async ended(broadcast: Broadcast): Promise<void> {
    if (broadcast.status === 'done') {
      this.ctx.log.info(
        { broadcast: broadcast.id, sent: broadcast.sent, blocked: broadcast.blocked, failed: broadcast.failed },
        'broadcast done',
      );
    }
    await this.running.ended(broadcast);
    await this.startNext();
  }

  private async transition(id: string, from: readonly BroadcastStatus[], to: BroadcastStatus): Promise<Broadcast> {
    let refused: BroadcastStatus | undefined;
    const changed = await this.broadcasts.change(id, (b) => {
      refused = from.includes(b.status) ? undefined : b.status;
      if (refused) return b;
      return { ...b, status: to, ...(to === 'cancelled' ? { finishedAt: Date.now() } : {}) };
    });
    if (!changed) throw new OmniError('BROADCAST_NOT_FOUND', `there is no broadcast ${id}`);
    if (refused) throw new OmniError('BROADCAST_STATE', `broadcast ${id} is ${refused}`);
    return changed;
  }
}
