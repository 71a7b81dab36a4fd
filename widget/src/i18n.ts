// Pure (no DOM): the server's unit tests import this file too.

export type Language = 'ja' | 'en';

/**
 * The widget's language: the tenant's choice, or with `auto` the page's `<html lang>`, then the
 * browser's languages. Japanese for any `ja…`, else English.
 */
export function pickLanguage(setting: 'auto' | Language, pageLang: string, browserLanguages: readonly string[]): Language {
  if (setting !== 'auto') return setting;
  const first = pageLang.trim() || browserLanguages[0] || '';
  return /^ja\b/i.test(first) ? 'ja' : 'en';
}

export interface Strings {
  defaultTitle: string;
  greeting: string;
  placeholder: string;
  launcher: string;
  close: string;
  newConversation: string;
  send: string;
  messageLabel: string;
  you: string;
  assistant: string;
  writing: string;
  sources: string;
  page(n: number): string;
  sheet(name: string): string;
  slide(n: number): string;
  /** After the place of a passage read from a scanned page. */
  ocr: string;
  /** Label of a source's link to its file, which opens in a new tab. */
  openFile(fileName: string): string;
  source(n: number, fileName: string): string;
  unreachable: string;
  notAllowed: string;
  invalidKey: string;
  failed: string;
  interrupted: string;
  busy: string;
  /** The offer to reach a person under an answer. */
  handoffGroup: string;
  handoffLead: string;
  handoffContact: string;
  handoffOpened: string;
  handoffFailed: string;
  /** 👍/👎 under an answer, and the comment after a 👎. */
  feedbackGroup: string;
  rateUp: string;
  rateDown: string;
  feedbackMissing: string;
  feedbackThanks: string;
  feedbackFailed: string;
}

export const strings: Record<Language, Strings> = {
  ja: {
    defaultTitle: 'チャット',
    greeting: 'こんにちは。ご質問をどうぞ。掲載している資料をもとにお答えします。',
    placeholder: '質問を入力してください',
    launcher: 'チャットで質問する',
    close: 'チャットを閉じる',
    newConversation: '新しい会話',
    send: '送信',
    messageLabel: 'メッセージ',
    you: 'あなた：',
    assistant: '回答：',
    writing: '回答を作成しています…',
    sources: '出典',
    page: (n) => `${n}ページ`,
    sheet: (name) => `シート「${name}」`,
    slide: (n) => `スライド${n}`,
    ocr: 'OCRで読み取り',
    openFile: (fileName) => `${fileName}（新しいタブで開きます）`,
    source: (n, fileName) => `出典${n}：${fileName}`,
    unreachable: 'チャットサービスに接続できません。しばらくしてからもう一度お試しください。',
    notAllowed: 'このサイトではチャットをご利用いただけません。',
    invalidKey: 'チャットの設定に問題があるため、ご利用いただけません。',
    failed: '回答を作成できませんでした。もう一度お試しください。',
    interrupted: '回答の途中でエラーが発生しました。もう一度お試しください。',
    busy: 'ただいま混み合っています。しばらくしてからもう一度お試しください。',
    handoffGroup: '担当者へのお問い合わせ',
    handoffLead: '担当者に問い合わせることもできます。',
    handoffContact: 'ご連絡先（任意・メールや電話番号）',
    handoffOpened: '担当者への連絡先を開きました。開かない場合はこちら：',
    handoffFailed: '担当者におつなぎできませんでした。もう一度お試しください。',
    feedbackGroup: 'この回答の評価',
    rateUp: '役に立った',
    rateDown: '役に立たなかった',
    feedbackMissing: '何が足りませんでしたか？',
    feedbackThanks: 'ご評価ありがとうございます。',
    feedbackFailed: '評価を送れませんでした。もう一度お試しください。',
  },
  en: {
    defaultTitle: 'Chat',
    greeting: 'Hello! Ask me a question and I will answer from our documents.',
    placeholder: 'Type your question',
    launcher: 'Chat with us',
    close: 'Close chat',
    newConversation: 'New conversation',
    send: 'Send',
    messageLabel: 'Message',
    you: 'You: ',
    assistant: 'Answer: ',
    writing: 'Writing an answer…',
    sources: 'Sources',
    page: (n) => `p. ${n}`,
    sheet: (name) => `sheet “${name}”`,
    slide: (n) => `slide ${n}`,
    ocr: 'read by OCR',
    openFile: (fileName) => `${fileName} (opens in a new tab)`,
    source: (n, fileName) => `Source ${n}: ${fileName}`,
    unreachable: 'The chat service cannot be reached. Please try again in a moment.',
    notAllowed: 'The chat is not available on this site.',
    invalidKey: 'The chat is not available because of a configuration problem.',
    failed: 'The answer could not be written. Please try again.',
    interrupted: 'Something went wrong while answering. Please try again.',
    busy: 'The chat is busy right now. Please try again in a moment.',
    handoffGroup: 'Reach a person',
    handoffLead: 'You can also ask a person.',
    handoffContact: 'Your email or phone (optional)',
    handoffOpened: 'We opened the way to reach a person. If nothing opened:',
    handoffFailed: 'We could not put you through to a person. Please try again.',
    feedbackGroup: 'Rate this answer',
    rateUp: 'Helpful',
    rateDown: 'Not helpful',
    feedbackMissing: 'What was missing?',
    feedbackThanks: 'Thank you for your feedback.',
    feedbackFailed: 'Your rating could not be sent. Please try again.',
  },
};
