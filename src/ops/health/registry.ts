// Every health-check provider, and the checks the configuration asks for. Adding a service is one
// file in providers/ and one line here.
import type { Config } from '../../config/env.js';
import type { HealthCheck, HealthDependencies, HealthProvider } from './health-check.js';
import { btcpay } from './providers/btcpay.js';
import { cryptopay } from './providers/cryptopay.js';
import { database } from './providers/database.js';
import { devto } from './providers/devto.js';
import { dispatcher } from './providers/dispatcher.js';
import { github } from './providers/github.js';
import { llm } from './providers/llm.js';
import { mastodon } from './providers/mastodon.js';
import { nowpayments } from './providers/nowpayments.js';
import { stripe } from './providers/stripe.js';
import { telegram } from './providers/telegram.js';

export const HEALTH_PROVIDERS: readonly HealthProvider[] = [
  database,
  dispatcher,
  telegram,
  llm,
  stripe,
  cryptopay,
  nowpayments,
  btcpay,
  mastodon,
  devto,
  github,
];

export function configuredChecks(config: Config, dependencies: HealthDependencies): HealthCheck[] {
  return HEALTH_PROVIDERS.filter((provider) => provider.configured(config)).map((provider) => ({
    name: provider.name,
    critical: provider.critical,
    run: provider.create(config, dependencies),
  }));
}
