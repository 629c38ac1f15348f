// The Mastodon instance accepts the token: GET {MASTODON_URL}/api/v1/accounts/verify_credentials.
import type { HealthProvider } from '../health-check.js';
import { probe } from '../http-probe.js';

export const mastodon: HealthProvider = {
  name: 'mastodon',
  critical: false,
  configured: (config) => config.MASTODON_URL !== undefined && config.MASTODON_TOKEN !== undefined,
  create: (config) => (signal) =>
    probe(
      `${config.MASTODON_URL}/api/v1/accounts/verify_credentials`,
      { authorization: `Bearer ${config.MASTODON_TOKEN}` },
      signal,
    ),
};
