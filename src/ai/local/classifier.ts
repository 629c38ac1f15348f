// An English intent classifier: nlp.js's neural NLU trained on labelled utterances, offline and in
// memory. One instance is one trained model; a new command set means a new instance.
import { LangEn } from '@nlpjs/lang-en-min';
import { Nlp } from '@nlpjs/nlp';

export interface TrainingIntent {
  readonly intent: string;
  readonly utterances: readonly string[];
}

export interface Classification {
  readonly intent: string;
  readonly score: number;
}

/** nlp.js's own "no intent": its answer when no score reaches its threshold, or no word is known. */
const NO_INTENT = 'None';

export class IntentClassifier {
  private constructor(
    private readonly nlp: Nlp,
    /** How long training took, in milliseconds. */
    readonly trainingMs: number,
  ) {}

  static async train(intents: readonly TrainingIntent[]): Promise<IntentClassifier> {
    const started = performance.now();
    // No container from @nlpjs/core-loader: it would read .env and conf.json from the working directory.
    const nlp = new Nlp({
      languages: ['en'],
      autoLoad: false,
      autoSave: false,
      calculateSentiment: false,
      forceNER: false,
      nlu: { log: false },
    });
    nlp.use(LangEn);
    for (const { intent, utterances } of intents) {
      for (const utterance of utterances) nlp.addDocument('en', utterance, intent);
    }
    await nlp.train();
    return new IntentClassifier(nlp, performance.now() - started);
  }

  /** Every trained intent with its score, best first (all zero when no word of the text is known). */
  async classify(text: string): Promise<Classification[]> {
    const result = await this.nlp.process('en', text);
    return (result.classifications ?? [])
      .filter((entry) => entry.intent !== NO_INTENT)
      .sort((a, b) => b.score - a.score);
  }
}
