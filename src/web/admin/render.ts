// Renders a view of the panel inside its layout: the navigation (the panel's sections, and under
// Plugins the pages of the plugins running now), the signed-in admin, the CSRF token and the
// page's scripts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PluginHost } from '../../plugins/host.js';
import { ASSETS_PREFIX } from './assets.js';

export const NAVIGATION = [
  { path: '/admin', key: 'dashboard', label: 'Dashboard', icon: 'fa-gauge-high' },
  { path: '/admin/plugins', key: 'plugins', label: 'Plugins', icon: 'fa-puzzle-piece' },
  { path: '/admin/settings', key: 'settings', label: 'Settings', icon: 'fa-sliders' },
  { path: '/admin/analytics', key: 'analytics', label: 'Analytics', icon: 'fa-chart-line' },
  { path: '/admin/experiments', key: 'experiments', label: 'Experiments', icon: 'fa-flask' },
  { path: '/admin/users', key: 'users', label: 'Users', icon: 'fa-users' },
  { path: '/admin/payments', key: 'payments', label: 'Payments', icon: 'fa-credit-card' },
  { path: '/admin/security', key: 'security', label: 'Security', icon: 'fa-shield-halved' },
  { path: '/admin/chat', key: 'chat', label: 'Chat', icon: 'fa-comments' },
  { path: '/admin/audit', key: 'audit', label: 'Audit', icon: 'fa-clipboard-list' },
  { path: '/admin/backups', key: 'backups', label: 'Backups', icon: 'fa-box-archive' },
  { path: '/admin/system', key: 'system', label: 'System', icon: 'fa-server' },
] as const;

type Section = (typeof NAVIGATION)[number]['key'];
export type PageKey = Section | 'user' | 'plugin' | 'payment' | 'experiment' | 'account' | 'plugin-page';

const SECTION_OF: Partial<Record<PageKey, Section>> = {
  user: 'users',
  plugin: 'plugins',
  payment: 'payments',
  experiment: 'experiments',
};
/** Pages with scripts of their own in public/ (Chart.js is loaded with them). */
const SCRIPTS: Partial<Record<PageKey, readonly string[]>> = {
  dashboard: ['dashboard', 'instance-charts'],
  chat: ['chat'],
  analytics: ['analytics'],
  payments: ['charts'],
  experiments: ['experiment-form'],
  experiment: ['experiment-report'],
  backups: ['maintenance'],
  system: ['maintenance'],
};

/** What a plugin's page sets itself: its navigation entry, and its scripts and styles (URLs). */
export interface PageExtras {
  section: string;
  scripts: string[];
  styles: string[];
}

/** Where a plugin's page lives, and its navigation key. */
export function pluginPagePath(plugin: string, page: string): string {
  return `/admin/plugins/${plugin}/${page}`;
}

function pluginNavigation(plugins: PluginHost) {
  return plugins.adminContributions().flatMap((admin) =>
    admin.listed.map((page) => {
      const path = pluginPagePath(admin.plugin, page.path);
      return { path, key: path, label: page.title, icon: page.icon };
    }),
  );
}

export type Render = (
  request: FastifyRequest,
  reply: FastifyReply,
  page: PageKey,
  title: string,
  data: object,
  extras?: PageExtras,
) => FastifyReply | Promise<FastifyReply>;

export function pageRenderer(plugins: PluginHost): Render {
  return (request, reply, page, title, data, extras) => {
    const admin = request.admin;
    return reply.view(page, {
      ...data,
      title,
      page,
      section: extras?.section ?? SECTION_OF[page] ?? page,
      scripts: extras?.scripts ?? (SCRIPTS[page] ?? []).map((script) => `${ASSETS_PREFIX}/app/${script}.js`),
      styles: extras?.styles ?? [],
      navigation: NAVIGATION,
      pluginPages: pluginNavigation(plugins),
      username: admin?.account.username,
      csrf: admin?.session.csrfToken,
    });
  };
}
