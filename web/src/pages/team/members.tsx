import { useState } from 'react';
import { roles, type Role } from '../../../../src/db/enums.js';
import { api, ApiError } from '../../api/client.js';
import type { Loaded } from '../../api/use-api.js';
import { DataTable } from '../../components/data-table.js';
import { ErrorMessage } from '../../components/feedback.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Confirmation, Said, TeamMember } from './types.js';

/**
 * The members: role select, deactivate (confirmed) / reactivate, and a confirmed 2FA reset for a member
 * locked out of theirs. The last active ADMIN's refusal (409) is explained.
 */
export function MembersTable({ members, me, ask, onChanged }: { members: Loaded<TeamMember[]>; me: string; ask(c: Confirmation): void; onChanged(status: Said): void }) {
  const { t, language } = useI18n();
  const [error, setError] = useState<unknown>();
  const [lastAdmin, setLastAdmin] = useState(false);

  const update = (member: TeamMember, body: { role?: Role; is_active?: boolean }, done: Said) =>
    send(() => api(`/api/v1/users/${member.id}`, { method: 'PATCH', body }), done);
  const resetTwoFactor = (member: TeamMember) =>
    send(() => api(`/api/v1/users/${member.id}/2fa/reset`, { method: 'POST' }), ['team.twoFactorReset', { name: member.username }]);

  async function send(call: () => Promise<unknown>, done: Said) {
    setError(undefined);
    setLastAdmin(false);
    try {
      await call();
      onChanged(done);
    } catch (caught) {
      setLastAdmin(caught instanceof ApiError && caught.body.error_code === 'CONFLICT' && /ADMIN/.test(caught.body.detail));
      setError(caught);
    }
    await members.reload();
  }

  return (
    <div className="card">
      <h2>{t('team.members')}</h2>
      {lastAdmin && (
        <p className="notice warn" role="alert">
          {t('team.lastAdmin')}
        </p>
      )}
      <ErrorMessage error={members.error ?? (lastAdmin ? undefined : error)} onRetry={members.error ? () => void members.reload() : undefined} />
      {members.data && (
        <DataTable
          rows={members.data}
          rowKey={(m) => m.id}
          rowProps={(m) => ({ className: m.is_active ? undefined : 'inactive' })}
          columns={[
            {
              label: t('team.user'),
              cell: (m) => (
                <>
                  <strong>{m.username}</strong>
                  {m.id === me && <span className="badge">{t('team.you')}</span>}
                  <br />
                  <span className="muted">{m.email}</span>
                </>
              ),
            },
            {
              label: t('team.role'),
              cell: (m) => (
                <select
                  aria-label={t('team.roleOf', { name: m.username })}
                  value={m.role}
                  disabled={!m.is_active}
                  onChange={(e) => void update(m, { role: e.target.value as Role }, ['team.roleChanged', { name: m.username, role: e.target.value }])}
                >
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              ),
            },
            {
              label: t('team.state'),
              cell: (m) => (
                <>
                  {m.is_active ? t('team.active') : t('team.inactive')}
                  {m.two_factor_enabled && <span className="badge">2FA</span>}
                </>
              ),
            },
            { label: t('team.lastLogin'), cell: (m) => (m.last_login_at ? new Date(m.last_login_at).toLocaleString(language) : '—') },
            { label: t('settings.actions'), actions: true, cell: (m) => <MemberActions member={m} me={me} ask={ask} update={update} resetTwoFactor={resetTwoFactor} /> },
          ]}
        />
      )}
    </div>
  );
}

/** Reset 2FA (a member's, never one's own), deactivate (confirmed) or reactivate. */
function MemberActions({ member: m, me, ask, update, resetTwoFactor }: { member: TeamMember; me: string; ask(c: Confirmation): void; update(member: TeamMember, body: { is_active: boolean }, done: Said): Promise<void>; resetTwoFactor(member: TeamMember): Promise<void> }) {
  const { t } = useI18n();
  return (
    <div className="row-actions">
      {m.two_factor_enabled && m.id !== me && (
        <button
          type="button"
          className="small"
          aria-label={`${t('team.resetTwoFactor')}: ${m.username}`}
          onClick={() =>
            ask({
              title: t('team.resetTwoFactorTitle'),
              body: t('team.resetTwoFactorBody', { name: m.username }),
              label: t('team.resetTwoFactor'),
              run: () => resetTwoFactor(m),
            })
          }
        >
          {t('team.resetTwoFactor')}
        </button>
      )}
      {m.is_active ? (
        <button
          type="button"
          className="small"
          onClick={() =>
            ask({
              title: t('team.deactivateTitle'),
              body: t('team.deactivateBody', { name: m.username }),
              label: t('team.deactivate'),
              run: () => update(m, { is_active: false }, ['team.deactivated', { name: m.username }]),
            })
          }
        >
          {t('team.deactivate')}
        </button>
      ) : (
        <button type="button" className="small" onClick={() => void update(m, { is_active: true }, ['team.reactivated', { name: m.username }])}>
          {t('team.reactivate')}
        </button>
      )}
    </div>
  );
}
