// How a CLI verb tells running servers what it changed: over Redis when REDIS_URL is set, so that
// they re-read it at once; without Redis nothing is sent and they follow by their poll (a second).
import type { Config } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { type ChangeSignal, noChangeSignal, openChangeSignal } from '../db/change-signal.js';

export async function openCliChangeSignal(config: Config): Promise<ChangeSignal> {
  if (!config.REDIS_URL) return noChangeSignal;
  // Quiet: without Redis the servers still follow by polling, which is not this command's failure.
  return openChangeSignal({ url: config.REDIS_URL, log: createLogger({ LOG_LEVEL: 'silent' }, []) });
}
