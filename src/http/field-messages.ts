import { z } from 'zod';
import type { Text } from './language.js';

/**
 * Japanese for the English field messages our schemas and `installValidationMessages` write
 * (`.min(8, 'must be at least 8 characters')`). The server renders a validation error's fields
 * with it, and the dashboard its own form checks, which run the same schemas.
 */
const japanese: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^is required$/, () => '入力してください'],
  [/^must not be empty$/, () => '入力してください'],
  [/^unknown fields?: (.+)$/, (m) => `不明な項目です: ${m[1]}`],
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
  [/^must be (\d+) or more$/, (m) => `${m[1]} 以上にしてください`],
  [/^at most (\d+) (files|tags|origins)$/, (m) => `${m[1]} 件までにしてください`],
  [/^must be an http:\/\/ or https:\/\/ URL$/, () => 'http:// か https:// で始まる URL を入力してください'],
  [/^must not contain a user name or password \(put the key in api_key\)$/, () => 'ユーザー名やパスワードは含められません（キーは api_key に入れてください）'],
  [/^must not contain a query string or fragment$/, () => 'クエリ文字列（?）やフラグメント（#）は含められません'],
  [/^must be printable ASCII without spaces$/, () => '空白を含まない半角英数字・記号にしてください'],
  [/^is required for provider (\S+)$/, (m) => `プロバイダー ${m[1]} では必須です`],
  [/^must be PRO or ENTERPRISE \(FREE is not bought\)$/, () => 'PRO か ENTERPRISE にしてください（FREE は購入するものではありません）'],
  [/^must be an origin such as (\S+) .*$/, (m) => `${m[1]} のようなオリジン（スキーム、ホスト、ポートのみ。パスは不要）を入力してください`],
  [/^must not be empty \(null: no instructions\)$/, () => '入力してください（指示なしにするときは null）'],
  [/^chunk(Size|Overlap) must be an integer from (\d+) to (\d+) tokens$/, (m) => `${m[2]}〜${m[3]} トークンの整数にしてください`],
  [/^chunkOverlap must be at most half of chunkSize$/, () => 'パッセージの長さの半分以下にしてください'],
  [/^must be a whole number$/, () => '整数を入力してください'],
  [/^must be a number$/, () => '数値を入力してください'],
  [/^must be a UUID$/, () => 'UUID の形式で指定してください'],
  [/^must be one of: (.+?)( \(.*\))?$/, (m) => `次のいずれかにしてください: ${m[1]}`],
  [/^must be (\w+) or (\w+) \(or null to clear\)$/, (m) => `${m[1]} か ${m[2]}（取り消すときは null）にしてください`],
  [/^must be (\w+) or (\w+)$/, (m) => `${m[1]} か ${m[2]} にしてください`],
  [/^must be (\w+), (\w+) or (\w+)$/, (m) => `${m[1]}、${m[2]}、${m[3]} のいずれかにしてください`],
  [/^must not be before start_date$/, () => '開始日より前の日付にはできません'],
  [/^must be a date \(YYYY-MM-DD\).*$/, () => '日付（YYYY-MM-DD）を入力してください'],
  [/^must be an http:\/\/ or https:\/\/ address$/, () => 'http:// か https:// で始まるアドレスを入力してください'],
  [/^must be 0 \(on demand only\) or more$/, () => '0（手動で同期するときだけ）以上にしてください'],
  [/^must be at most (\d+) \((\d+) days\)$/, (m) => `${m[1]}（${m[2]} 日）以下にしてください`],
  [/^must be a path starting with \/ \(no query or #\)$/, () => '/ で始まるパスにしてください（? や # は含められません）'],
  [/^must name at least one event$/, () => 'イベントを 1 つ以上選んでください'],
  [/^must be an IANA time zone such as (\S+)$/, (m) => `${m[1]} のようなタイムゾーン（IANA の名前）を指定してください`],
  [/^must not be empty \(null.*\)$/, () => '入力してください（設定しないときは null）'],
  [/^must be an https:\/\/ URL$/, () => 'https:// で始まる URL を入力してください'],
  [/^must be a (line|teams|slack) link \((.+)\)$/, (m) => `${{ line: 'LINE', teams: 'Teams', slack: 'Slack' }[m[1]!]} のリンク（${m[2]!.replace(' or ', ' か ')}）を入力してください`],
  [/^must be a time from 00:00 to 24:00 \(HH:MM\)$/, () => '00:00〜24:00 の時刻（HH:MM）を入力してください'],
  [/^must be after the start .*$/, () => '開始より後の時刻にしてください（日をまたぐときは 24:00 で区切り、翌日を 00:00 から始めてください）'],
  [/^send a note or a status$/, () => 'note か status を指定してください'],
  // Zod's wrong type, worded by installValidationMessages: last, after the phrases it would also match.
  [/^must be an? (\w+)$/, (m) => `${typeNames[m[1]!] ?? m[1]}で指定してください`],
  [/^must not contain the NUL character \(U\+0000\)$/, () => 'NUL 文字（U+0000）は使えません'],
  [/^must be 8-64 letters, digits, - or _$/, () => '半角英数字、- または _ の 8〜64 文字にしてください'],
];

const typeNames: Record<string, string> = { string: '文字列', number: '数値', integer: '整数', int: '整数', boolean: '真偽値（true / false）', object: 'オブジェクト', array: '配列' };

const zodJapanese = z.locales.ja().localeError;

/** The Japanese of one of our English field messages, if it is one. */
export function japaneseFieldMessage(message: string): string | undefined {
  for (const [pattern, render] of japanese) {
    const match = pattern.exec(message);
    if (match) return render(match);
  }
  return undefined;
}

/** A Zod issue's message in both languages: ours where we wrote one, else Zod's own Japanese locale. */
export function fieldMessage(issue: { message?: string } & Record<string, unknown>): Text {
  const en = issue.message ?? 'is invalid';
  const ours = japaneseFieldMessage(en);
  if (ours) return { ja: ours, en };
  const theirs = zodJapanese(issue as never);
  return { ja: (typeof theirs === 'string' ? theirs : theirs?.message) ?? '正しくありません', en };
}
