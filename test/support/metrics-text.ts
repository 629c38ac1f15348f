// Reads a platform's GET /metrics as the tests compare it: every series carries the instance's id
// (`instance_id`, see src/core/metrics.ts), which differs from run to run and is left out here.
import type { PlatformMetrics } from '../../src/core/metrics.js';

export function withoutInstanceLabel(exposition: string): string {
  return exposition.replace(/(\{)instance_id="[^"]*",?|,instance_id="[^"]*"/g, '$1').replace(/\{\}/g, '');
}

/** The exposition of `baseUrl`/metrics, without the instance label. */
export async function scrapeMetrics(baseUrl: string): Promise<string> {
  return withoutInstanceLabel(await (await fetch(`${baseUrl}/metrics`)).text());
}

/** One metric of a platform's registry in the exposition format, without the instance label. */
export async function singleMetric(platform: { metrics: PlatformMetrics }, name: string): Promise<string> {
  return withoutInstanceLabel(await platform.metrics.registry.getSingleMetricAsString(name));
}
