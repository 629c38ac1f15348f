// The operator's knowledge file: its Markdown format, ranking, the threshold under which it stays
// silent, and reading the file again when it changes (or keeping the last good one when it can't).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KnowledgeBase, parseKnowledge } from '../../src/ai/local/knowledge.js';

const EXAMPLE = readFileSync(new URL('../../examples/knowledge.md', import.meta.url), 'utf8');
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'omnicore-knowledge-'));
  file = path.join(dir, 'knowledge.md');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('parseKnowledge', () => {
  it('takes each ## heading as a question and what follows as its answer, skipping the preamble', () => {
    const entries = parseKnowledge(
      '# Title\nintro text\n\n## Where are you? ##\nIn Lyon.\n\nSecond line.\n## Empty one\n\n## Fees\r\nNone at all.\n### not a question\nstill fees',
    );
    expect(entries).toEqual([
      { question: 'Where are you?', answer: 'In Lyon.\n\nSecond line.' },
      { question: 'Fees', answer: 'None at all.\n### not a question\nstill fees' },
    ]);
  });

  it('reads the shipped example', () => {
    expect(parseKnowledge(EXAMPLE).map((entry) => entry.question)).toEqual([
      'What are your opening hours?',
      'How can I reach your support team?',
      'Which languages do you speak?',
      'Where is my data stored and who can see it?',
    ]);
  });
});

describe('KnowledgeBase', () => {
  it('answers questions worded differently from the heading, and stays silent on unrelated ones', () => {
    writeFileSync(file, EXAMPLE);
    const knowledge = new KnowledgeBase(file, () => {}, 0);
    expect(knowledge.answer('when are you open?')?.question).toBe('What are your opening hours?');
    expect(knowledge.answer('how do I reach support')?.question).toBe('How can I reach your support team?');
    expect(knowledge.answer('what languages can you speak?')?.answer).toContain('/settings');
    expect(knowledge.answer('who can see my data')?.confidence).toBe(1);
    expect(knowledge.answer('what can you do?')).toBeUndefined();
    expect(knowledge.answer('how do I pay for my order?')).toBeUndefined();
    expect(knowledge.answer('a working day')).toBeUndefined();
  });

  it('follows the file as it is created, changed and removed', () => {
    const knowledge = new KnowledgeBase(file, () => {}, 0);
    expect(knowledge.answer('opening hours')).toBeUndefined();
    writeFileSync(file, '## Opening hours\nNine to five.\n');
    expect(knowledge.answer('opening hours')?.answer).toBe('Nine to five.');
    writeFileSync(file, '## Opening hours\nAround the clock, every day.\n');
    expect(knowledge.answer('opening hours')?.answer).toBe('Around the clock, every day.');
    rmSync(file);
    expect(knowledge.answer('opening hours')).toBeUndefined();
  });

  it('keeps the last good version, and says so, when the file cannot be read', () => {
    const errors: unknown[] = [];
    const knowledge = new KnowledgeBase(file, (error) => errors.push(error), 0);
    writeFileSync(file, '## Opening hours\nNine to five.\n');
    expect(knowledge.answer('opening hours')?.answer).toBe('Nine to five.');
    rmSync(file);
    mkdirSync(file);
    expect(knowledge.answer('opening hours')?.answer).toBe('Nine to five.');
    expect(errors).toHaveLength(1);
    expect((errors[0] as NodeJS.ErrnoException).code).toBe('EISDIR');
  });
});
