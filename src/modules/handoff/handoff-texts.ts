import type { ContactRouteKind, Weekday } from '../../db/enums.js';
import type { Language } from '../../http/language.js';
import type { Availability } from './business-hours.js';

/** The button's built-in text per kind, when the tenant left `label` null. */
export const defaultLabels: Record<ContactRouteKind, Record<Language, string>> = {
  url: { ja: '担当者に問い合わせる', en: 'Contact a person' },
  email: { ja: 'メールで問い合わせる', en: 'Email us' },
  line: { ja: 'LINEで問い合わせる', en: 'Message us on LINE' },
  teams: { ja: 'Teamsで問い合わせる', en: 'Chat with us on Teams' },
  slack: { ja: 'Slackで問い合わせる', en: 'Message us on Slack' },
};

const weekdayNames: Record<Language, Record<Weekday, string>> = {
  ja: { mon: '月曜日', tue: '火曜日', wed: '水曜日', thu: '木曜日', fri: '金曜日', sat: '土曜日', sun: '日曜日' },
  en: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
};

/** Japan's zone goes unnamed in Japanese (the reader assumes it) and is "Japan time" in English; others by their IANA name. */
function zoneNote(language: Language, timeZone: string): string {
  if (timeZone === 'Asia/Tokyo') return language === 'ja' ? '' : ' (Japan time)';
  return language === 'ja' ? `（${timeZone}）` : ` (${timeZone} time)`;
}

/** What a visitor reads outside business hours: when a person will answer. Null when someone is there. */
export function closedNotice(language: Language, available: Availability): string | null {
  if (available.open) return null;
  if (!available.nextOpen) return language === 'ja' ? '受付時間外です。現在、担当者による対応の予定はありません。' : 'We are closed now, and no opening hours are set.';
  const { day, time } = available.nextOpen;
  const zone = zoneNote(language, available.timeZone);
  if (language === 'ja') {
    const when = day === 'today' ? '本日' : day === 'tomorrow' ? '明日' : weekdayNames.ja[day];
    return `受付時間外です。${when}の ${time}${zone} 以降に担当者が対応します。`;
  }
  const when = day === 'today' ? `${time} today` : day === 'tomorrow' ? `${time} tomorrow` : `${weekdayNames.en[day]} ${time}`;
  return `We are closed now; a person will answer from ${when}${zone}.`;
}

/**
 * The answer to a visitor who asks for a person: the button below it, and the contact line. The
 * hours notice is the offer's own (metadata), shown with the button, so it is not repeated here.
 */
export function handoffAnswer(language: Language, parts: { label: string | null; contact: string | null }): string {
  const lines =
    language === 'ja'
      ? [parts.label ? `担当者におつなぎします。下の「${parts.label}」からお問い合わせください。` : '担当者におつなぎします。', parts.contact && `担当者へのお問い合わせはこちら: ${parts.contact}`]
      : [parts.label ? `I can put you in touch with a person: use “${parts.label}” below.` : 'I can put you in touch with a person.', parts.contact && `To reach a person: ${parts.contact}`];
  return lines.filter(Boolean).join('\n');
}

/** The mail a visitor starts from the widget: the conversation named, so the operator finds it. */
export function mailDraft(language: Language, parts: { conversationId: string; question: string | null; message: string | null }): { subject: string; body: string } {
  const ref = parts.conversationId.slice(0, 8);
  return language === 'ja'
    ? {
        subject: `チャットからのお問い合わせ（${ref}）`,
        body: [parts.question && `チャットでの質問: ${parts.question}`, parts.message, `（会話 ID: ${parts.conversationId}）`].filter(Boolean).join('\n\n'),
      }
    : {
        subject: `Enquiry from the chat (${ref})`,
        body: [parts.question && `My question in the chat: ${parts.question}`, parts.message, `(Conversation ID: ${parts.conversationId})`].filter(Boolean).join('\n\n'),
      };
}
