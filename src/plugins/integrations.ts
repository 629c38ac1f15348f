// ctx.integrations: the outside services the operator set up by environment, built once from the
// frozen configuration. An API root is always there (the public one by default); a credential only
// when set, and Mastodon only when both its instance and token are.
import type { Config } from '../config/env.js';
import type { PluginIntegrations } from './api-jobs.js';

type IntegrationConfig = Pick<
  Config,
  'MASTODON_URL' | 'MASTODON_TOKEN' | 'DEVTO_API_KEY' | 'DEVTO_API_ROOT' | 'GITHUB_TOKEN' | 'GITHUB_API_ROOT'
>;

export function pluginIntegrations(config: IntegrationConfig): PluginIntegrations {
  const mastodon =
    config.MASTODON_URL && config.MASTODON_TOKEN
      ? Object.freeze({ url: config.MASTODON_URL, token: config.MASTODON_TOKEN })
      : undefined;
  return Object.freeze({
    ...(mastodon ? { mastodon } : {}),
    devto: Object.freeze({
      apiRoot: config.DEVTO_API_ROOT ?? 'https://dev.to',
      ...(config.DEVTO_API_KEY ? { apiKey: config.DEVTO_API_KEY } : {}),
    }),
    github: Object.freeze({
      apiRoot: config.GITHUB_API_ROOT ?? 'https://api.github.com',
      ...(config.GITHUB_TOKEN ? { token: config.GITHUB_TOKEN } : {}),
    }),
  });
}
