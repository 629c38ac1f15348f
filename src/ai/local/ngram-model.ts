// A second, plain intent model next to nlp.js's network: TF-IDF vectors of word stems and of the
// words' character 3–5-grams, and the nearest training utterances by cosine. The letters catch what
// the stems miss: typos, diminutives ("приветик"), compounds ("Dankeschön"), endings no stemmer knows.
import { normalize, tokenize } from './stemmer.js';

export interface LabelledText {
  readonly text: string;
  readonly intent: string;
}

export interface Neighbourhood {
  /** Every intent with the mean similarity of its nearest utterances, best first. */
  readonly scores: readonly { readonly intent: string; readonly score: number }[];
}

/** A trained model as plain data, for the model cache (model-cache.ts). */
export interface NgramModelData {
  readonly idf: [string, number][];
  readonly unseenIdf: number;
  readonly intents: string[];
  readonly postings: [string, number[], number[]][];
}

/** A sparse vector: feature → weight, of unit length. */
type Vector = ReadonlyMap<string, number>;

const MIN_GRAM = 3;
const MAX_GRAM = 5;
/** How much of the similarity comes from whole stems; the rest from letter n-grams. */
const STEM_WEIGHT = 0.5;
/** The nearest utterances of an intent that make its score: one lucky match counts less than three. */
const NEIGHBOURS = 2;

/** The letter n-grams of one word, marked at its ends so that beginnings and endings count apart. */
function grams(word: string): string[] {
  const marked = `<${word}>`;
  const found: string[] = [];
  for (let size = MIN_GRAM; size <= MAX_GRAM; size++) {
    for (let start = 0; start + size <= marked.length; start++) found.push(marked.slice(start, start + size));
  }
  return found;
}

function counts(features: readonly string[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const feature of features) result.set(feature, (result.get(feature) ?? 0) + 1);
  return result;
}

/**
 * The training utterances that have a feature, and the feature's weight in each: two parallel lists
 * of numbers rather than an object per pair, since a model holds hundreds of thousands of pairs for
 * good and objects would cost a start-up's worth of garbage collection (and memory) each.
 */
interface Postings {
  readonly examples: number[];
  readonly weights: number[];
}

export class NgramModel {
  private constructor(
    private readonly stems: (text: string) => string[],
    /** Inverse document frequency of every feature seen in training. */
    private readonly idf: ReadonlyMap<string, number>,
    /** The weight of a feature no training utterance has: the rarest there is. */
    private readonly unseenIdf: number,
    /** Each training utterance's intent, by its index. */
    private readonly intents: readonly string[],
    /** Feature → the utterances that have it: a text is compared with those that share a feature only. */
    private readonly postings: ReadonlyMap<string, Postings>,
  ) {}

  /** `stems`: the language's stemmer, as the network uses it. */
  static train(examples: readonly LabelledText[], stems: (text: string) => string[]): NgramModel {
    const features = examples.map(({ text }) => ({
      stems: counts(stems(text).map(stemFeature)),
      grams: counts(letterGrams(text)),
    }));
    const documents = new Map<string, number>();
    for (const entry of features) {
      for (const feature of [...entry.stems.keys(), ...entry.grams.keys()]) {
        documents.set(feature, (documents.get(feature) ?? 0) + 1);
      }
    }
    const idf = new Map<string, number>();
    for (const [feature, count] of documents) idf.set(feature, Math.log((1 + examples.length) / (1 + count)) + 1);
    const unseen = Math.log(1 + examples.length) + 1;
    const postings = new Map<string, Postings>();
    const model = new NgramModel(stems, idf, unseen, [], postings);
    features.forEach((entry, example) => {
      for (const [vector, share] of model.parts(entry.stems, entry.grams)) {
        for (const [feature, weight] of vector) {
          let list = postings.get(feature);
          if (!list) {
            list = { examples: [], weights: [] };
            postings.set(feature, list);
          }
          list.examples.push(example);
          list.weights.push(share * weight);
        }
      }
    });
    return new NgramModel(
      stems,
      idf,
      unseen,
      examples.map(({ intent }) => intent),
      postings,
    );
  }

  /** The model as it was trained; `stems` is not kept and must be the same when it is restored. */
  toData(): NgramModelData {
    return {
      idf: [...this.idf],
      unseenIdf: this.unseenIdf,
      intents: [...this.intents],
      postings: [...this.postings].map(([feature, list]) => [feature, list.examples, list.weights]),
    };
  }

  static fromData(data: NgramModelData, stems: (text: string) => string[]): NgramModel {
    const postings = new Map(data.postings.map(([feature, examples, weights]) => [feature, { examples, weights }]));
    return new NgramModel(stems, new Map(data.idf), data.unseenIdf, data.intents, postings);
  }

  /** Every intent, scored by how close the text is to its nearest training utterances (0–1). */
  neighbourhood(text: string): Neighbourhood {
    const similarity = new Float64Array(this.intents.length);
    for (const [vector] of this.parts(counts(this.stems(text).map(stemFeature)), counts(letterGrams(text)))) {
      for (const [feature, weight] of vector) {
        const list = this.postings.get(feature);
        if (!list) continue;
        for (let index = 0; index < list.examples.length; index++) {
          const example = list.examples[index] as number;
          similarity[example] = (similarity[example] as number) + weight * (list.weights[index] as number);
        }
      }
    }
    const byIntent = new Map<string, number[]>();
    this.intents.forEach((intent, example) => {
      const list = byIntent.get(intent) ?? [];
      list.push(similarity[example] as number);
      byIntent.set(intent, list);
    });
    const scores = [...byIntent].map(([intent, similarities]) => {
      const nearest = similarities.sort((a, b) => b - a).slice(0, NEIGHBOURS);
      return { intent, score: nearest.reduce((sum, value) => sum + value, 0) / nearest.length };
    });
    return { scores: scores.sort((a, b) => b.score - a.score) };
  }

  /** The stem and letter vectors of a text, each with its share of the similarity. */
  private parts(stems: ReadonlyMap<string, number>, grams: ReadonlyMap<string, number>): [Vector, number][] {
    return [
      [this.weigh(stems), STEM_WEIGHT],
      [this.weigh(grams), 1 - STEM_WEIGHT],
    ];
  }

  /**
   * Sublinear term frequency times IDF, to unit length. Features never trained on weigh the most, as
   * in a document of their own: a text of unknown words stays far from every utterance.
   */
  private weigh(raw: ReadonlyMap<string, number>): Vector {
    const vector = new Map<string, number>();
    for (const [feature, count] of raw) {
      vector.set(feature, (1 + Math.log(count)) * (this.idf.get(feature) ?? this.unseenIdf));
    }
    const length = Math.sqrt([...vector.values()].reduce((sum, weight) => sum + weight * weight, 0));
    if (length > 0) for (const [feature, weight] of vector) vector.set(feature, weight / length);
    return vector;
  }
}

/** Stems are told apart from letter n-grams by a space, which no n-gram has. */
function stemFeature(stem: string): string {
  return ` ${stem}`;
}

function letterGrams(text: string): string[] {
  return tokenize(normalize(text)).flatMap(grams);
}
