// The round-robin proxy in front of a contestant's instances, run as a process of its own (as Caddy or
// nginx would be), so that its CPU is counted apart from the instances' and the load generator's.
import { z } from 'zod';
import { startRoundRobinProxy } from '../test/support/round-robin-proxy.js';

const env = z
  .object({
    PORT: z.coerce.number().int().positive(),
    /** The instances' base URLs, comma-separated. */
    TARGETS: z.string().transform((list) => list.split(',').filter(Boolean)),
  })
  .parse(process.env);
await startRoundRobinProxy(env.TARGETS, env.PORT);
// Exiting rather than dying of the signal lets `--cpu-prof` (BENCH_CPU_PROF) write the proxy's profile.
process.once('SIGTERM', () => process.exit(0));
