// An intent classifier: nlp.js's neural NLU trained on labelled utterances in one language, offline
// and in memory. One instance is one trained model; a new command set means a new instance.
import { LangEn } from '@nlpjs/lang-en-min';
import { Nlp } from '@nlpjs/nlp';
import type { Language } from '../../config/settings-catalog.js';
import { canonical, paraphrases } from './augment.js';
import { OFF_TOPIC } from './corpus.js';
import { lightLanguage } from './stemmer.js';

export interface TrainingIntent {
  readonly intent: string;
  readonly utterances: readonly string[];
}

export interface Classification {
  readonly intent: string;
  readonly score: number;
}

/** Lower-cased, stemmed words, stop words kept (nlp.js's English stemmer, our light one for the others). */
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

  static async train(intents: readonly TrainingIntent[], language: Language = 'en'): Promise<IntentClassifier> {
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
    nlp.use(language === 'en' ? LangEn : lightLanguage(language));
    const vocabulary = new Set<string>();
    // The synonyms, contractions, openings and off-topic examples are English (augment.ts).
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
    if (english) for (const utterance of OFF_TOPIC) nlp.addDocument('en', canonical(utterance), NO_INTENT);
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
