// ctx.integrations from the environment: public API roots by default, credentials only when set,
// Mastodon only with both its instance and its token, and nothing a plugin can change.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { pluginIntegrations } from '../../src/plugins/integrations.js';

const integrationsOf = (env: Record<string, string>) => pluginIntegrations(loadConfig({ DATA_DIR: '/tmp/x', ...env }));

describe('plugin integrations', () => {
  it('gives the public API roots and no credentials when nothing is set', () => {
    expect(integrationsOf({})).toEqual({
      devto: { apiRoot: 'https://dev.to' },
      github: { apiRoot: 'https://api.github.com' },
    });
  });

  it('gives what the operator set, API roots without a trailing slash', () => {
    const integrations = integrationsOf({
      MASTODON_URL: 'https://social.example.test/',
      MASTODON_TOKEN: 'masto-token-123',
      DEVTO_API_KEY: 'devto-key-123',
      DEVTO_API_ROOT: 'http://127.0.0.1:9100',
      GITHUB_TOKEN: 'ghp_token123',
      GITHUB_API_ROOT: 'http://127.0.0.1:9200/api/v3/',
    });
    expect(integrations).toEqual({
      mastodon: { url: 'https://social.example.test', token: 'masto-token-123' },
      devto: { apiRoot: 'http://127.0.0.1:9100', apiKey: 'devto-key-123' },
      github: { apiRoot: 'http://127.0.0.1:9200/api/v3', token: 'ghp_token123' },
    });
  });

  it.each<Record<string, string>>([
    { MASTODON_URL: 'https://social.example.test' },
    { MASTODON_TOKEN: 'masto-token-123' },
  ])('leaves Mastodon out when only half of it is set (%o)', (env) => {
    expect(integrationsOf(env)).not.toHaveProperty('mastodon');
  });

  it('is frozen all the way down', () => {
    const integrations = integrationsOf({ MASTODON_URL: 'https://social.example.test', MASTODON_TOKEN: 'masto-1' });
    expect(Object.isFrozen(integrations)).toBe(true);
    expect(Object.isFrozen(integrations.mastodon)).toBe(true);
    expect(Object.isFrozen(integrations.devto)).toBe(true);
    expect(Object.isFrozen(integrations.github)).toBe(true);
    expect(() => {
      (integrations.github as { apiRoot: string }).apiRoot = 'http://evil.example';
    }).toThrow(TypeError);
  });
});
