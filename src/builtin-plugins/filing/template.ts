// Templates of a filing tree, in YAML or JSON (JSON is YAML): read with the line of every problem,
// and applied to a tree by path, so that applying one twice, or over a tree made from another,
// adds what is missing and keeps what is there.
import { type Document, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { OmniError } from '../../plugins/api.js';
import {
  addUnit,
  checkKind,
  checkName,
  checkRetention,
  checkSlug,
  childNamed,
  copyTree,
  LIMITS,
  pathOf,
  ROLES,
  type Role,
  slugify,
  type Tree,
} from './tree.js';

export interface TemplateUnit {
  name: string;
  slug?: string | undefined;
  kind?: string | undefined;
  retention?: { days: number; action: 'unfile' | 'delete' } | undefined;
  members?: Record<string, Role> | undefined;
  children?: TemplateUnit[] | undefined;
}

export interface Template {
  units: TemplateUnit[];
}

const unitSchema: z.ZodType<TemplateUnit> = z.lazy(() =>
  z.strictObject({
    name: z.string(),
    slug: z.string().optional(),
    kind: z.string().optional(),
    retention: z
      .strictObject({ days: z.number().int().min(1).max(36_500), action: z.enum(['unfile', 'delete']) })
      .optional(),
    members: z.record(z.string().regex(/^[1-9]\d{0,15}$/, 'a Telegram user id'), z.enum(ROLES)).optional(),
    children: z.array(unitSchema).optional(),
  }),
);

const templateSchema = z.strictObject({ units: z.array(unitSchema).min(1) });

/** The largest template read: its text, before anything is parsed. */
export const MAX_TEMPLATE_BYTES = 256 * 1024;

type Path = (string | number)[];

/** Where a value of the document is, as `line N` (the nearest enclosing node with a position). */
function lineOf(doc: Document, lines: LineCounter, path: Path): string {
  for (let length = path.length; length >= 0; length--) {
    const node = doc.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return `line ${lines.linePos(node.range[0]).line}`;
  }
  return 'line 1';
}

const fieldOf = (path: Path): string => path.join('.') || '(top)';

/** The path of the first value that contains itself (a YAML alias to one of its own ancestors). */
function cycleIn(value: unknown, path: Path = [], above = new Set<unknown>()): Path | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (above.has(value)) return path;
  above.add(value);
  for (const [key, child] of Object.entries(value)) {
    const found = cycleIn(child, [...path, Array.isArray(value) ? Number(key) : key], above);
    if (found) return found;
  }
  above.delete(value);
  return undefined;
}

/** Reads a template from YAML or JSON text; every refusal names the line and field. */
export function readTemplate(text: string): Template {
  if (Buffer.byteLength(text) > MAX_TEMPLATE_BYTES) {
    throw new OmniError('FILING_TEMPLATE_INVALID', `larger than ${MAX_TEMPLATE_BYTES / 1024} KiB`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const [syntax] = doc.errors;
  if (syntax) {
    const { line } = lines.linePos(syntax.pos[0]);
    throw new OmniError('FILING_TEMPLATE_INVALID', `line ${line}: ${syntax.message.split('\n')[0]}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new OmniError('FILING_TEMPLATE_INVALID', (error as Error).message);
  }
  const cycle = cycleIn(value);
  if (cycle) {
    throw new OmniError(
      'FILING_TEMPLATE_INVALID',
      `${lineOf(doc, lines, cycle)}: ${fieldOf(cycle)}: a unit cannot contain itself`,
    );
  }
  const parsed = templateSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    throw new OmniError('FILING_TEMPLATE_INVALID', `${lineOf(doc, lines, path)}: ${fieldOf(path)}: ${issue.message}`);
  }
  checkUnits(parsed.data.units, ['units'], 1, { doc, lines, count: 0 });
  return parsed.data;
}

/** Names, slugs, kinds and rules as the tree takes them, no slug twice among siblings, within the tree's limits. */
function checkUnits(
  units: readonly TemplateUnit[],
  path: Path,
  depth: number,
  seen: { doc: Document; lines: LineCounter; count: number },
): void {
  const slugs = new Set<string>();
  units.forEach((unit, index) => {
    const at = [...path, index];
    const refuse = (field: string, message: string): never => {
      const where = [...at, field];
      throw new OmniError(
        'FILING_TEMPLATE_INVALID',
        `${lineOf(seen.doc, seen.lines, where)}: ${fieldOf(where)}: ${message}`,
      );
    };
    const checked = (field: string, check: () => unknown) => {
      try {
        check();
      } catch (error) {
        refuse(field, error instanceof OmniError ? error.message : String(error));
      }
    };
    checked('name', () => checkName(unit.name));
    const slug = unit.slug ?? slugFor(unit);
    checked(unit.slug === undefined ? 'name' : 'slug', () => checkSlug(slug));
    if (unit.kind !== undefined) checked('kind', () => checkKind(unit.kind as string));
    if (unit.retention)
      checked('retention', () => checkRetention(unit.retention as TemplateUnit['retention'] & object));
    if (slugs.has(slug)) refuse(unit.slug === undefined ? 'name' : 'slug', `the slug "${slug}" is used twice here`);
    slugs.add(slug);
    if (depth > LIMITS.depth) refuse('name', `the tree is at most ${LIMITS.depth} units deep`);
    seen.count += 1;
    if (seen.count > LIMITS.units) refuse('name', `the tree holds at most ${LIMITS.units} units`);
    if (unit.children) checkUnits(unit.children, [...at, 'children'], depth + 1, seen);
  });
}

const slugFor = (unit: TemplateUnit): string => unit.slug ?? slugify(unit.name.trim());

export interface Applied {
  tree: Tree;
  /** Paths of the units made. */
  created: string[];
}

/**
 * Adds the template's units to the tree by path: a unit whose path exists is kept, its kind,
 * retention and members set where the template gives them; a new one is made.
 */
export function applyTemplate(tree: Tree, template: Template): Applied {
  const created: string[] = [];
  const next = copyTree(tree);
  const visit = (units: readonly TemplateUnit[], parent: number | null): void => {
    for (const unit of units) {
      const slug = slugFor(unit);
      let found = childNamed(next, parent, slug);
      if (found) {
        found = {
          ...found,
          ...(unit.kind !== undefined ? { kind: unit.kind } : {}),
          ...(unit.retention ? { retention: unit.retention } : {}),
          members: { ...found.members, ...unit.members },
        };
        next.units[found.id] = found;
      } else {
        found = addUnit(next, {
          parent,
          name: unit.name,
          slug,
          ...(unit.kind !== undefined ? { kind: unit.kind } : {}),
          ...(unit.retention ? { retention: unit.retention } : {}),
          ...(unit.members ? { members: unit.members } : {}),
        });
        created.push(pathOf(next, found.id));
      }
      visit(unit.children ?? [], found.id);
    }
  };
  visit(template.units, null);
  return { tree: next, created };
}
