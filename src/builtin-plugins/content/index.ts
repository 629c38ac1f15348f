// The content store, a built-in plugin on the public plugin API: users and admins save texts, links,
// forwards, photos and documents from Telegram (/save, or by forwarding), kept compressed and
// deduplicated (ctx.blobs), found by ranked full-text search — and by meaning when a language model
// is configured — with /search, /get and inline mode (ctx.search), each reader finding only what
// they may see. Offers the `content/store` service (service.ts) to the filing system, a page in the
// panel, and `omnicore content export|import`. Off until an operator switches it on.
import { definePlugin } from '../../plugins/api.js';
import { contentAdmin } from './admin.js';
import { contentCommands } from './commands.js';
import { contentConfig } from './config.js';
import { inlineSearch } from './inline.js';
import { Store } from './store.js';
import { strings } from './strings.js';
import { transferVerbs } from './transfer.js';

export default definePlugin({
  name: 'content',
  version: '1.0.0',
  description: 'Saves texts, links, forwards, photos and documents; /search, /get and inline search with permissions',
  platform: '^0.1.0',
  configSchema: contentConfig,
  strings,

  setup(ctx) {
    const store = new Store(ctx);
    contentCommands(ctx, store);
    inlineSearch(ctx, store);
    contentAdmin(ctx.admin, store, ctx.search, async () => {
      const [items, blobs] = await Promise.all([ctx.search.count(), ctx.blobs.stats()]);
      return {
        items,
        bytes: blobs.bytes,
        storedBytes: blobs.storedBytes,
        ratio: blobs.storedBytes ? blobs.bytes / blobs.storedBytes : 1,
      };
    });
    transferVerbs(ctx, store);
    ctx.provide('store', store);
  },
});
