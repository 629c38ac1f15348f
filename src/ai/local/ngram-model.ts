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

function dot(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [feature, weight] of small) sum += weight * (large.get(feature) ?? 0);
  return sum;
}

export class NgramModel {
  private constructor(
    private readonly stems: (text: string) => string[],
    /** Inverse document frequency of every feature seen in training. */
    private readonly idf: ReadonlyMap<string, number>,
    /** The weight of a feature no training utterance has: the rarest there is. */
    private readonly unseenIdf: number,
    private readonly examples: readonly { readonly intent: string; readonly stems: Vector; readonly grams: Vector }[],
  ) {}

  /** `stems`: the language's stemmer, as the network uses it. */
  static train(examples: readonly LabelledText[], stems: (text: string) => string[]): NgramModel {
    const features = examples.map(({ text }) => ({ stems: counts(stems(text)), grams: counts(letterGrams(text)) }));
    const documents = new Map<string, number>();
    for (const { stems: s, grams: g } of features) {
      for (const feature of [...s.keys(), ...g.keys()]) documents.set(feature, (documents.get(feature) ?? 0) + 1);
    }
    const idf = new Map<string, number>();
    for (const [feature, count] of documents) idf.set(feature, Math.log((1 + examples.length) / (1 + count)) + 1);
    const unseen = Math.log(1 + examples.length) + 1;
    const model = new NgramModel(stems, idf, unseen, []);
    const vectors = features.map((entry, index) => ({
      intent: (examples[index] as LabelledText).intent,
      stems: model.weigh(entry.stems),
      grams: model.weigh(entry.grams),
    }));
    return new NgramModel(stems, idf, unseen, vectors);
  }

  /** Every intent, scored by how close the text is to its nearest training utterances (0–1). */
  neighbourhood(text: string): Neighbourhood {
    const stems = this.weigh(counts(this.stems(text)));
    const letters = this.weigh(counts(letterGrams(text)));
    const byIntent = new Map<string, number[]>();
    for (const example of this.examples) {
      const similarity = STEM_WEIGHT * dot(stems, example.stems) + (1 - STEM_WEIGHT) * dot(letters, example.grams);
      const list = byIntent.get(example.intent) ?? [];
      list.push(similarity);
      byIntent.set(example.intent, list);
    }
    const scores = [...byIntent].map(([intent, similarities]) => {
      const nearest = similarities.sort((a, b) => b - a).slice(0, NEIGHBOURS);
      return { intent, score: nearest.reduce((sum, value) => sum + value, 0) / nearest.length };
    });
    return { scores: scores.sort((a, b) => b.score - a.score) };
  }

  /**
   * Sublinear term frequency times IDF, to unit length. Features never trained on weigh the most, as
   * in a document of their own: a text of unknown words stays far from every utterance.
   */
  private weigh(raw: ReadonlyMap<string, number>): Vector {
    const vector = new Map<string, number>();
    for (const [feature, count] of raw)
      vector.set(feature, (1 + Math.log(count)) * (this.idf.get(feature) ?? this.unseenIdf));
    const length = Math.sqrt([...vector.values()].reduce((sum, weight) => sum + weight * weight, 0));
    if (length > 0) for (const [feature, weight] of vector) vector.set(feature, weight / length);
    return vector;
  }
}

function letterGrams(text: string): string[] {
  return tokenize(normalize(text)).flatMap(grams);
}
