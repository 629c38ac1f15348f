// What every update runs through: the active plugins in dependency order, each behind grammY's
// error boundary, each seeing its own view of the context (its strings as `t`, the user's
// language) and marked as the update's current plugin while its code runs. Rebuilt when a plugin
// goes on or off, not per update.
import { Composer, type Middleware, type MiddlewareFn } from 'grammy';
import type { BotContext } from '../core/context.js';
import { handlingOf } from '../core/handling.js';
import type { PluginFlavor } from './api.js';
import type { LoadedPlugin } from './loaded-plugin.js';

export type FailureHandler = (plugin: LoadedPlugin, error: unknown, ctx: BotContext) => Promise<void>;

export class PluginChain {
  private chain = new Composer<BotContext>();

  constructor(private readonly failed: FailureHandler) {}

  middleware(): Middleware<BotContext> {
    return (ctx, next) => this.chain.middleware()(ctx, next);
  }

  rebuild(plugins: readonly LoadedPlugin[]): void {
    const chain = new Composer<BotContext>();
    for (const plugin of plugins) {
      // The boundary catches what this plugin throws, not what runs after it; after a failure the
      // update goes no further (the user already got an apology).
      if (!plugin.active) continue;
      const bounded = new Composer<BotContext>();
      bounded.errorBoundary((error) => this.failed(plugin, error.error, error.ctx), plugin.composer);
      chain.use(attributed(plugin.definition.name, ownView(plugin, bounded.middleware())));
    }
    this.chain = chain;
  }
}

/**
 * Runs the plugin's middleware on a context of its own that inherits the update's: `t` speaks its
 * strings, and what it sets on the context (`match`, say) stays its own. A handler that keeps the
 * context past its turn still finds its own `t` there.
 */
function ownView(plugin: LoadedPlugin, middleware: MiddlewareFn<BotContext>): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    const language = ctx.core.language;
    const flavor: PluginFlavor = {
      language,
      t: (key, params) => plugin.translate(language, key, params),
    };
    return middleware(Object.assign(Object.create(ctx) as BotContext, flavor), next);
  };
}

/** Marks the update's handling as inside `plugin` while its middleware runs (not what follows it). */
function attributed(plugin: string, middleware: MiddlewareFn<BotContext>): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const handling = handlingOf(ctx.update);
    if (!handling) return middleware(ctx, next);
    const outer = handling.plugin;
    handling.plugin = plugin;
    try {
      await middleware(ctx, async () => {
        handling.plugin = outer;
        try {
          await next();
        } finally {
          handling.plugin = plugin;
        }
      });
    } finally {
      handling.plugin = outer;
    }
  };
}
