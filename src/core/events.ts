// The platform's event bus: what happened, for plugins to react to. Typed: each event name has one
// payload shape. The payment events come with the payments issue.
import { EventEmitter } from 'node:events';
import type { User } from 'grammy/types';

export interface PlatformEvents {
  /** A Telegram user sent the bot something. */
  userSeen: [{ user: User; chatId: number | undefined }];
  /** A command (core or plugin) was run. */
  commandUsed: [{ command: string; userId: number | undefined; chatId: number | undefined }];
}

export type PlatformEventName = keyof PlatformEvents;

export class EventBus extends EventEmitter<PlatformEvents> {
  constructor() {
    super();
    // Every plugin may listen; the default warning at 10 listeners would be noise.
    this.setMaxListeners(0);
  }
}
