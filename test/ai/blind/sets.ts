// The blind sets, by language and batch: the test and the bench's intents section read them here.
import type { Language } from '../../../src/config/settings-catalog.js';
import type { HeldOutSet } from '../../support/intent-evaluation.js';
import { BLIND_DE } from './blind.de.js';
import { BLIND_EN } from './blind.en.js';
import { BLIND_ES } from './blind.es.js';
import { BLIND_RU } from './blind.ru.js';
import { SECOND_DE } from './second.de.js';
import { SECOND_EN } from './second.en.js';
import { SECOND_ES } from './second.es.js';
import { SECOND_RU } from './second.ru.js';

export interface BlindSet {
  readonly language: Language;
  /** Which batch: each was written apart, the second after the first had been measured. */
  readonly name: 'first' | 'second';
  readonly set: HeldOutSet;
}

export const BLIND_SETS: readonly BlindSet[] = [
  { language: 'en', name: 'first', set: BLIND_EN },
  { language: 'de', name: 'first', set: BLIND_DE },
  { language: 'es', name: 'first', set: BLIND_ES },
  { language: 'ru', name: 'first', set: BLIND_RU },
  { language: 'en', name: 'second', set: SECOND_EN },
  { language: 'de', name: 'second', set: SECOND_DE },
  { language: 'es', name: 'second', set: SECOND_ES },
  { language: 'ru', name: 'second', set: SECOND_RU },
];
