// Broadcasts, a built-in plugin on the public plugin API: an admin sends a message (HTML text, a
// photo, URL buttons) to an audience segment from the panel or with /broadcast. With REDIS_URL it
// goes through a BullMQ queue shared by every instance under one global rate limit; without, through
// the plugin's durable job queue on one instance. Telegram's 429s hold the sending back for their
// retry_after, users who blocked the bot are recorded, and a restart never sends to anyone twice.
// Off until an operator switches it on.
import { definePlugin } from '../../plugins/api.js';
import { broadcastsAdmin } from './admin.js';
import { Broadcaster } from './broadcaster.js';
import { broadcastCommand } from './commands.js';
import { broadcastsConfig } from './config.js';
import { Deliverer } from './deliver.js';
import { jobsSender } from './jobs-sender.js';
import { redisSender } from './redis-sender.js';
import { Broadcasts } from './store.js';
import { strings } from './strings.js';

export default definePlugin({
  name: 'broadcasts',
  version: '1.0.0',
  description: 'Messages to a segment of the users at Telegram’s rate: /broadcast and the panel, with live progress',
  platform: '^0.1.0',
  configSchema: broadcastsConfig,
  strings,

  setup(ctx) {
    const broadcasts = new Broadcasts(ctx.storage);
    const broadcaster = new Broadcaster(ctx, broadcasts);
    const deliverer = new Deliverer(
      broadcasts,
      () => ctx.bulkApi,
      () => ctx.audience,
      (ended) => broadcaster.ended(ended),
    );
    const sender = ctx.redis
      ? redisSender(ctx, ctx.redis, broadcasts, deliverer)
      : jobsSender(ctx, broadcasts, deliverer);
    broadcastCommand(ctx, broadcaster);
    broadcastsAdmin(ctx, broadcaster);
    ctx.onEnable(async () => {
      await sender.open();
      broadcaster.sender = sender;
      // One that ended while no instance ran lets the next start now.
      await broadcaster.startNext();
    });
    ctx.onDisable(async () => {
      broadcaster.sender = undefined;
      await sender.close();
    });
  },
});
