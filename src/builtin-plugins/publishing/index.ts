// Publishing, a built-in plugin on the public plugin API: posts to Mastodon (statuses, threads,
// images with alt text, polls; scheduled; a Telegram channel mirrored, edits included) and articles
// to DEV.to from the content store and filing system, all through one durable queue (ctx.jobs) that
// retries with backoff, honours the services' rate limits and never posts twice. Accounts come from
// the environment or the panel (tokens in ctx.secrets); engagement is gathered on a schedule and
// charted in the panel. Off until an operator switches it on; needs the content store.
import { definePlugin } from '../../plugins/api.js';
import type { ContentStore } from '../content/service.js';
import { Accounts } from './accounts.js';
import { publishingAdmin } from './admin.js';
import { publishingCommands } from './commands.js';
import { publishingConfig } from './config.js';
import { engagement } from './engagement.js';
import { channelMirror } from './mirror.js';
import { Queue } from './queue.js';
import { strings } from './strings.js';

export default definePlugin({
  name: 'publishing',
  version: '1.0.0',
  description: 'Posts to Mastodon and DEV.to through one queue: /post, /schedule, /queue, /publish, channel mirroring',
  platform: '^0.1.0',
  dependsOn: ['content'],
  configSchema: publishingConfig,
  strings,

  setup(ctx) {
    const content = () => ctx.use<ContentStore>('content/store');
    const accounts = new Accounts(ctx);
    const queue = new Queue(ctx, accounts, content);
    const reach = engagement(ctx, accounts);
    publishingCommands(ctx, accounts, queue, content);
    channelMirror(ctx, queue);
    publishingAdmin(ctx, accounts, queue, content, reach);
    // Every minute, so that a new interval in the configuration holds at once.
    ctx.schedule('* * * * *', () => reach.gatherWhenDue());
  },
});
