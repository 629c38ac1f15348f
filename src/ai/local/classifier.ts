// An intent classifier: nlp.js's neural NLU trained on labelled utterances in one language, offline
// and in memory. One instance is one trained model; a new command set means a new instance.
import { LangDe } from '@nlpjs/lang-de';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangEs } from '@nlpjs/lang-es';
import { Nlp } from '@nlpjs/nlp';
import type { Language } from '../../config/settings-catalog.js';
import { canonical, paraphrases } from './augment.js';
import { lightRussian } from './stemmer.js';

export interface TrainingIntent {
  readonly intent: string;
  readonly utterances: readonly string[];
}

export interface Classification {
  readonly intent: string;
  readonly score: number;
}

/**
 * Each language's tokenizer, normaliser and stemmer: nlp.js's own packages, but for Russian our light
 * stemmer, which picked more held-out sentences right there (the README says by how much).
 */
const LANGUAGE_PLUGINS: Readonly<Record<Language, unknown>> = { en: LangEn, de: LangDe, es: LangEs, ru: lightRussian };

/** Lower-cased, stemmed words, stop words kept, as the language's plugin makes them. */
function stems(nlp: Nlp, language: Language, text: string): string[] {
  return nlp.container.get(`stemmer-${language}`).tokenizeAndStem(text, true);
}

/** Shorter texts are judged by the network alone (see coverage). */
const MIN_WORDS_FOR_COVERAGE = 3;

/** nlp.js's own "no intent": its answer when no score reaches its threshold, or no word is known. */
const NO_INTENT = 'None';

export class IntentClassifier {
  private constructor(
    private readonly nlp: Nlp,
    readonly language: Language,
    /** Every word stem the training utterances contain. */
    private readonly vocabulary: ReadonlySet<string>,
    /** How long training took, in milliseconds. */
    readonly trainingMs: number,
  ) {}

  /** `offTopic`: sentences about nothing the bot does, trained as nlp.js's "no intent". */
  static async train(
    intents: readonly TrainingIntent[],
    language: Language = 'en',
    offTopic: readonly string[] = [],
  ): Promise<IntentClassifier> {
    const started = performance.now();
    // No container from @nlpjs/core-loader: it would read .env and conf.json from the working directory.
    const nlp = new Nlp({
      languages: [language],
      autoLoad: false,
      autoSave: false,
      calculateSentiment: false,
      forceNER: false,
      nlu: { log: false },
    });
    nlp.use(LANGUAGE_PLUGINS[language]);
    const vocabulary = new Set<string>();
    // The synonyms, contractions and openings are English (augment.ts).
    const english = language === 'en';
    let index = 0;
    for (const { intent, utterances } of intents) {
      for (const utterance of utterances) {
        for (const variant of english ? paraphrases(canonical(utterance), index++) : [utterance]) {
          nlp.addDocument(language, variant, intent);
          for (const stem of stems(nlp, language, variant)) vocabulary.add(stem);
        }
      }
    }
    for (const utterance of offTopic) nlp.addDocument(language, english ? canonical(utterance) : utterance, NO_INTENT);
    await nlp.train();
    return new IntentClassifier(nlp, language, vocabulary, performance.now() - started);
  }

  /**
   * The share of the text's words the model was trained on. The network spreads its confidence over
   * the intents whatever it knows, so one familiar word ("to") can make a confident answer of a
   * sentence it has never seen the like of; a low share says the score means little.
   */
  coverage(text: string): number {
    const words = stems(this.nlp, this.language, this.normal(text));
    // A word or two ("thx", "hiya") the network places by its letters, and rightly so.
    if (words.length < MIN_WORDS_FOR_COVERAGE) return 1;
    return words.filter((word) => this.vocabulary.has(word)).length / words.length;
  }

  /** English text with its synonyms and contractions folded, as the model was trained; others as they are. */
  private normal(text: string): string {
    return this.language === 'en' ? canonical(text) : text;
  }

  /** Every trained intent with its score, best first (all zero when no word of the text is known). */
  async classify(text: string): Promise<Classification[]> {
    const result = await this.nlp.process(this.language, this.normal(text));
    return (result.classifications ?? [])
      .filter((entry) => entry.intent !== NO_INTENT)
      .sort((a, b) => b.score - a.score);
  }
}
