// A light suffix-stripping stemmer for the languages nlp.js has no package installed for here
// (German, Spanish, Russian): it folds the common inflections of a word onto one stem, which is
// what the intent network needs to see "zahlen", "zahlst" and "zahlt" as one word.
import type { Language } from '../../config/settings-catalog.js';

/** Endings stripped, longest first; text is already lower-cased and stripped of diacritics (й → и). */
const SUFFIXES: Readonly<Record<Exclude<Language, 'en'>, readonly string[]>> = {
  de: [
    'ungen',
    'ung',
    'heit',
    'keit',
    'lich',
    'isch',
    'chen',
    'est',
    'ern',
    'em',
    'en',
    'er',
    'es',
    'et',
    'st',
    'e',
    's',
    'n',
    't',
  ],
  es: [
    'amente',
    'aciones',
    'acion',
    'adores',
    'ador',
    'iendo',
    'ando',
    'ados',
    'adas',
    'idos',
    'idas',
    'ado',
    'ada',
    'ido',
    'ida',
    'ar',
    'er',
    'ir',
    'as',
    'es',
    'os',
    'an',
    'en',
    'a',
    'e',
    'o',
    's',
  ],
  ru: [
    'иями',
    'ями',
    'ами',
    'ого',
    'его',
    'ому',
    'ему',
    'ыми',
    'ими',
    'ешь',
    'ете',
    'ите',
    'ать',
    'ять',
    'ить',
    'еть',
    'ая',
    'яя',
    'ое',
    'ее',
    'ые',
    'ие',
    'ои',
    'еи',
    'ии',
    'ыи',
    'ом',
    'ем',
    'ам',
    'ям',
    'ах',
    'ях',
    'ть',
    'ет',
    'ют',
    'ут',
    'ит',
    'им',
    'ят',
    'ат',
    'ю',
    'у',
    'а',
    'я',
    'о',
    'е',
    'ы',
    'и',
    'ь',
  ],
};

/** Reflexive endings of Russian verbs, taken off before the rest. */
const RU_REFLEXIVE = /(ся|сь)$/;
/** A stem shorter than this is left whole: short words are mostly their own stem. */
const MIN_STEM = 3;

export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** The words of a text, split as nlp.js's default tokenizer splits them. */
export function tokenize(text: string): string[] {
  return normalize(text)
    .split(/[\s,.!?;:([\]'"¡¿)/«»—-]+/)
    .filter((word) => word !== '');
}

export function stemWord(language: Exclude<Language, 'en'>, word: string): string {
  let stem = language === 'ru' && word.length - 2 >= MIN_STEM ? word.replace(RU_REFLEXIVE, '') : word;
  for (const suffix of SUFFIXES[language]) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= MIN_STEM) {
      stem = stem.slice(0, -suffix.length);
      break;
    }
  }
  return stem;
}

/** The stemmer in the shape nlp.js looks up as `stemmer-<language>` (and our classifier's coverage uses). */
export class LightStemmer {
  constructor(private readonly language: Exclude<Language, 'en'>) {}

  stem(tokens: string[]): string[] {
    return tokens.map((token) => stemWord(this.language, token));
  }

  tokenizeAndStem(text: string): string[] {
    return this.stem(tokenize(text));
  }
}

/** An nlp.js plugin: registers the stemmer for its language (tokenizer and normalizer stay nlp.js's defaults). */
export function lightLanguage(language: Exclude<Language, 'en'>): { register(container: NlpContainer): void } {
  return { register: (container) => container.register(`stemmer-${language}`, new LightStemmer(language)) };
}

interface NlpContainer {
  register(name: string, instance: unknown): void;
}
