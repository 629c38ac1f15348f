// GitHub accepts the token: GET {GITHUB_API_ROOT}/rate_limit, which costs no quota.
import type { HealthProvider } from '../health-check.js';
import { probe } from '../http-probe.js';

export const github: HealthProvider = {
  name: 'github',
  critical: false,
  configured: (config) => config.GITHUB_TOKEN !== undefined,
  create: (config) => (signal) =>
    probe(
      `${config.GITHUB_API_ROOT ?? 'https://api.github.com'}/rate_limit`,
      {
        authorization: `Bearer ${config.GITHUB_TOKEN}`,
        'user-agent': 'omnicore',
        'x-github-api-version': '2022-11-28',
      },
      signal,
    ),
};
