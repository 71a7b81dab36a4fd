import type { WidgetApiError } from './api.js';
import type { Strings } from './i18n.js';

/** What the visitor reads when something fails: a line in their language, and the server's reason where it helps. */
export function describeProblem(problem: WidgetApiError, t: Strings): { text: string; detail?: string } {
  if (problem.kind === 'network') return { text: t.unreachable };
  if (problem.kind === 'stream') return { text: t.interrupted };
  if (problem.status === 401) return { text: t.invalidKey };
  if (problem.status === 403) return { text: t.notAllowed, detail: problem.detail };
  // The server words rate-limit refusals for the visitor, in the Accept-Language we sent.
  if (problem.status === 429) return { text: problem.detail ?? t.busy };
  if (problem.status === 422) return { text: t.failed, detail: problem.detail };
  return { text: t.failed };
}
