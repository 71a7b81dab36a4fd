// 👍/👎 under a finished answer, and after 👎 an optional short comment. The rating is recorded at
// once (most visitors never write a comment); the comment, when sent, is added to that same 👎.
import { WidgetApiError } from './api.js';
import type { Strings } from './i18n.js';
import { h, icon } from './render.js';
import type { Rating, StoredMessage } from './store.js';

/** The server keeps up to 2000 characters; the widget asks for a short note. */
const MAX_COMMENT_CHARS = 500;

export function renderRating(message: StoredMessage, t: Strings, send: (rating: Rating | null, comment?: string) => Promise<void>, saved: () => void): HTMLElement {
  // Icons, not emoji: not every visitor's system has an emoji font.
  const up = h('button', { type: 'button', class: 'rate', 'aria-label': t.rateUp, title: t.rateUp }, icon('thumb'));
  const down = h('button', { type: 'button', class: 'rate down', 'aria-label': t.rateDown, title: t.rateDown }, icon('thumb'));
  const comment = h('input', { type: 'text', class: 'rate-comment', maxlength: String(MAX_COMMENT_CHARS), placeholder: t.feedbackMissing, 'aria-label': t.feedbackMissing });
  const submit = h('button', { type: 'submit', class: 'rate-send' }, t.send);
  const form = h('form', { class: 'rate-form' }, comment, submit);
  const status = h('p', { class: 'rate-status', role: 'status' });
  const row = h('div', { class: 'rate-row' }, up, down);
  const card = h('div', { class: 'rating', role: 'group', 'aria-label': t.feedbackGroup }, row, form, status);

  function show(): void {
    up.setAttribute('aria-pressed', String(message.rating === 'up'));
    down.setAttribute('aria-pressed', String(message.rating === 'down'));
    // The comment is offered after a 👎 until one was sent.
    form.hidden = message.rating !== 'down' || message.commented === true;
  }

  async function rate(rating: Rating | null, text?: string): Promise<boolean> {
    for (const control of [up, down, submit]) control.disabled = true;
    status.textContent = '';
    try {
      await send(rating, text);
      return true;
    } catch (error) {
      status.textContent = (error instanceof WidgetApiError && error.status !== 404 && error.detail) || t.feedbackFailed;
      return false;
    } finally {
      for (const control of [up, down, submit]) control.disabled = false;
    }
  }

  for (const [button, rating] of [[up, 'up'], [down, 'down']] as const) {
    button.addEventListener('click', async () => {
      // Pressing the chosen one again takes the rating back.
      const next = message.rating === rating ? null : rating;
      if (!(await rate(next))) return;
      if (next) message.rating = next;
      else delete message.rating;
      delete message.commented;
      saved();
      show();
      if (next === 'down') comment.focus();
      else if (next === 'up') status.textContent = t.feedbackThanks;
    });
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = comment.value.trim();
    if (!text || !(await rate('down', text))) return;
    message.commented = true;
    saved();
    show();
    status.textContent = t.feedbackThanks;
  });

  show();
  return card;
}
