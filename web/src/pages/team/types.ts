import type { z } from 'zod';
export type { Said } from '../../i18n/said.js';
import type { createdInvitationSchema, invitationSchema, teamMemberSchema } from '../../../../src/modules/team/team.schemas.js';

export type TeamMember = z.infer<typeof teamMemberSchema>;
export type Invitation = z.infer<typeof invitationSchema>;
export type CreatedInvitation = z.infer<typeof createdInvitationSchema>;

/** What the page's one confirmation dialog asks before running `run`. */
export interface Confirmation {
  title: string;
  body: string;
  label: string;
  run(): Promise<void>;
}
