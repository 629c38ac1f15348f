// A plugin's part of the admin panel (`ctx.admin`): the pages, JSON routes and static files it
// declares, each checked as it is declared so that a mistake fails the plugin's setup with a reason,
// and what the panel needs to serve them while the plugin runs — route tables, the plugin's views
// rendered by an Eta of its own (HTML-escaped, confined to its folder), and its files.
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { Eta } from 'eta';
import { z } from 'zod';
import type { AdminCall, AdminInputSchemas, AdminMethod, AdminPage, AdminRouteHandler, PluginAdmin } from './api.js';
import { RouteTable } from './route-table.js';

export interface AdminPageEntry {
  readonly path: string;
  readonly title: string;
  readonly icon: string;
  /** Only pages without :params or wildcards can be linked from the navigation. */
  readonly listed: boolean;
  readonly input: Omit<AdminInputSchemas, 'body'>;
  readonly data: (call: AdminCall) => unknown;
  /** File names in the plugin's assets folder. */
  readonly scripts: readonly string[];
  readonly styles: readonly string[];
  /** The view's HTML for this data; throws when the template does. */
  render(data: object): string;
}

export interface AdminRouteEntry {
  readonly input: AdminInputSchemas;
  readonly handler: AdminRouteHandler;
}

/** Thrown by `call.fail(…)`: a client error the plugin means, not a failure of the plugin. */
export class AdminRefusal extends Error {
  override readonly name = 'AdminRefusal';
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export const ADMIN_METHODS: readonly AdminMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** The panel's own routes under /api/admin/plugins/<name>/. */
const RESERVED_ROUTES = new Set(['config', 'enable', 'disable']);
const ICON = /^fa-[a-z0-9-]{1,40}$/;
const AUDIT_ACTION = /^[a-z0-9][a-z0-9_.-]{0,39}$/;
const SIMPLE_PATH = /^[\w\-.~]+(?:\/[\w\-.~]+)*$/;

/** `plugin.<name>.<action>`, the audit log's action for what a plugin records; throws on a bad action. */
export function auditAction(plugin: string, action: string): string {
  if (!AUDIT_ACTION.test(action))
    throw new Error(`audit action "${action}" must be 1-40 characters of a-z, 0-9, _, . and -`);
  return `plugin.${plugin}.${action}`;
}

export class AdminContributions {
  readonly pages = new RouteTable<AdminPageEntry>();
  /** The pages the navigation lists, in the order they were declared. */
  readonly listed: AdminPageEntry[] = [];
  readonly routes = new RouteTable<AdminRouteEntry>();
  private assetsDir: string | undefined;
  private eta: Eta | undefined;

  constructor(
    readonly plugin: string,
    private readonly dir: string,
  ) {}

  /** The `ctx.admin` the plugin declares through. */
  api(): PluginAdmin {
    return {
      page: (page) => this.addPage(page as AdminPage),
      route: (method: AdminMethod, routePath: string, ...rest: unknown[]) => {
        const [input, handler] = (rest.length === 1 ? [{}, rest[0]] : rest) as [AdminInputSchemas, AdminRouteHandler];
        this.addRoute(method, routePath, input, handler);
      },
      assets: (folder) => {
        this.assetsDir = this.inside(folder, 'directory');
      },
    };
  }

  /**
   * The file a browser asks for under the assets folder (`relative`: the decoded URL path), as a
   * root and a path within it, when it is a file of that folder (symlinks resolved) and no dotfile.
   */
  asset(relative: string): { root: string; file: string } | undefined {
    if (!this.assetsDir || relative.split('/').some((segment) => segment.startsWith('.'))) return undefined;
    try {
      const file = realpathSync(path.join(this.assetsDir, relative));
      const within = path.relative(this.assetsDir, file);
      if (within.startsWith('..') || path.isAbsolute(within) || !statSync(file).isFile()) return undefined;
      return { root: this.assetsDir, file: within };
    } catch {
      return undefined;
    }
  }

