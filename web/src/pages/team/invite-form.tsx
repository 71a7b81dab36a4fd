import { useEffect, useRef, useState, type FormEvent } from 'react';
import { roles, type Role } from '../../../../src/db/enums.js';
import { createInvitationBodySchema } from '../../../../src/modules/team/team.schemas.js';
import { api } from '../../api/client.js';
import { CopyButton } from '../../components/copy-button.js';
import { ErrorMessage } from '../../components/feedback.js';
import { SelectField, withoutFieldList } from '../../components/fields.js';
import { Field, useSubmit } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import type { CreatedInvitation } from './types.js';

/** Invite by email and role; the link is shown once, to copy and send (no email is sent by the server). */
export function InviteForm({ onInvited }: { onInvited(invitation: CreatedInvitation): void }) {
  const { t, language } = useI18n();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('OPERATOR');
  const [created, setCreated] = useState<CreatedInvitation>();
  const linkHeading = useRef<HTMLHeadingElement>(null);
  // The link is shown once: focus goes to it, so it is read out and the copy button is next.
  useEffect(() => {
    if (created) linkHeading.current?.focus();
  }, [created]);
  const { errors, error, submit: send } = useSubmit(createInvitationBodySchema, async (body) => {
    const invitation = await api<CreatedInvitation>('/api/v1/invitations', { method: 'POST', body });
    setCreated(invitation);
    setEmail('');
    onInvited(invitation);
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    await send({ email, role });
  }

  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{t('team.invite')}</h2>
      <div className="inline-add">
        <Field label={t('team.email')} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required error={errors.email} />
        <SelectField label={t('team.role')} value={role} onChange={(e) => setRole(e.target.value as Role)} options={roles.map((r) => ({ value: r, label: r }))} error={errors.role} />
        <button type="submit" className="primary">
          {t('team.sendInvite')}
        </button>
      </div>
      <ErrorMessage error={withoutFieldList(error)} />
      {created && (
        <div className="one-time">
          <h3 ref={linkHeading} tabIndex={-1}>
            {t('team.linkTitle', { email: created.email })}
          </h3>
          <p className="muted">{t('team.linkHelp', { date: new Date(created.expires_at).toLocaleString(language) })}</p>
          <code id="invite-link" className="code" data-testid="invite-link">
            {created.invite_url}
          </code>
          <CopyButton text={created.invite_url} fallbackTarget="invite-link" />
        </div>
      )}
    </form>
  );
}
