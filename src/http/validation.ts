import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { validationFailed, type FieldError } from './errors.js';

/**
 * Plain messages for the cases Zod words technically ("Invalid input: expected string, received
 * undefined"), so each field error reads well in the dashboard and in API responses.
 */
export function installValidationMessages(): void {
  z.config({
    customError: (issue) => {
      if (issue.code === 'invalid_type') return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
      if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
      return undefined;
    },
  });
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

const NUL = '\u0000';

/**
 * PostgreSQL text cannot hold U+0000: a string carrying it would fail in the database as a 500. No
 * field of the API has a use for it, so any request whose body, query or path holds one (in a value
 * or a key) is refused as invalid, naming the field. Runs after schema validation, on what the route
 * will use. Walks iteratively: a body may be nested 10,000 deep. Multipart text fields are read by
 * their route, which checks them with `nulProblem`.
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    for (const [where, data] of [['body', request.body], ['query', request.query], ['params', request.params]] as const) {
      const problem = nulProblem(data, where);
      if (problem) throw validationFailed([problem], request.routeOptions.config.validationStatus);
    }
  });
}

/** The field error for the first string (or key) of `data` holding U+0000, if any; `where` names `data` itself. */
export function nulProblem(data: unknown, where: string): FieldError | undefined {
  const field = pathToNul(data);
  return field === undefined ? undefined : { field: field || where, message: { ja: 'NUL 文字（U+0000）は使えません', en: 'must not contain the NUL character (U+0000)' } };
}

/** The dotted path of the first string (or key) holding U+0000, '' for the value itself; undefined if none. */
function pathToNul(root: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[root, '']];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return path;
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key.includes(NUL)) return childPath;
        stack.push([child, childPath]);
      }
    }
  }
  return undefined;
}
