import { useRef, useState } from 'react';
import { useApi } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { ConfirmDialog, StatusMessage } from '../../components/feedback.js';
import { usePageTitle } from '../../components/shell.js';
import { useI18n } from '../../i18n/i18n.js';
import { InvitationsList } from './invitations.js';
import { InviteForm } from './invite-form.js';
import { MembersTable } from './members.js';
import type { Confirmation, Invitation, Said, TeamMember } from './types.js';

/** Members (role, deactivate), invitations (invite, link once, revoke). The team API is ADMIN-only. */
export function TeamPage() {
  const { t } = useI18n();
  usePageTitle(t('nav.team'));
  const { user } = useSession();
  const isAdmin = user?.role === 'ADMIN';
  const members = useApi<TeamMember[]>(isAdmin ? '/api/v1/users' : null);
  const invitations = useApi<Invitation[]>(isAdmin ? '/api/v1/invitations' : null);
  const [confirm, setConfirm] = useState<Confirmation>();
  const [status, setStatus] = useState<Said>();
  const returnFocus = useRef<HTMLElement | null>(null);

  if (!isAdmin) {
    return (
      <section className="settings">
        <h1>{t('nav.team')}</h1>
        <p className="notice">{t('team.adminOnly')}</p>
      </section>
    );
  }

  const ask = (confirmation: Confirmation) => {
    returnFocus.current = document.activeElement as HTMLElement | null;
    setConfirm(confirmation);
  };
  const close = () => {
    setConfirm(undefined);
    returnFocus.current?.focus();
  };

  return (
    <section className="settings">
      <h1>{t('nav.team')}</h1>
      {status && <StatusMessage>{t(...status)}</StatusMessage>}
      <MembersTable members={members} me={user!.id} ask={ask} onChanged={setStatus} />
      <InviteForm
        onInvited={(invitation) => {
          setStatus(['team.invited', { email: invitation.email }]);
          void invitations.reload();
        }}
      />
      <InvitationsList invitations={invitations} ask={ask} onChanged={setStatus} />
      <ConfirmDialog
        open={confirm !== undefined}
        title={confirm?.title ?? ''}
        body={confirm?.body ?? ''}
        confirmLabel={confirm?.label ?? ''}
        danger
        onConfirm={() => {
          const run = confirm?.run;
          close();
          void run?.();
        }}
        onCancel={close}
      />
    </section>
  );
}
