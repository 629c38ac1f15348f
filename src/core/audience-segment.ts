// The audience segments a plugin may address (broadcasts): their written form, checked by zod, and
// the parsed shape the query that resolves them (analytics/audience.ts) works from.
import { z } from 'zod';

export type AudienceSelector =
  | { kind: 'all' }
  | { kind: 'language'; language: string }
  | { kind: 'active'; days: number }
  | { kind: 'segment'; segment: 'new' | 'active' | 'dormant' | 'churned' }
  | { kind: 'entitlement'; key: string };

const FORMS =
  '`all`, `language:<xx>`, `active:<1-365 days>`, `segment:<new|active|dormant|churned>` or `entitlement:<key>`';

/** A segment as written (`language:de`, `active:30`, …), parsed; the error names the forms it accepts. */
export const audienceSegment = z
  .string()
  .trim()
  .max(80)
  .transform((text, check): AudienceSelector => {
    const [kind, value = ''] = text.split(/:(.*)/s) as [string, string?];
    if (text === 'all') return { kind: 'all' };
    if (kind === 'language' && /^[a-z]{2,3}$/.test(value)) return { kind, language: value };
    if (kind === 'active' && /^\d{1,3}$/.test(value) && Number(value) >= 1 && Number(value) <= 365) {
      return { kind, days: Number(value) };
    }
    if (kind === 'segment' && (value === 'new' || value === 'active' || value === 'dormant' || value === 'churned')) {
      return { kind, segment: value };
    }
    if (kind === 'entitlement' && /^[a-z0-9][a-z0-9_.-]{0,63}$/.test(value)) return { kind, key: value };
    check.addIssue({ code: 'custom', message: `"${text}" is not a segment: write ${FORMS}` });
    return z.NEVER;
  });
