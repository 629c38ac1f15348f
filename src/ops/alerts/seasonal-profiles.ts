// Each alerted metric's seasonal profile, rebuilt every REFRESH_MS (a shape learnt over weeks does not
// change from one sample to the next): a weekly one from four weeks of hourly summaries of the
// per-minute rollups when the metric has a weekly cycle, else a daily one from eight days of the
// rollups themselves. At most two history queries per metric per refresh.
import type { Logger } from '../../config/logger.js';
import { type SeasonalProfile, seasonalProfile } from '../anomaly/seasonal-profile.js';
import type { MetricName } from '../observer/metric-catalog.js';
import type { Observer } from '../observer/observer.js';

const MINUTE_MS = 60_000;
const REFRESH_MS = 15 * MINUTE_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;
/**
 * Eight days of minutes (11,520 rows a metric): enough for a daily season (detectSeason wants three
 * cycles) with room for missing days.
 */
const DAILY_HISTORY_MS = 8 * DAY_MS;
/**
 * Four weeks of hours (672 rows, grouped by the database): detectSeason wants three weekly cycles, and
 * the fourth lets the newest week be judged against three. Within the default rollup retention
 * (observer.rollupRetentionDays, 30); with a shorter one no weekly season is found and the daily
 * profile serves.
 */
const WEEKLY_HISTORY_MS = 28 * DAY_MS;

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
      profile = await this.build(name, now);
    } catch (error) {
      // Until the next refresh the metric is judged as if it had no season, as it was before.
      this.log.warn({ err: error, metric: name }, 'could not read the history for the seasonal profile');
    }
    this.cache.set(name, { at: now, profile });
    return profile;
  }

  /** Hourly means are too coarse for a daily shape: only a weekly season is taken from them. */
  private async build(name: MetricName, now: number): Promise<SeasonalProfile | undefined> {
    const weekly = seasonalProfile(await this.observer.hourly(name, now - WEEKLY_HISTORY_MS, now));
    if (weekly?.season.name === 'weekly') return weekly;
    return seasonalProfile(await this.observer.history(name, now - DAILY_HISTORY_MS, now, '1m'));
  }
}
