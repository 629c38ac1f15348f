// DEV.to accepts the API key: GET {DEVTO_API_ROOT}/api/users/me with the `api-key` header.
import type { HealthProvider } from '../health-check.js';
import { probe } from '../http-probe.js';

export const devto: HealthProvider = {
  name: 'devto',
  critical: false,
  configured: (config) => config.DEVTO_API_KEY !== undefined,
  create: (config) => (signal) =>
    probe(
      `${config.DEVTO_API_ROOT ?? 'https://dev.to'}/api/users/me`,
      { 'api-key': config.DEVTO_API_KEY ?? '' },
      signal,
    ),
};
