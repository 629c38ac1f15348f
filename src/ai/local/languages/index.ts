// Every language the local engine understands, by the bot's language code.
import type { Language } from '../../../config/settings-catalog.js';
import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import type { LanguagePack } from './pack.js';
import { ru } from './ru.js';

export const LANGUAGE_PACKS: Readonly<Record<Language, LanguagePack>> = { en, de, es, ru };
