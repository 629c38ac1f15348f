// Formatting helpers the views share, so that every page shows times, durations, sizes and money alike.

import { percent } from '../../lib/shares.js';
import { formatMoney } from '../../payments/currency.js';

/** "maxQueuedPerChat" → "max queued per chat": an identifier read as words. */
export function words(identifier: string): string {
  return identifier.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

export const format = {
  time(ms: number | null | undefined): string {
    return ms ? `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC` : '—';
  },
  duration(seconds: number): string {
    const units: [number, string][] = [
      [86_400, 'd'],
      [3600, 'h'],
      [60, 'min'],
    ];
    for (const [size, unit] of units) if (seconds >= size) return `${Math.floor(seconds / size)} ${unit}`;
    return `${Math.round(seconds)} s`;
  },
  bytes(n: number): string {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = n;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
  },
  /**
   * A record's free-form details (security events) as labelled, readable values: keys ending in
   * `Ms` are durations, `until` and keys ending in `At` are times, and the rest shown as they are.
   */
  details(detail: Record<string, unknown>): { label: string; text: string }[] {
    return Object.entries(detail).map(([key, value]) => {
      if (key.endsWith('Ms') && typeof value === 'number')
        return { label: words(key.slice(0, -2)), text: format.duration(value / 1000) };
      if (key === 'until' || key.endsWith('At'))
        return { label: words(key), text: typeof value === 'number' ? format.time(value) : 'permanent' };
      return {
        label: words(key),
        text: typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value),
      };
    });
  },
  /** A setting's or an experiment arm's value: text as it is, anything else as JSON. */
  value(value: unknown): string {
    return typeof value === 'string' ? value : JSON.stringify(value);
  },
  /** A share (0.2) as a percentage ("20%"); `digits` after the point. */
  percent,
  /** Minor units as the currency's decimal: "4.99 USD", "50 XTR". */
  money: formatMoney,
  name(user: { first_name: string; last_name: string | null }): string {
    return [user.first_name, user.last_name].filter(Boolean).join(' ');
  },
};
