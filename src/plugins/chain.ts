// What every update runs through: the active plugins in dependency order, each behind its own error
// boundary, each seeing its own view of the context (its strings as `t`, the user's language) and
// marked as the update's current plugin while its code runs. Rebuilt when a plugin goes on or off,
// not per update.
//
// One layer per plugin, run in a loop, instead of grammY's nested errorBoundary composers: the
// semantics are the boundary's (a plugin's `next()` lets the next plugin run once this one has
// finished; after a failure the update goes no further), at a third of the cost per plugin, which
// is what keeps ten plugins cheap on every update (BENCHMARKS.md, "The plugin layer").
import type { Context, MiddlewareFn } from 'grammy';
import type { BotContext } from '../core/context.js';
import type { UserExperiments } from '../core/experiments.js';
import { handlingOf } from '../core/handling.js';
import type { PluginFlavor, UserVariants } from './api.js';
import type { LoadedPlugin } from './loaded-plugin.js';

type PluginView = BotContext & { -readonly [K in keyof PluginFlavor]?: PluginFlavor[K] };

export type FailureHandler = (plugin: LoadedPlugin, error: unknown, ctx: BotContext) => Promise<void>;

/** Runs one plugin on an update; resolves to whether it passed the update on (called `next`). */
type Layer = (ctx: BotContext) => Promise<boolean>;

export class PluginChain {
  private layers: readonly Layer[] = [];

  constructor(private readonly failed: FailureHandler) {}

  middleware(): MiddlewareFn<BotContext> {
    return async (ctx, next) => {
      // Read once: a plugin switched on or off meanwhile takes effect from the next update.
      for (const layer of this.layers) {
        if (!(await layer(ctx))) return;
      }
      await next();
    };
  }

  rebuild(plugins: readonly LoadedPlugin[]): void {
    this.layers = plugins.filter((plugin) => plugin.active).map((plugin) => this.layerOf(plugin));
  }

  private layerOf(plugin: LoadedPlugin): Layer {
    const run = plugin.composer.middleware();
    const name = plugin.definition.name;
    const views = viewsOf(plugin);
    return async (ctx) => {
      const view = views(ctx);
      const handling = handlingOf(ctx.update);
      const outer = handling?.plugin;
      if (handling) handling.plugin = name;
      let passed = false;
      try {
        await run(view, () => {
          passed = true;
          return Promise.resolve();
        });
        return passed;
      } catch (error) {
        await this.failed(plugin, error, view);
        return false;
      } finally {
        if (handling) handling.plugin = outer;
      }
    };
  }
}

/**
 * A context of the plugin's own, with what the update's context holds: `t` speaks its strings, and
 * what it sets on the context (`match`, say) stays its own. A handler that keeps the context past
 * its turn still finds its own `t` there. `t` is made once per language, not per update.
 *
 * A copy of the same class rather than `Object.create(ctx)`: a fresh object used as a prototype on
 * every update costs V8 a prototype map each time, which was half of what ten plugins cost an
 * update (BENCHMARKS.md, "The plugin layer").
 */
function viewsOf(plugin: LoadedPlugin): (ctx: BotContext) => BotContext {
  const name = plugin.definition.name;
  const speakers = new Map<string, PluginFlavor['t']>();
  const speaker = (language: string): PluginFlavor['t'] => {
    let t = speakers.get(language);
    if (!t) {
      t = (key, params) => plugin.translate(language, key, params);
      speakers.set(language, t);
    }
    return t;
  };
  return (ctx) => {
    const Kind = ctx.constructor as new (...args: ConstructorParameters<typeof Context>) => BotContext;
    const view: PluginView = Object.assign(new Kind(ctx.update, ctx.api, ctx.me), ctx);
    view.language = ctx.core.language;
    view.t = speaker(ctx.core.language);
    view.experiments = new PluginVariants(name, ctx.core.experiments);
    return view;
  };
}

/** `c.experiments` of a plugin's view: its variants, named within the plugin. A class, so an update pays one small object. */
class PluginVariants implements UserVariants {
  constructor(
    private readonly plugin: string,
    private readonly user: UserExperiments,
  ) {}

  variant<const T extends string>(name: string, arms: readonly [T, T, ...T[]]): T {
    return this.user.variant(this.plugin, name, arms) as T;
  }

  goal(name: string): Promise<void> {
    return this.user.goal(this.plugin, name);
  }
}
