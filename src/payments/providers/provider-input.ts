// A provider's event checked against the shape we read: what does not fit is PAYMENT_EVENT_INVALID,
// naming the provider, what was read and the first field that did not fit (never a value).
import type { z } from 'zod';
import { OmniError } from '../../errors.js';

export function parseProviderInput<T extends z.ZodType>(
  provider: string,
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new OmniError(
    'PAYMENT_EVENT_INVALID',
    `${provider} ${what}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
  );
}
