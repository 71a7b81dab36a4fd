import type { Language } from './i18n.js';

// The shared Zod schemas speak English (the API's messages). The Japanese UI translates the ones
// its forms can produce; anything else is shown as the server wrote it.
const japanese: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^is required$/, () => '入力してください'],
  [/^must not be empty$/, () => '入力してください'],
  [/^must be a valid email address$/, () => '有効なメールアドレスを入力してください'],
  [/^must be at least (\d+) characters$/, (m) => `${m[1]} 文字以上にしてください`],
  [/^must be at most (\d+) characters$/, (m) => `${m[1]} 文字以内にしてください`],
  [/^must contain an uppercase letter$/, () => '大文字を含めてください'],
  [/^must contain a lowercase letter$/, () => '小文字を含めてください'],
  [/^must contain a digit$/, () => '数字を含めてください'],
  [/^may contain only letters, digits and underscores$/, () => '半角英数字とアンダースコアのみ使えます'],
  [/^must be a domain name such as (.+)$/, (m) => `${m[1]} のようなドメイン名を入力してください`],
  [/^must be a 6-digit code or a recovery code$/, () => '6 桁のコードかリカバリーコードを入力してください'],
  [/^must be between (\S+) and (\S+)$/, (m) => `${m[1]}〜${m[2]} の範囲で入力してください`],
  [/^must be at least (\d+)$/, (m) => `${m[1]} 以上にしてください`],
  [/^must be at most (\d+)$/, (m) => `${m[1]} 以下にしてください`],
  [/^chunkOverlap must be at most half of chunkSize$/, () => 'パッセージの長さの半分以下にしてください'],
  [/^must be a whole number$/, () => '整数を入力してください'],
  [/^each tag must be at most (\d+) characters$/, (m) => `タグは 1 つ ${m[1]} 文字以内にしてください`],
  [/^at most (\d+) tags$/, (m) => `タグは ${m[1]} 個までにしてください`],
  [/^must not be before start_date$/, () => '開始日より前の日付にはできません'],
  [/^must be a date \(YYYY-MM-DD\)$/, () => '日付を入力してください'],
];

export function localizeValidation(message: string, language: Language): string {
  if (language !== 'ja') return message;
  for (const [pattern, render] of japanese) {
    const match = pattern.exec(message);
    if (match) return render(match);
  }
  return message;
}
