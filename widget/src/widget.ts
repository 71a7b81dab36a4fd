import { createApi, WidgetApiError, type Answer, type WidgetConfig } from './api.js';
import { pickLanguage, strings, type Language } from './i18n.js';
import { renderRating } from './feedback.js';
import { renderHandoffOffer } from './handoff.js';
import { describeProblem } from './notices.js';
import { h, icon, renderAnswer, renderAnswerText } from './render.js';
import { openStore, type StoredMessage } from './store.js';
import { css, textOn } from './styles.js';

const CONFIG_TIMEOUT_MS = 10_000;
/** The server's limit for a question (docs/decisions.md C9). */
const MAX_QUESTION_CHARS = 1000;
const DEFAULT_ACCENT = '#2563eb';

function timeoutSignal(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

/**
 * Mounts the launcher and the chat panel in a shadow root on a `<shiori-chat>` element at the end
 * of <body>, after reading the tenant's settings. Nothing is shown on pages without a body.
 */
export async function mountWidget(options: { key: string; origin: string }): Promise<void> {
  if ([...document.querySelectorAll('shiori-chat')].some((e) => e.getAttribute('data-key') === options.key)) return;
  const host = document.createElement('shiori-chat');
  host.setAttribute('data-key', options.key);
  const shadow = host.attachShadow({ mode: 'open' });
  document.body.append(host);

  const store = openStore(options.key);
  const { state } = store;
  const browserLanguages = navigator.languages?.length ? navigator.languages : [navigator.language];
  let language: Language = pickLanguage('auto', document.documentElement.lang, browserLanguages);
  let t = strings[language];
  const api = createApi({ origin: options.origin, key: options.key, visitorId: state.visitorId, language: () => language });

  let config: WidgetConfig | null = null;
  let blocked: WidgetApiError | null = null;
  async function loadConfig(): Promise<void> {
    try {
      config = await api.config(timeoutSignal(CONFIG_TIMEOUT_MS));
      blocked = null;
    } catch (error) {
      blocked = error instanceof WidgetApiError ? error : new WidgetApiError('network');
      console.warn(`Shiori widget: ${blocked.detail ?? `the chat service at ${options.origin} cannot be reached`}`);
    }
  }
  await loadConfig();

  // Constructed sheets also work under a page CSP without 'unsafe-inline'.
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    shadow.append(h('style', {}, css));
  }

  const launcher = h('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'panel' }, icon('chat', 'when-closed'), icon('down', 'when-open'));
  const title = h('h2', { class: 'title' });
  const restartButton = h('button', { type: 'button', class: 'icon' }, icon('restart'));
  const closeButton = h('button', { type: 'button', class: 'icon' }, icon('close'));
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', tabindex: '0' });
  const inputLabel = h('label', { class: 'sr', for: 'input' });
  const input = h('textarea', { id: 'input', rows: '1', maxlength: String(MAX_QUESTION_CHARS) });
  const sendButton = h('button', { type: 'submit', class: 'send' }, icon('send'));
  const form = h('form', { class: 'composer' }, inputLabel, input, sendButton);
  const panel = h('div', { class: 'panel', id: 'panel', role: 'dialog', hidden: true }, h('div', { class: 'header' }, title, restartButton, closeButton), log, form);
  const root = h('div', { class: 'root' }, launcher, panel);
  shadow.append(root);

  let isOpen = false;
  let busy = false;
  let pausedUntil = 0;
  let inflight: AbortController | null = null;

  /** Texts, colour and side from the tenant's settings, in the visitor's language. */
  function apply(): void {
    language = pickLanguage(config?.language ?? 'auto', document.documentElement.lang, browserLanguages);
    t = strings[language];
    const accent = config && /^#[0-9a-f]{6}$/i.test(config.accent_color) ? config.accent_color : DEFAULT_ACCENT;
    root.style.setProperty('--accent', accent);
    root.style.setProperty('--on-accent', textOn(accent));
    root.classList.toggle('left', config?.position === 'bottom-left');
    root.lang = language;
    const heading = config?.title ?? config?.tenant_name ?? t.defaultTitle;
    title.textContent = heading;
    panel.setAttribute('aria-label', heading);
    launcher.setAttribute('aria-label', t.launcher);
    for (const [button, label] of [[restartButton, t.newConversation], [closeButton, t.close], [sendButton, t.send]] as const) {
      button.setAttribute('aria-label', label);
      button.title = label;
    }
    log.setAttribute('aria-label', heading);
    inputLabel.textContent = t.messageLabel;
    input.placeholder = config?.placeholder ?? t.placeholder;
    input.disabled = blocked !== null;
    updateSendButton();
  }

  const nearBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 60;
  const scrollToEnd = () => void (log.scrollTop = log.scrollHeight);

  function userBubble(text: string): HTMLElement {
    return h('div', { class: 'msg user' }, h('span', { class: 'sr' }, t.you), text);
  }
  function botBubble(): { element: HTMLElement; body: HTMLElement } {
    const body = h('div');
    return { element: h('div', { class: 'msg bot' }, h('span', { class: 'sr' }, t.assistant), body), body };
  }
  function notice(problem: WidgetApiError): HTMLElement {
    const { text, detail } = describeProblem(problem, t);
    return h('div', { class: 'msg notice' }, h('p', {}, text), ...(detail ? [h('p', { class: 'detail' }, detail)] : []));
  }

  /** The whole log from the stored conversation: greeting, messages, and why the chat is unavailable. */
  function renderLog(): void {
    log.replaceChildren();
    if (blocked) {
      log.append(notice(blocked));
      return;
    }
    const greeting = botBubble();
    greeting.body.append(renderAnswerText(config?.greeting ?? t.greeting, () => null));
    log.append(greeting.element);
    for (const message of state.messages) {
      if (message.role === 'user') {
        log.append(userBubble(message.text));
      } else {
        const bubble = botBubble();
        renderAnswer(bubble.body, message.text, message.sources ?? [], config?.show_sources ?? true, t);
        offerHandoff(bubble.body, message);
        offerRating(bubble.body, message);
        log.append(bubble.element);
      }
    }
    scrollToEnd();
  }

  /** Under an answer that carries the offer: the button to reach a person, for the conversation it belongs to. */
  function offerHandoff(body: HTMLElement, message: StoredMessage): void {
    const conversationId = state.conversationId;
    if (!message.handoff || !conversationId) return;
    body.append(renderHandoffOffer(message.handoff, t, (details) => api.handoff(conversationId, details)));
  }

  /** Under a rateable answer: 👍/👎, kept with the stored conversation. */
  function offerRating(body: HTMLElement, message: StoredMessage): void {
    const { conversationId } = state;
    const { messageId } = message;
    if (!messageId || !conversationId) return;
    body.append(renderRating(message, t, (rating, comment) => api.feedback(conversationId, messageId, rating, comment), () => store.save()));
  }

  function updateSendButton(): void {
    sendButton.disabled = busy || blocked !== null || Date.now() < pausedUntil;
  }
  function setBusy(value: boolean): void {
    busy = value;
    // Screen readers announce the finished answer once, not every streamed piece.
    log.setAttribute('aria-busy', String(value));
    updateSendButton();
  }
  /** Honour Retry-After: no sending until then (the notice says why). */
  function pause(seconds: number): void {
    pausedUntil = Date.now() + seconds * 1000;
    updateSendButton();
    setTimeout(updateSendButton, Math.min(seconds, 3600) * 1000 + 50);
  }

  async function ask(query: string): Promise<void> {
    const question: StoredMessage = { role: 'user', text: query };
    state.messages.push(question);
    store.save();
    log.append(userBubble(query));
    const { element, body } = botBubble();
    body.append(h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), h('span', { class: 'sr' }, t.writing));
    log.append(element);
    scrollToEnd();
    const controller = new AbortController();
    inflight = controller;
    setBusy(true);

    let shown = '';
    let frame = 0;
    const onText = (text: string) => {
      shown = text;
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        const stick = nearBottom();
        body.replaceChildren(renderAnswerText(shown, () => null));
        if (stick) scrollToEnd();
      });
    };
    try {
      let answer: Answer;
      try {
        answer = await api.ask(query, state.conversationId, onText, controller.signal);
      } catch (error) {
        // The stored conversation is gone (deleted, or begun in another browser): start a new one.
        if (!(error instanceof WidgetApiError && error.kind === 'http' && error.status === 404 && state.conversationId)) throw error;
        state.conversationId = null;
        answer = await api.ask(query, null, onText, controller.signal);
      }
      cancelAnimationFrame(frame);
      state.conversationId = answer.conversationId || state.conversationId;
      const reply: StoredMessage = {
        role: 'bot',
        text: answer.text,
        sources: answer.sources,
        ...(answer.handoff ? { handoff: answer.handoff } : {}),
        // The reply to "talk to a person" is not an answer from the documents: nothing to rate.
        ...(answer.messageId && answer.model !== 'handoff' ? { messageId: answer.messageId } : {}),
      };
      state.messages.push(reply);
      store.save();
      const stick = nearBottom();
      renderAnswer(body, answer.text, answer.sources, config?.show_sources ?? true, t);
      offerHandoff(body, reply);
      offerRating(body, reply);
      if (stick) scrollToEnd();
    } catch (error) {
      cancelAnimationFrame(frame);
      // "New conversation" while answering: that log is gone already.
      if (controller.signal.aborted) return;
      if (shown) body.replaceChildren(renderAnswerText(shown, () => null));
      else element.remove();
      const problem = error instanceof WidgetApiError ? error : new WidgetApiError('stream');
      log.append(notice(problem));
      scrollToEnd();
      if (problem.status === 429 && problem.retryAfterSeconds) pause(problem.retryAfterSeconds);
    } finally {
      if (inflight === controller) {
        inflight = null;
        setBusy(false);
      }
    }
  }

  function submit(): void {
    const query = input.value.trim();
    if (!query || sendButton.disabled) return;
    input.value = '';
    resizeInput();
    void ask(query);
  }

  function resizeInput(): void {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 120)}px`;
  }

  function open(): void {
    isOpen = true;
    panel.hidden = false;
    root.classList.add('open');
    launcher.setAttribute('aria-expanded', 'true');
    scrollToEnd();
    (input.disabled ? log : input).focus();
    // The service was unreachable when the page loaded: try again now that someone wants to chat.
    if (blocked?.kind === 'network') {
      void loadConfig().then(() => {
        apply();
        renderLog();
        if (!blocked && isOpen) input.focus();
      });
    }
  }

  function close(): void {
    isOpen = false;
    panel.hidden = true;
    root.classList.remove('open');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
  }

  function restart(): void {
    inflight?.abort();
    inflight = null;
    setBusy(false);
    state.conversationId = null;
    state.messages = [];
    store.save();
    renderLog();
    input.focus();
  }

  launcher.addEventListener('click', () => (isOpen ? close() : open()));
  closeButton.addEventListener('click', close);
  restartButton.addEventListener('click', restart);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener('input', resizeInput);
  input.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter breaks the line; Enter that confirms IME conversion (Japanese input) does neither.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isOpen && !event.isComposing) {
      event.stopPropagation();
      close();
    }
  });

  apply();
  renderLog();
  // The visitor id is kept from the first page view on, so rate limits and conversations follow the visitor.
  store.save();
}