  private addPage(page: AdminPage): void {
    const where = `admin page "${page.path}"`;
    const pagePath = String(page.path ?? '').replace(/^\/+/, '');
    if (pagePath === '')
      throw new Error("an admin page needs a path: the empty one is the plugin's own page in the panel");
    if (typeof page.title !== 'string' || page.title.trim() === '') throw new Error(`${where}: a title is required`);
    const icon = page.icon ?? 'fa-puzzle-piece';
    if (!ICON.test(icon)) throw new Error(`${where}: icon "${icon}" is not a Font Awesome name like fa-lightbulb`);
    checkSchemas(where, page.input ?? {}, ['params', 'query']);
    if (page.data !== undefined && typeof page.data !== 'function')
      throw new Error(`${where}: data must be a function`);
    if (!String(page.view).endsWith('.eta')) throw new Error(`${where}: the view must be an .eta file`);
    const view = path.relative(this.root(), this.inside(page.view, 'file'));
    const files = (kind: 'scripts' | 'styles') =>
      (page[kind] ?? []).map((name) => {
        if (!this.assetsDir) throw new Error(`${where}: declare ctx.admin.assets(folder) before its ${kind}`);
        if (!SIMPLE_PATH.test(name) || !this.asset(name))
          throw new Error(`${where}: ${name} is not in the assets folder`);
        return name;
      });
    const listed = !/[:*(]/.test(pagePath);
    if (listed && !SIMPLE_PATH.test(pagePath))
      throw new Error(`${where}: a path is segments of letters, digits, -, ., _ and ~, or :params`);
    const entry: AdminPageEntry = {
      path: pagePath,
      title: page.title,
      icon,
      listed,
      input: page.input ?? {},
      data: page.data ?? (() => ({})),
      scripts: files('scripts'),
      styles: files('styles'),
      render: (data) => this.views().render(view, data),
    };
    this.pages.add('GET', pagePath, entry);
    if (entry.listed) this.listed.push(entry);
  }

  private addRoute(method: AdminMethod, routePath: string, input: AdminInputSchemas, handler: AdminRouteHandler): void {
    const where = `admin route ${method} "${routePath}"`;
    if (!ADMIN_METHODS.includes(method))
      throw new Error(`${where}: the method must be one of ${ADMIN_METHODS.join(', ')}`);
    const trimmed = String(routePath ?? '').replace(/^\/+/, '');
    if (RESERVED_ROUTES.has(trimmed.split('/')[0] as string))
      throw new Error(`${where}: /${trimmed.split('/')[0]} belongs to the panel`);
    checkSchemas(where, input, ['params', 'query', 'body']);
    if (typeof handler !== 'function') throw new Error(`${where}: the handler must be a function`);
    this.routes.add(method, trimmed, { input, handler });
  }

  /** The plugin's folder with symlinks resolved: what its files must lie within. */
  private root(): string {
    return realpathSync(this.dir);
  }

  /** `relative` resolved in the plugin's folder; throws unless it is a `kind` inside it. */
  private inside(relative: string, kind: 'file' | 'directory'): string {
    const problem = `${JSON.stringify(relative)} must name a ${kind} inside the plugin's folder`;
    if (typeof relative !== 'string' || relative === '' || path.isAbsolute(relative)) throw new Error(problem);
    let resolved: string;
    try {
      resolved = realpathSync(path.join(this.dir, relative));
    } catch {
      throw new Error(`${problem}; there is none`);
    }
    const within = path.relative(this.root(), resolved);
    const stats = statSync(resolved);
    if (within === '' || within.startsWith('..') || path.isAbsolute(within)) throw new Error(problem);
    if (kind === 'file' ? !stats.isFile() : !stats.isDirectory()) throw new Error(problem);
    return resolved;
  }

  /** Made once per setup, so that a reload reads the views again. */
  private views(): Eta {
    this.eta ??= new Eta({ views: this.root(), autoEscape: true, cache: true });
    return this.eta;
  }
}

function checkSchemas(where: string, input: AdminInputSchemas, keys: (keyof AdminInputSchemas)[]): void {
  for (const [key, schema] of Object.entries(input ?? {})) {
    if (!keys.includes(key as keyof AdminInputSchemas))
      throw new Error(`${where}: input.${key} is not one of ${keys.join(', ')}`);
    if (!(schema instanceof z.ZodType)) throw new Error(`${where}: input.${key} must be a zod schema`);
  }
}
