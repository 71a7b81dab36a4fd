import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Loaded } from '../../api/use-api.js';
import { ErrorMessage } from '../../components/feedback.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Confirmation, Invitation, Said } from './types.js';

/** Pending invitations, each revocable (confirmed); others are listed for the record. */
export function InvitationsList({ invitations, ask, onChanged }: { invitations: Loaded<Invitation[]>; ask(c: Confirmation): void; onChanged(status: Said): void }) {
  const { t, language } = useI18n();
  const [error, setError] = useState<unknown>();
  const pending = invitations.data?.filter((i) => i.status === 'pending') ?? [];

  async function revoke(invitation: Invitation) {
    setError(undefined);
    try {
      await api(`/api/v1/invitations/${invitation.id}`, { method: 'DELETE' });
      onChanged(['team.revoked', { email: invitation.email }]);
    } catch (caught) {
      setError(caught);
    }
    await invitations.reload();
  }

  return (
    <div className="card">
      <h2>{t('team.pending')}</h2>
      <ErrorMessage error={invitations.error ?? error} />
      {invitations.data && pending.length === 0 && <p className="muted">{t('team.noPending')}</p>}
      {pending.length > 0 && (
        <ul className="plain-list">
          {pending.map((i) => (
            <li key={i.id}>
              <span>
                {i.email} <span className="badge">{i.role}</span> <span className="muted">{t('team.expires', { date: new Date(i.expires_at).toLocaleString(language) })}</span>
              </span>
              <button
                type="button"
                className="small"
                onClick={() => ask({ title: t('team.revokeTitle'), body: t('team.revokeBody', { email: i.email }), label: t('team.revoke'), run: () => revoke(i) })}
              >
                {t('team.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
