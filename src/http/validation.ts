import { z } from 'zod';

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
