// The Bot API (or the built-in emulator) answers getMe with our bot's token.
import type { HealthProvider } from '../health-check.js';

export const telegram: HealthProvider = {
  name: 'telegram',
  critical: true,
  configured: () => true,
  create:
    (_config, { getMe }) =>
    async () => {
      await getMe();
    },
};
