// The platform's own database answers a trivial query.
import type { HealthProvider } from '../health-check.js';

export const database: HealthProvider = {
  name: 'database',
  critical: true,
  configured: () => true,
  create:
    (_config, { pingDatabase }) =>
    () =>
      pingDatabase(),
};
