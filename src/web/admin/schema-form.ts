// Forms generated from zod schemas: a plugin's config schema or the settings catalogue becomes a
// list of typed fields for the page, and a submitted value is checked against the same schema with
// each problem reported at its field.
import { z } from 'zod';

/** 'text' is a string long enough to deserve several lines (a prompt, a template). */
export type FieldType = 'boolean' | 'integer' | 'number' | 'enum' | 'string' | 'text' | 'json';

const MULTILINE_FROM = 500;

export interface FormField {
  key: string;
  type: FieldType;
  description: string | undefined;
  options: string[];
  value: unknown;
  min: number | undefined;
  max: number | undefined;
}

interface JsonSchemaNode {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  properties?: Record<string, JsonSchemaNode>;
}

function fieldType(node: JsonSchemaNode): FieldType {
  if (node.enum?.every((option) => typeof option === 'string')) return 'enum';
  const type = Array.isArray(node.type) ? node.type.find((t) => t !== 'null') : node.type;
  if (type === 'string' && (node.maxLength ?? 0) >= MULTILINE_FROM) return 'text';
  if (type === 'boolean' || type === 'integer' || type === 'number' || type === 'string') return type;
  return 'json';
}

/** One field per top-level property; anything nested is edited as JSON. */
export function formFields(schema: z.ZodType, value: Record<string, unknown>): FormField[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  return Object.entries(json.properties ?? {}).map(([key, node]) => ({
    key,
    type: fieldType(node),
    description: node.description,
    options: (node.enum ?? []).map(String),
    value: value[key],
    min: node.minimum,
    max: node.maximum,
  }));
}

export type FieldErrors = Record<string, string>;

/** The parsed value, or the problems keyed by field ("" for the form as a whole). */
export function checkForm<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; value: z.output<S> } | { ok: false; fields: FieldErrors } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fields: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : '';
    fields[key] ??= issue.message;
  }
  return { ok: false, fields };
}
