// An intent classifier: nlp.js's neural NLU and a letter n-gram nearest-neighbour model, trained on
// the same labelled utterances in one language, offline and in memory, their scores averaged. One
// instance is one trained model; a new command set means a new instance.
import { LangDe } from '@nlpjs/lang-de';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangEs } from '@nlpjs/lang-es';
import { Nlp } from '@nlpjs/nlp';
import { z } from 'zod';
import type { Language } from '../../config/settings-catalog.js';
import { nextTurn } from '../../lib/next-turn.js';
import { canonical, paraphrases } from './augment.js';
import { type ModelCache, modelKey } from './model-cache.js';
import { type LabelledText, NgramModel } from './ngram-model.js';
import { lightRussian } from './stemmer.js';

export interface TrainingIntent {
  readonly intent: string;
  readonly utterances: readonly string[];
}

export interface Classification {
  readonly intent: string;
  readonly score: number;
  /** The n-gram model ranks this intent first, and the network ranks it first or knows no word of the text. */
  readonly agreed: boolean;
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
/** The network's share of the combined score; the n-gram model's is the rest. */
const NETWORK_WEIGHT = 0.5;
/**
 * How sharply the n-gram model's similarities (0–1) become shares of one: a lead of 0.05 in
 * similarity is a factor e in share, so a clearly nearest intent takes most of it.
 */
const SIMILARITY_TEMPERATURE = 0.05;

/**
 * What the model cache keeps of a classifier, checked on the way in. Only the outline: checking every
 * number of the n-gram postings took longer than training them; the cache writes whole files only
 * (model-cache.ts), and a file damaged otherwise fails to load and is trained again.
 */
const storedModel = z.object({
  nlp: z.record(z.string(), z.unknown()),
  vocabulary: z.array(z.string()),
  ngrams: z.object({
    idf: z.array(z.custom<[string, number]>(Array.isArray)),
    unseenIdf: z.number(),
    intents: z.array(z.string()),
    postings: z.array(z.custom<[string, number[], number[]]>(Array.isArray)),
  }),
});
type StoredModel = z.infer<typeof storedModel>;

function newNlp(language: Language): Nlp {
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
  return nlp;
}

/** The sentences as trained: English paraphrased, all folded, then the off-topic ones as "no intent". */
function labelledSet(
  intents: readonly TrainingIntent[],
  language: Language,
  offTopic: readonly string[],
): LabelledText[] {
  const labelled: LabelledText[] = [];
  let index = 0;
  for (const { intent, utterances } of intents) {
    for (const utterance of utterances) {
      const variants = language === 'en' ? paraphrases(utterance, index++) : [utterance];
      // Folded after the opening is added, so that its words count as a user's would.
      for (const text of variants.map((variant) => canonical(variant, language))) labelled.push({ text, intent });
    }
  }
  for (const utterance of offTopic) labelled.push({ text: canonical(utterance, language), intent: NO_INTENT });
  return labelled;
}

export class IntentClassifier {
  private constructor(
    private readonly nlp: Nlp,
    readonly language: Language,
    /** Every word stem the training utterances contain. */
    private readonly vocabulary: ReadonlySet<string>,
    private readonly ngrams: NgramModel,
    /** How long training (or loading) took, in milliseconds. */
    readonly trainingMs: number,
    /** Loaded from the model cache rather than trained. */
    readonly loaded: boolean,
  ) {}

  /**
   * `offTopic`: sentences about nothing the bot does, trained as nlp.js's "no intent". With a cache,
   * a model trained on the same sentences before is loaded rather than trained again.
   */
  static async train(
    intents: readonly TrainingIntent[],
    language: Language = 'en',
    offTopic: readonly string[] = [],
    cache?: ModelCache,
  ): Promise<IntentClassifier> {
    const started = performance.now();
    const labelled = labelledSet(intents, language, offTopic);
    const key = cache ? modelKey({ language, labelled }) : undefined;
    const stored = key === undefined ? undefined : storedModel.safeParse(await cache?.read(key));
    if (stored?.success) {
      try {
        const nlp = newNlp(language);
        nlp.fromJSON(stored.data.nlp);
        const ngrams = NgramModel.fromData(stored.data.ngrams, (text) => stems(nlp, language, text));
        const vocabulary = new Set(stored.data.vocabulary);
        return new IntentClassifier(nlp, language, vocabulary, ngrams, performance.now() - started, true);
      } catch {
        // Damaged past its outline: trained again below, and written over.
      }
    }
    const nlp = newNlp(language);
    const vocabulary = new Set<string>();
    for (const { text, intent } of labelled) {
      nlp.addDocument(language, text, intent);
      if (intent !== NO_INTENT) for (const stem of stems(nlp, language, text)) vocabulary.add(stem);
    }
    await nlp.train();
    // The network's training and the n-gram model's are each synchronous: the event loop gets a turn between.
    await nextTurn();
    const ngrams = NgramModel.train(labelled, (text) => stems(nlp, language, text));
    const classifier = new IntentClassifier(nlp, language, vocabulary, ngrams, performance.now() - started, false);
    if (key !== undefined) {
      const model: StoredModel = { nlp: nlp.toJSON(), vocabulary: [...vocabulary], ngrams: ngrams.toData() };
      await cache?.write(key, model);
    }
    return classifier;
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

  /** Fewer words than coverage needs: "ok", "- one", "no". */
  isFragment(text: string): boolean {
    return stems(this.nlp, this.language, this.normal(text)).length < MIN_WORDS_FOR_COVERAGE;
  }

  /** The text with its synonyms (and in English its contractions) folded, as the model was trained. */
  private normal(text: string): string {
    return canonical(text, this.language);
  }

  /**
   * Every trained intent with its combined score, best first. The off-topic sentences' share counts
   * against all of them, so talk about other things scores low everywhere.
   */
  async classify(text: string): Promise<Classification[]> {
    const normal = this.normal(text);
    const network = (await this.nlp.process(this.language, normal)).classifications ?? [];
    const similar = this.ngrams.neighbourhood(normal).scores;
    const weights = similar.map(({ score }) => Math.exp(score / SIMILARITY_TEMPERATURE));
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    const shares = new Map(similar.map(({ intent }, index) => [intent, (weights[index] as number) / total]));
    const networkScores = new Map(network.map(({ intent, score }) => [intent, score]));
    const networkFirst = network
      .filter((entry) => entry.intent !== NO_INTENT && entry.score > 0)
      .sort((a, b) => b.score - a.score)[0]?.intent;
    // When the network knows no word of the text ("приветик", "Dankeschön") it has no say (and may
    // list only some intents): the letters are all there is to go by.
    const networkWeight = networkFirst === undefined ? 0 : NETWORK_WEIGHT;
    const nearest = similar[0]?.intent;
    return similar
      .filter((entry) => entry.intent !== NO_INTENT)
      .map(({ intent }) => ({
        intent,
        score: networkWeight * (networkScores.get(intent) ?? 0) + (1 - networkWeight) * (shares.get(intent) ?? 0),
        agreed: intent === nearest && (networkFirst === undefined || intent === networkFirst),
      }))
      .sort((a, b) => b.score - a.score);
  }
}
