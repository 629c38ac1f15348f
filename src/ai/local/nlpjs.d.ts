// The part of nlp.js (shipped without types) that the intent classifier uses. The packages are the
// ones @nlpjs/basic installs; importing them directly skips @nlpjs/basic's console logger, which
// prints a deprecation warning on stderr as soon as it is loaded.
declare module '@nlpjs/nlp' {
  export interface NlpClassification {
    intent: string;
    score: number;
  }
  export interface NlpResult {
    intent: string;
    score: number;
    classifications?: NlpClassification[];
  }
  export interface NlpStemmer {
    /** Lower-cased, normalised, stemmed words; stop words kept when `keepStopwords`. */
    tokenizeAndStem(text: string, keepStopwords: boolean): string[];
  }
  export class Nlp {
    constructor(settings: Record<string, unknown>);
    readonly container: { get(name: `stemmer-${string}`): NlpStemmer };
    use(plugin: unknown): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(locale: string, utterance: string): Promise<NlpResult>;
    /** The trained model as plain data, and back (what `export` and `import` wrap in JSON text). */
    toJSON(): Record<string, unknown>;
    fromJSON(json: Record<string, unknown>): void;
  }
}

declare module '@nlpjs/lang-en-min' {
  export const LangEn: unknown;
}

declare module '@nlpjs/lang-de' {
  export const LangDe: unknown;
}
declare module '@nlpjs/lang-es' {
  export const LangEs: unknown;
}
