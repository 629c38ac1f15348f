// One plugin's HTTP routes (or admin pages), matched by find-my-way, the router Fastify itself uses.
// The path comes in raw, as the client sent it, so that each :param reaches the plugin decoded exactly once.
import Router from 'find-my-way';
import { OmniError } from '../errors.js';
import type { RouteHandler } from './api.js';

/** `T` is what a route leads to: a plugin's handler, or what the admin panel keeps for a page or route. */
export class RouteTable<T = RouteHandler> {
  // Trailing and doubled slashes are forgiven, as plugin routes always were. onBadUrl makes a
  // malformed percent-encoding come back as a match without a store, instead of as "no route".
  private readonly router = Router({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, onBadUrl: () => {} });

  /** Throws on a path find-my-way cannot read, or one already declared for this method. */
  add(method: Router.HTTPMethod, path: string, handler: T): void {
    // The handler is the route's store: find-my-way's own handler slot has Node's signature.
    this.router.on(method, path.startsWith('/') ? path : `/${path}`, () => {}, handler);
  }

  /** The route for a raw (still percent-encoded) path, with its decoded :params. */
  find(method: string, rawPath: string): { handler: T; params: Record<string, string> } | undefined {
    const found = this.router.find(method as Router.HTTPMethod, rawPath);
    if (!found) return undefined;
    if (!found.store) throw new OmniError('OMNI_BAD_REQUEST', 'the path has a malformed percent-encoding');
    return { handler: found.store as T, params: found.params as Record<string, string> };
  }
}
