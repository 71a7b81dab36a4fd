import { useState, type FormEvent } from 'react';
import { contactRouteKinds, weekdays, type ContactRouteKind, type Weekday } from '../../../../src/db/enums.js';
import { DEFAULT_TIME_ZONE } from '../../../../src/lib/time-zone.js';
import { updateTenantBodySchema } from '../../../../src/modules/tenants/tenants.schemas.js';
import { api } from '../../api/client.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { CheckboxField, SelectField, withoutFieldList } from '../../components/fields.js';
import { Field, useSubmit } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import { localizeValidation } from '../../i18n/validation.js';
import type { Tenant } from './types.js';

type Day = { open: boolean; start: string; end: string };

const WORKDAY: Day = { open: true, start: '09:00', end: '18:00' };
const CLOSED: Day = { open: false, start: '09:00', end: '18:00' };

/**
 * How visitors reach a person when the bot cannot help: the route (a URL, a mail address, a
 * LINE/Teams/Slack link), the button's text, and the business hours with their time zone. Saved
 * as a whole (`widget.contact_route`); unticking "offer" removes it.
 */
export function ContactRouteForm({ tenant, readOnly, onSaved }: { tenant: Tenant; readOnly: boolean; onSaved(next: Tenant): void }) {
  const { t, language } = useI18n();
  const route = tenant.settings.widget.contact_route;
  const [enabled, setEnabled] = useState(route !== null);
  const [kind, setKind] = useState<ContactRouteKind>(route?.kind ?? 'email');
  const [target, setTarget] = useState(route?.target ?? '');
  const [label, setLabel] = useState(route?.label ?? '');
  const [timeZone, setTimeZone] = useState(route?.time_zone ?? DEFAULT_TIME_ZONE);
  const [withHours, setWithHours] = useState(Boolean(route?.hours));
  const [days, setDays] = useState<Record<Weekday, Day>>(() =>
    Object.fromEntries(
      weekdays.map((d) => {
        const hours = route?.hours?.[d];
        return [d, route?.hours ? (hours ? { open: true, ...hours } : CLOSED) : ['sat', 'sun'].includes(d) ? CLOSED : WORKDAY];
      }),
    ) as Record<Weekday, Day>,
  );
  const [saved, setSaved] = useState(false);
  const { errors, error, busy, submit: send } = useSubmit(updateTenantBodySchema, async (body) => onSaved(await api<Tenant>(`/api/v1/tenants/${tenant.id}`, { method: 'PATCH', body })));
  const setDay = (day: Weekday, change: Partial<Day>) => setDays((all) => ({ ...all, [day]: { ...all[day], ...change } }));
  const fieldError = (field: string) => errors[`widget.contact_route.${field}`];

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const hours = withHours ? Object.fromEntries(weekdays.map((d) => [d, days[d].open ? { start: days[d].start, end: days[d].end } : null])) : null;
    const contactRoute = enabled ? { kind, target, label: label.trim() || null, hours, time_zone: timeZone.trim() } : null;
    setSaved(await send({ widget: { contact_route: contactRoute } }));
  }

  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{t('widget.handoff')}</h2>
      <p className="muted">{t('widget.handoffIntro')}</p>
      <fieldset disabled={readOnly}>
        <CheckboxField label={t('widget.handoffEnabled')} checked={enabled} onChange={setEnabled} />
        {enabled && (
          <>
            <SelectField
              label={t('widget.routeKind')}
              value={kind}
              onChange={(e) => setKind(e.target.value as ContactRouteKind)}
              options={contactRouteKinds.map((k) => ({ value: k, label: t(`widget.routeKind.${k}`) }))}
            />
            <Field label={t('widget.routeTarget')} value={target} onChange={(e) => setTarget(e.target.value)} help={t(`widget.routeTargetHelp.${kind}`)} error={fieldError('target')} maxLength={500} />
            <Field label={t('widget.routeLabel')} value={label} onChange={(e) => setLabel(e.target.value)} help={t('widget.routeLabelHelp')} error={fieldError('label')} maxLength={40} />
            <CheckboxField label={t('widget.hoursEnabled')} help={t('widget.hoursHelp')} checked={withHours} onChange={setWithHours} />
            {withHours && (
              <>
                <table className="hours-table">
                  <caption className="visually-hidden">{t('widget.hours')}</caption>
                  <tbody>
                    {weekdays.map((day) => {
                      const problem = fieldError(`hours.${day}.start`) ?? fieldError(`hours.${day}.end`);
                      return (
                        <tr key={day}>
                          <th scope="row">
                            <label>
                              <input type="checkbox" checked={days[day].open} onChange={(e) => setDay(day, { open: e.target.checked })} /> {t(`widget.day.${day}`)}
                            </label>
                          </th>
                          <td>
                            {days[day].open ? (
                              <>
                                <input type="time" aria-label={t('widget.opensAt', { day: t(`widget.day.${day}`) })} value={days[day].start} onChange={(e) => setDay(day, { start: e.target.value })} aria-invalid={problem ? true : undefined} />
                                {' – '}
                                <input type="time" aria-label={t('widget.closesAt', { day: t(`widget.day.${day}`) })} value={days[day].end} onChange={(e) => setDay(day, { end: e.target.value })} aria-invalid={problem ? true : undefined} />
                                {problem && <small className="field-error">{localizeValidation(problem, language)}</small>}
                              </>
                            ) : (
                              <span className="muted">{t('widget.closed')}</span>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
                <Field label={t('widget.timeZone')} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} help={t('widget.timeZoneHelp')} error={fieldError('time_zone')} list="shiori-time-zones" />
                <datalist id="shiori-time-zones">
                  {Intl.supportedValuesOf('timeZone').map((zone) => (
                    <option key={zone} value={zone} />
                  ))}
                </datalist>
              </>
            )}
          </>
        )}
        <ErrorMessage error={withoutFieldList(error)} />
        {saved && <StatusMessage>{t('widget.handoffSaved')}</StatusMessage>}
        {!readOnly && (
          <button type="submit" className="primary" disabled={busy}>
            {t('widget.saveHandoff')}
          </button>
        )}
      </fieldset>
    </form>
  );
}
