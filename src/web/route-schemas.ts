// Route schemas are zod schemas. Fastify checks a route's params, querystring and body against them
// before the handler runs, and the type provider gives the handler their parsed types; a value that
// fails is answered 400 OMNI_INVALID_INPUT naming each field and what is wrong with it.
import type { FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import type { z } from 'zod';
import { OmniError } from '../errors.js';

export interface ZodTypeProvider extends FastifyTypeProvider {
  readonly validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
}

/** OMNI_INVALID_INPUT with one "where: what" per problem, e.g. "body.values: expected record". */
export function invalidInput(error: z.ZodError, part?: string): OmniError {
  const problems = error.issues.map((issue) => {
    const where = [...(part ? [part] : []), ...issue.path.map(String)].join('.');
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  return new OmniError('OMNI_INVALID_INPUT', problems.join('; '));
}

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data);
    return result.success ? { value: result.data } : { error: invalidInput(result.error, httpPart) };
  };
