// The offer to reach a person under an answer: the hours notice, an optional contact field and the
// button; taking it marks the conversation on the server and opens the route it returns.
import type { HandoffOffer } from '../../src/modules/handoff/handoff.schemas.js';
import { WidgetApiError, type Handoff } from './api.js';
import type { Strings } from './i18n.js';
import { h } from './render.js';

/** Only a web page or a mail draft is ever opened: the server checked the route, this checks again. */
function routeLink(href: string, label: string): HTMLAnchorElement | null {
  if (/^https:\/\//i.test(href)) return h('a', { class: 'route', href, target: '_blank', rel: 'noopener noreferrer' }, label);
  if (/^mailto:/i.test(href)) return h('a', { class: 'route', href }, label);
  return null;
}

export function renderHandoffOffer(offer: HandoffOffer, t: Strings, take: (details: { contact?: string }) => Promise<Handoff>): HTMLElement {
  const contact = h('input', { type: 'text', class: 'handoff-contact', maxlength: '200', placeholder: t.handoffContact, 'aria-label': t.handoffContact });
  const button = h('button', { type: 'button', class: 'handoff-take' }, offer.label);
  const status = h('p', { class: 'handoff-status', role: 'status' });
  const card = h(
    'div',
    { class: 'handoff', role: 'group', 'aria-label': t.handoffGroup },
    // Under a not-found answer the button needs a word; an answer to "talk to a human" already leads to it.
    ...(offer.reason === 'not_found' ? [h('p', { class: 'lead' }, t.handoffLead)] : []),
    ...(offer.notice ? [h('p', { class: 'hours' }, offer.notice)] : []),
    contact,
    button,
    status,
  );

  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = '';
    try {
      const taken = await take({ contact: contact.value.trim() || undefined });
      const link = routeLink(taken.route.href, taken.route.label);
      if (!link) throw new WidgetApiError('http');
      status.replaceChildren(t.handoffOpened, ' ', link);
      contact.disabled = true;
      // Within the click's user activation, so the browser lets the new tab (or the mail app) open.
      link.click();
    } catch (error) {
      status.textContent = (error instanceof WidgetApiError && error.detail) || t.handoffFailed;
      button.disabled = false;
    }
  });
  return card;
}
