// The security settings as one plain object, rebuilt when one of them changes, so that the hot path
// reads fields instead of parsing stored JSON for every update.
import type { SettingsStore } from '../../db/settings-store.js';

export interface SecuritySettings {
  enabled: boolean;
  userRate: { points: number; seconds: number };
  chatRate: { points: number; seconds: number };
  flood: { messages: number; windowMs: number; repeats: number };
  spam: { maxLinks: number; maxMentions: number };
  ladderSeconds: readonly number[];
  quietMs: number;
}

export class LiveSecuritySettings {
  private current: SecuritySettings;
  private readonly listeners: ((settings: SecuritySettings) => void)[] = [];

  constructor(private readonly settings: SettingsStore) {
    this.current = this.read();
    settings.on('change', (key) => {
      if (!key.startsWith('security.')) return;
      this.current = this.read();
      for (const listener of this.listeners) listener(this.current);
    });
  }

  get(): SecuritySettings {
    return this.current;
  }

  onChange(listener: (settings: SecuritySettings) => void): void {
    this.listeners.push(listener);
  }

  private read(): SecuritySettings {
    const get = this.settings.get.bind(this.settings);
    return {
      enabled: get('security.enabled'),
      userRate: { points: get('security.userRateLimit'), seconds: get('security.userRateWindowSeconds') },
      chatRate: { points: get('security.chatRateLimit'), seconds: get('security.chatRateWindowSeconds') },
      flood: {
        messages: get('security.floodMessages'),
        windowMs: get('security.floodWindowSeconds') * 1000,
        repeats: get('security.repeatLimit'),
      },
      spam: { maxLinks: get('security.maxLinks'), maxMentions: get('security.maxMentions') },
      ladderSeconds: get('security.banLadderSeconds'),
      quietMs: get('security.banQuietHours') * 60 * 60 * 1000,
    };
  }
}
