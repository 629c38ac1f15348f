// The payment providers this installation has configured, from the environment: each provider is a
// small file behind the PaymentProvider interface, listed here. Stars need no configuration and
// are always there (payments.ts).
import type { Config } from '../../config/env.js';
import type { PaymentProvider } from '../provider.js';

export function paymentProviders(_config: Config): PaymentProvider[] {
  return [];
}
