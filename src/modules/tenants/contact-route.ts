import { z } from 'zod';
import { contactRouteKinds, weekdays, type ContactRouteKind } from '../../db/enums.js';
import { timeZoneSchema } from '../../lib/time-zone.js';

const MAX_TARGET_CHARS = 500;

/**
 * The hosts each kind's links live on: a LINE official account (line.me, lin.ee), a Teams chat or
 * meeting link, a Slack workspace or Slack Connect invitation. Anything else is kind `url`.
 */
const knownHosts: Record<Exclude<ContactRouteKind, 'url' | 'email'>, (host: string) => boolean> = {
  line: (host) => ['line.me', 'lin.ee', 'page.line.me', 'liff.line.me'].includes(host),
  teams: (host) => ['teams.microsoft.com', 'teams.live.com', 'teams.cloud.microsoft'].includes(host),
  slack: (host) => host === 'slack.com' || host.endsWith('.slack.com'),
};

const hostsText: Record<keyof typeof knownHosts, string> = {
  line: 'line.me or lin.ee',
  teams: 'teams.microsoft.com or teams.live.com',
  slack: 'slack.com',
};

/** An https URL without credentials; null when the text is not one. */
function httpsUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && !url.username && !url.password && url.hostname ? url : null;
  } catch {
    return null;
  }
}

const email = z.email();

/** Why a target does not suit its kind, in English (src/http/field-messages.ts has the Japanese); null when it does. */
export function targetProblem(kind: ContactRouteKind, target: string): string | null {
  if (kind === 'email') return email.safeParse(target).success ? null : 'must be a valid email address';
  const url = httpsUrl(target);
  if (!url) return 'must be an https:// URL';
  if (kind !== 'url' && !knownHosts[kind](url.hostname.toLowerCase())) return `must be a ${kind} link (${hostsText[kind]})`;
  return null;
}

const clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time from 00:00 to 24:00 (HH:MM)');

const openingSchema = z
  .strictObject({ start: clock.describe('Opens at (HH:MM)'), end: clock.describe('Closes at (HH:MM; 24:00 for midnight)') })
  .refine((h) => h.start < h.end, { path: ['end'], message: 'must be after the start (hours over midnight: end the day at 24:00 and start the next at 00:00)' })
  .nullable();

export const contactRouteSchema = z
  .strictObject({
    kind: z.enum(contactRouteKinds, { error: `must be one of: ${contactRouteKinds.join(', ')}` }).describe('How the visitor reaches a person'),
    target: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(MAX_TARGET_CHARS, `must be at most ${MAX_TARGET_CHARS} characters`)
      .describe('kind `url`: an https:// address (a form, a chat page); `email`: a mail address; `line`, `teams`, `slack`: a link on line.me/lin.ee, teams.microsoft.com/teams.live.com, slack.com')
      .meta({ example: 'support@example.co.jp' }),
    label: z
      .string()
      .trim()
      .min(1, 'must not be empty (null uses the built-in text)')
      .max(40, 'must be at most 40 characters')
      .nullable()
      .default(null)
      .describe('The button’s text; null: the built-in one for the kind, in the visitor’s language (「メールで問い合わせる」, "Email us"…)'),
    hours: z
      .strictObject(Object.fromEntries(weekdays.map((day) => [day, openingSchema.optional()])) as Record<(typeof weekdays)[number], z.ZodOptional<typeof openingSchema>>)
      .nullable()
      .default(null)
      .describe('Business hours per weekday (mon … sun), each `{start, end}` or null (absent) for closed; null as a whole: always open. Outside them the widget says when a person will answer')
      .meta({ example: { mon: { start: '09:00', end: '18:00' }, tue: { start: '09:00', end: '18:00' }, sat: null } }),
    time_zone: timeZoneSchema.describe('The zone the hours are in (IANA; Asia/Tokyo unless the tenant names another)'),
  })
  .superRefine((route, ctx) => {
    const problem = targetProblem(route.kind, route.target);
    if (problem) ctx.addIssue({ code: 'custom', path: ['target'], message: problem });
  });
// No OpenAPI id: it is only ever used nullable (widget.contact_route), and a nullable $ref is not valid OpenAPI 3.0.

export type ContactRouteInput = z.infer<typeof contactRouteSchema>;
