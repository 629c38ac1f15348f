// Starts a contestant as it is deployed: its instances one after another, each a child process on a
// free port of its own, and the round-robin proxy in front when it has one; their CPU and memory summed.
import { freePort } from '../test/support/processes.js';
import { type LaunchSpec, launch, type Running } from './child.js';
import type { Contestant } from './contestants.js';
import { cpuMsOf, type Memory, memoryOf } from './proc-stats.js';

export interface Deployment {
  /** Where the load goes: the proxy, or the one instance. */
  readonly baseUrl: string;
  readonly pids: readonly number[];
  /** From the first spawn until every instance, and the proxy, answered as ready. */
  readonly readyMs: number;
  /** CPU time of the instances, summed (the proxy's is apart). */
  cpuMs(): number;
  /** CPU time of the proxy; undefined without one. */
  proxyCpuMs(): number | undefined;
  /** Resident set sizes of the instances, summed: each process's own peak added up for the peak. */
  memory(): Memory;
  /** What each instance wrote, by pid. */
  outputs(): [number, string][];
  stop(): Promise<void>;
}

const PROXY_SCRIPT = new URL('./proxy.js', import.meta.url).pathname;

export async function deploy(contestant: Contestant, spec: (port: number) => LaunchSpec): Promise<Deployment> {
  const started = performance.now();
  const instances: Running[] = [];
  let proxy: Running | undefined;
  const stop = async (): Promise<void> => {
    await proxy?.stop();
    await Promise.all(instances.map((instance) => instance.stop()));
  };
  try {
    // One after another, as the fault tests start them: both at once on a busy machine is slower.
    for (let index = 0; index < (contestant.proxiedInstances ?? 1); index++) {
      instances.push(await launch(spec(await freePort())));
    }
    if (contestant.proxiedInstances !== undefined)
      proxy = await launch(proxySpec(contestant, instances, await freePort()));
  } catch (error) {
    await stop();
    throw error;
  }
  const readyMs = performance.now() - started;
  const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
  return {
    baseUrl: (proxy ?? (instances[0] as Running)).baseUrl,
    pids: instances.map((instance) => instance.pid),
    readyMs,
    cpuMs: () => sum(instances.map((instance) => cpuMsOf(instance.pid))),
    proxyCpuMs: () => (proxy ? cpuMsOf(proxy.pid) : undefined),
    memory: () => {
      const each = instances.map((instance) => memoryOf(instance.pid));
      return { rss: sum(each.map((memory) => memory.rss)), peakRss: sum(each.map((memory) => memory.peakRss)) };
    },
    outputs: () => instances.map((instance) => [instance.pid, instance.output()]),
    stop,
  };
}

function proxySpec(contestant: Contestant, instances: readonly Running[], port: number): LaunchSpec {
  return {
    name: `${contestant.id}-proxy`,
    args: [PROXY_SCRIPT],
    env: { PORT: String(port), TARGETS: instances.map((instance) => instance.baseUrl).join(',') },
    port,
    probe: async (baseUrl) => (await fetch(`${baseUrl}/readyz`)).status === 200,
  };
}
