// The operator's knowledge file: Markdown where each `## Question` heading is followed by its
// answer. Ranked with MiniSearch (BM25+); read again whenever the file changes on disk.
import { readFileSync, statSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { en } from './languages/en.js';

export interface KnowledgeEntry {
  readonly question: string;
  readonly answer: string;
}

export interface KnowledgeMatch extends KnowledgeEntry {
  /** Share of the question's meaningful words the entry matched, 0 to 1. */
  readonly confidence: number;
}

/** Minimum share of meaningful words matched for an entry to count as the answer. */
export const KNOWLEDGE_THRESHOLD = 0.6;

export function parseKnowledge(markdown: string): KnowledgeEntry[] {
  const entries: { question: string; lines: string[] }[] = [];
  for (const line of markdown.split(/\r?\n/)) {
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading?.[1]) entries.push({ question: heading[1], lines: [] });
    else entries.at(-1)?.lines.push(line);
  }
  return entries
    .map(({ question, lines }) => ({ question, answer: lines.join('\n').trim() }))
    .filter((entry) => entry.answer !== '');
}

/** How often the file is looked at, at most: a stat on every message would cost the hot path. */
export const KNOWLEDGE_RECHECK_MS = 1000;

export class KnowledgeBase {
  private index: ReturnType<typeof emptyIndex>;
  private entries: KnowledgeEntry[] = [];
  /** Size and modification time of the file last read; "absent" when there was none. */
  private version = '';
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly file: string,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly recheckMs = KNOWLEDGE_RECHECK_MS,
    /** Words that say nothing about the topic of a question, in the file's language. */
    private readonly stopwords: ReadonlySet<string> = en.stopwords,
  ) {
    this.index = emptyIndex(stopwords);
  }

  /** Whether the file exists (as last seen): a missing language file gives way to the default one. */
  get present(): boolean {
    this.refresh();
    return this.version !== 'absent';
  }

  /** The entry that answers `text`, if one matches well enough. */
  answer(text: string): KnowledgeMatch | undefined {
    this.refresh();
    const wanted = new Set(terms(text, this.stopwords));
    if (wanted.size === 0) return undefined;
    let best: KnowledgeMatch | undefined;
    for (const result of this.index.search(text).slice(0, 3)) {
      const entry = this.entries[result.id as number] as KnowledgeEntry;
      const matchedQuestion = Object.values(result.match).some((fields) => fields.includes('question'));
      const confidence = new Set(result.queryTerms).size / wanted.size;
      if (matchedQuestion && confidence >= KNOWLEDGE_THRESHOLD && confidence > (best?.confidence ?? 0)) {
        best = { ...entry, confidence: Math.min(1, confidence) };
      }
    }
    return best;
  }

  private refresh(): void {
    const now = performance.now();
    if (now - this.checkedAt < this.recheckMs) return;
    this.checkedAt = now;
    let version: string;
    try {
      const stat = statSync(this.file, { throwIfNoEntry: false });
      version = stat ? `${stat.size}:${stat.mtimeMs}` : 'absent';
    } catch (error) {
      this.onError(error);
      version = 'absent';
    }
    if (version === this.version) return;
    try {
      const entries = version === 'absent' ? [] : parseKnowledge(readFileSync(this.file, 'utf8'));
      const index = emptyIndex(this.stopwords);
      index.addAll(entries.map((entry, id) => ({ id, ...entry })));
      this.entries = entries;
      this.index = index;
      this.version = version;
    } catch (error) {
      // The last good version stays in force; the next question tries again.
      this.onError(error);
    }
  }
}

function terms(text: string, stopwords: ReadonlySet<string>): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((term) => !stopwords.has(term));
}

function emptyIndex(stopwords: ReadonlySet<string>): MiniSearch<KnowledgeEntry & { id: number }> {
  return new MiniSearch({
    fields: ['question', 'answer'],
    tokenize: (text) => terms(text, stopwords),
    processTerm: (term) => term,
    searchOptions: {
      boost: { question: 3 },
      prefix: (term) => term.length >= 3,
      fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
    },
  });
}
