// Each alerted metric's seasonal profile, built from the observer's per-minute rollups and rebuilt
// every REFRESH_MS: one history query per metric per refresh, since a daily shape learnt over a week
// does not change from one sample to the next.
import type { Logger } from '../../config/logger.js';
import { type SeasonalProfile, seasonalProfile } from '../anomaly/seasonal-profile.js';
import type { MetricName } from '../observer/metric-catalog.js';
import type { Observer } from '../observer/observer.js';

const MINUTE_MS = 60_000;
const REFRESH_MS = 15 * MINUTE_MS;
/**
 * Eight days of minutes (11,520 rows a metric): enough for a daily season (detectSeason wants three
 * cycles) with room for missing days. A weekly one would need three weeks, more than alerting should
 * read every quarter of an hour.
 */
const HISTORY_MS = 8 * 24 * 60 * MINUTE_MS;

interface Cached {
  readonly at: number;
  readonly profile: SeasonalProfile | undefined;
}

export class SeasonalProfiles {
  private readonly cache = new Map<MetricName, Cached>();

  constructor(
    private readonly observer: Observer,
    private readonly log: Logger,
  ) {}

  /** The metric's profile as of at most REFRESH_MS before `now`; undefined when it has no season. */
  async get(name: MetricName, now: number): Promise<SeasonalProfile | undefined> {
    const cached = this.cache.get(name);
    if (cached && now - cached.at < REFRESH_MS && now >= cached.at) return cached.profile;
    let profile: SeasonalProfile | undefined;
    try {
      profile = seasonalProfile(await this.observer.history(name, now - HISTORY_MS, now, '1m'));
    } catch (error) {
      // Until the next refresh the metric is judged as if it had no season, as it was before.
      this.log.warn({ err: error, metric: name }, 'could not read the history for the seasonal profile');
    }
    this.cache.set(name, { at: now, profile });
    return profile;
  }
}
