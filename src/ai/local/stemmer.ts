// A light suffix-stripping stemmer for Russian: it folds the common inflections of a word onto one
// stem ("отменить", "отмени", "отмена" → "отмен"). On the Russian held-out set it did better than
// nlp.js's Snowball stemmer (@nlpjs/lang-ru), which German and Spanish use.

/** Endings stripped, longest first; text is already lower-cased and stripped of diacritics (й → и). */
const SUFFIXES: readonly string[] = [
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
];

/** Reflexive endings of verbs, taken off before the rest. */
const REFLEXIVE = /(ся|сь)$/;
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

export function stemWord(word: string): string {
  let stem = word.length - 2 >= MIN_STEM ? word.replace(REFLEXIVE, '') : word;
  for (const suffix of SUFFIXES) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= MIN_STEM) {
      stem = stem.slice(0, -suffix.length);
      break;
    }
  }
  return stem;
}

/** The stemmer in the shape nlp.js looks up as `stemmer-ru` (and our classifier's coverage uses). */
export class LightStemmer {
  stem(tokens: string[]): string[] {
    return tokens.map(stemWord);
  }

  tokenizeAndStem(text: string): string[] {
    return this.stem(tokenize(text));
  }
}

/** An nlp.js plugin: registers the stemmer for Russian (tokenizer and normalizer stay nlp.js's defaults). */
export const lightRussian = {
  register: (container: NlpContainer) => container.register('stemmer-ru', new LightStemmer()),
};

interface NlpContainer {
  register(name: string, instance: unknown): void;
}
