// The platform's own update handling keeps up: nothing waits behind handlers that no longer finish,
// and the slots are not all taken for long (see Dispatcher.stall).
import type { HealthProvider } from '../health-check.js';

export const dispatcher: HealthProvider = {
  name: 'dispatcher',
  critical: true,
  configured: () => true,
  create:
    (_config, { dispatcherStall }) =>
    async () => {
      const stall = dispatcherStall();
      if (stall) throw new Error(stall);
    },
};
