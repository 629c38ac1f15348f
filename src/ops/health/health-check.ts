// What every health check is: a named probe that resolves when its service is healthy and throws
// with the reason when not. Critical ones decide readiness (/readyz); the others are informational.
import type { Config } from '../../config/env.js';

export interface HealthCheck {
  readonly name: string;
  readonly critical: boolean;
  run(signal: AbortSignal): Promise<void>;
}

export interface HealthResult {
  readonly name: string;
  readonly critical: boolean;
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: string;
  readonly at: number;
}

/** What a provider may need besides the configuration: the platform's own database and bot. */
export interface HealthDependencies {
  pingDatabase: () => Promise<void>;
  /** Calls the Bot API's getMe through the bot's own client. */
  getMe: () => Promise<unknown>;
  /** Why update handling cannot keep up, if it cannot. */
  dispatcherStall: () => string | undefined;
}

/** One kind of check: whether the configuration asks for it, and how to make it. */
export interface HealthProvider {
  readonly name: string;
  readonly critical: boolean;
  configured(config: Config): boolean;
  create(config: Config, dependencies: HealthDependencies): HealthCheck['run'];
}
