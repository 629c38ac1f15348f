// The examples docs/PLUGINS.md shows are copies of files that run: each code block marked
// `<!-- example: <path> -->` must equal that file, so that the docs cannot drift from working code
// (the plugins are loaded, and the tests shown are this suite's own: pro-tips.test.ts and
// stars-tip-jar.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const guide = readFileSync(new URL('docs/PLUGINS.md', ROOT), 'utf8');
const examples = [...guide.matchAll(/<!-- example: (\S+) -->\n```\w*\n([\s\S]*?)```\n/g)].map(
  ([, file, code]) => [file as string, code as string] as const,
);

describe('the examples in docs/PLUGINS.md', () => {
  it('show the pro-tips and tip-jar plugins and their tests', () => {
    expect(examples.map(([file]) => file)).toEqual([
      'examples/plugins/pro-tips/index.mjs',
      'test/testing/pro-tips.test.ts',
      'examples/plugins/tip-jar/index.mjs',
      'test/testing/stars-tip-jar.test.ts',
    ]);
  });

  it.each(examples)('%s is shown exactly as it is', (file, code) => {
    expect(code).toBe(readFileSync(new URL(file, ROOT), 'utf8'));
  });
});
