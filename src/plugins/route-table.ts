// One plugin's HTTP routes, matched by find-my-way, the router Fastify itself uses. The path comes
// in raw, as the client sent it, so that each :param reaches the plugin decoded exactly once.
import Router from 'find-my-way';
import { OmniError } from '../errors.js';
import type { RouteHandler } from './api.js';

export class RouteTable {
  // Trailing and doubled slashes are forgiven, as plugin routes always were. onBadUrl makes a
  // malformed percent-encoding come back as a match without a store, instead of as "no route".
  private readonly router = Router({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, onBadUrl: () => {} });

  add(method: 'GET' | 'POST', path: string, handler: RouteHandler): void {
    // The plugin's handler is the route's store: find-my-way's own handler slot has Node's signature.
    this.router.on(method, path.startsWith('/') ? path : `/${path}`, () => {}, handler);
  }

  /** The route for a raw (still percent-encoded) path, with its decoded :params. */
  find(method: string, rawPath: string): { handler: RouteHandler; params: Record<string, string> } | undefined {
    const found = this.router.find(method as Router.HTTPMethod, rawPath);
    if (!found) return undefined;
    if (!found.store) throw new OmniError('OMNI_BAD_REQUEST', 'the path has a malformed percent-encoding');
    return { handler: found.store as RouteHandler, params: found.params as Record<string, string> };
  }
}
