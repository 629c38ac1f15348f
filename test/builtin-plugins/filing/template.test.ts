// Filing templates: the shipped one, the operator's in YAML or JSON, refusals that name the line and
// field (syntax, schema, a cycle through a YAML alias, a slug twice), and merging by path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyTemplate, readTemplate } from '../../../src/builtin-plugins/filing/template.js';
import { emptyTree, pathOf, resolvePath } from '../../../src/builtin-plugins/filing/tree.js';

const shipped = readFileSync(
  new URL('../../../src/builtin-plugins/filing/default-template.yaml', import.meta.url),
  'utf8',
);

const refusal = (text: string): string => {
  try {
    readTemplate(text);
  } catch (error) {
    expect(error).toMatchObject({ code: 'FILING_TEMPLATE_INVALID' });
    return (error as Error).message;
  }
  throw new Error('the template was accepted');
};

describe('filing templates', () => {
  it('ship a company with its departments and their folders', () => {
    const { tree, created } = applyTemplate(emptyTree(), readTemplate(shipped));
    expect(created).toContain('company/engineering/specs');
    expect(created).toContain('company/hr/hiring');
    expect(resolvePath(tree, 'company/finance/invoices')?.retention).toEqual({ days: 3650, action: 'unfile' });
    expect(resolvePath(tree, 'company/sales')?.kind).toBe('department');
    expect(Object.keys(tree.units).length).toBe(created.length);
  });

  it('read JSON as well as YAML', () => {
    const template = readTemplate(
      '{"units": [{"name": "Acme", "members": {"42": "owner"}, "children": [{"name": "Legal"}]}]}',
    );
    const { tree } = applyTemplate(emptyTree(), template);
    expect(resolvePath(tree, 'acme')?.members).toEqual({ 42: 'owner' });
    expect(resolvePath(tree, 'acme/legal')?.kind).toBe('folder');
  });

  it('merge by path: what exists is kept, what is missing is made', () => {
    const first = applyTemplate(
      emptyTree(),
      readTemplate('units:\n  - name: Acme\n    children:\n      - name: Legal\n'),
    );
    const again = applyTemplate(
      first.tree,
      readTemplate(
        'units:\n  - name: Acme\n    kind: company\n    children:\n      - name: Legal\n      - name: Press\n',
      ),
    );
    expect(again.created).toEqual(['acme/press']);
    expect(resolvePath(again.tree, 'acme')).toMatchObject({ id: 1, kind: 'company' });
    expect(pathOf(again.tree, 2)).toBe('acme/legal');
  });

  it('refuse bad YAML with its line', () => {
    expect(refusal('units:\n  - name: A\n    kind: [x\n')).toMatch(/^the filing template is invalid: line \d+: /);
    expect(refusal('units:\n  - name: A\n    name: B\n')).toMatch(/line 3: .*[Mm]ap keys must be unique/);
  });

  it('refuse a field of the wrong shape with its line and path', () => {
    expect(refusal('units:\n  - name: A\n    children:\n      - name: B\n        kind: 3\n')).toBe(
      'the filing template is invalid: line 5: units.0.children.0.kind: Invalid input: expected string, received number',
    );
    expect(refusal('units:\n  - name: A\n    colour: red\n')).toMatch(
      /^the filing template is invalid: line 2: units\.0: Unrecognized key/,
    );
    expect(refusal('units: []\n')).toMatch(/line 1: units: Too small/);
    expect(refusal('units:\n  - name: A\n    members: { "bob": owner }\n')).toMatch(/line 3: units\.0\.members\.bob/);
    expect(refusal('units:\n  - name: A\n    retention: { days: 0, action: unfile }\n')).toMatch(
      /line 3: units\.0\.retention\.days/,
    );
  });

  it('refuse a slug twice among siblings, naming the second', () => {
    expect(refusal('units:\n  - name: Acme\n    children:\n      - name: Legal\n      - name: LEGAL\n')).toBe(
      'the filing template is invalid: line 5: units.0.children.1.name: the slug "legal" is used twice here',
    );
    expect(refusal('units:\n  - name: A\n  - name: B\n    slug: a\n')).toMatch(
      /line 4: units\.1\.slug: the slug "a" is used twice/,
    );
  });

  it('refuse a unit that contains itself through an alias', () => {
    expect(refusal('units:\n  - &loop\n    name: A\n    children:\n      - *loop\n')).toBe(
      'the filing template is invalid: line 5: units.0.children.0: a unit cannot contain itself',
    );
  });

  it('refuse odd names and slugs with their field', () => {
    expect(refusal('units:\n  - name: "🚀"\n')).toMatch(/line 2: units\.0\.name: invalid unit: slug ""/);
    expect(refusal('units:\n  - name: A\n    slug: ../etc\n')).toMatch(
      /line 3: units\.0\.slug: invalid unit: slug "\.\.\/etc"/,
    );
    expect(refusal('units:\n  - name: "a\\u0007b"\n')).toMatch(/units\.0\.name: invalid unit: name/);
  });

  it('refuse an alias bomb and an oversize text without expanding them', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    expect(refusal(`${bomb.join('\n')}\nunits: *l\n`)).toMatch(/[Ee]xcessive alias count/);
    expect(refusal(`units:\n${'  - name: x\n'.repeat(30_000)}`)).toMatch(/larger than 256 KiB/);
  });
});
