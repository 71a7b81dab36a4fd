import type { Text } from '../../../http/language.js';

/** Why a page has no current document, in both languages (the API shows the reader's). */
export const pageFailures = {
  robots: (): Text => ({ ja: 'robots.txt でクローラー（ShioriBot）のアクセスが禁止されています。', en: 'robots.txt does not allow crawlers (ShioriBot) here.' }),
  noindex: (): Text => ({ ja: 'ページに noindex の指定があるため登録しません。', en: 'The page asks not to be indexed (noindex).' }),
  redirected: (to: string): Text => ({ ja: `${to} へ転送されます（転送先のページとして登録します）。`, en: `Redirects to ${to} (indexed as that page).` }),
  redirectOffSite: (to: string): Text => ({ ja: `サイトの対象範囲の外（${to}）へ転送されるため読み込みません。`, en: `Redirects outside the site's scope (${to}); not followed.` }),
  gone: (status: number): Text => ({ ja: `ページが見つかりません（HTTP ${status}）。登録済みの文書は削除しました。`, en: `The page is gone (HTTP ${status}); its document, if any, was removed.` }),
  httpError: (status: number): Text => ({ ja: `サーバーがエラーを返しました（HTTP ${status}）。次回の同期で再試行します。`, en: `The server answered with an error (HTTP ${status}); it is tried again at the next sync.` }),
  notHtml: (type: string): Text => ({ ja: `HTML ページではありません（${type || '種類不明'}）。`, en: `Not an HTML page (${type || 'no content type'}).` }),
  tooLarge: (limitBytes: number): Text => {
    const mb = (limitBytes / 1024 / 1024).toFixed(1);
    return { ja: `ページが大きすぎます（上限 ${mb} MB）。上限を超えたところで読み込みを止めました。`, en: `The page is too large (limit ${mb} MB); reading stopped at the limit.` };
  },
  timeout: (seconds: number): Text => ({ ja: `${seconds} 秒以内に応答がありませんでした。`, en: `The page did not answer within ${seconds} s.` }),
  refused: (why: string): Text => ({ ja: `接続先のアドレスが許可されていません（${why}）。`, en: `The address is not allowed (${why}).` }),
  unreachable: (why: string): Text => ({ ja: `ページを取得できませんでした（${why}）。`, en: `The page could not be fetched (${why}).` }),
  removed: (): Text => ({ ja: '管理者が文書を削除したため、再同期しても登録しません。', en: 'An admin deleted its document; re-syncs leave it out.' }),
  noText: (): Text => ({ ja: 'ページに本文がありません。', en: 'The page has no main content.' }),
};

/** Why a whole crawl could not run (`failed`) or stopped before reading everything it found (`stopped`). */
export const crawlFailureCodes = ['ROBOTS_UNAVAILABLE', 'ADDRESS_REFUSED', 'UNEXPECTED'] as const;
export const crawlLimitCodes = ['PAGE_LIMIT', 'TIME_LIMIT'] as const;
export type CrawlFailureCode = (typeof crawlFailureCodes)[number];
export type CrawlLimitCode = (typeof crawlLimitCodes)[number];
export interface CrawlStop<Code extends CrawlFailureCode | CrawlLimitCode = CrawlFailureCode | CrawlLimitCode> {
  code: Code;
  reason: Text;
}

/** A duration as a person reads it: whole minutes, or seconds below a minute (tests use small budgets). */
const duration = (ms: number): Text => (ms >= 60_000 && ms % 60_000 === 0 ? { ja: `${ms / 60_000} 分`, en: `${ms / 60_000} min` } : { ja: `${Math.round(ms / 1000)} 秒`, en: `${Math.round(ms / 1000)} s` });

export const crawlFailures = {
  robotsUnavailable: (why: Text): CrawlStop<CrawlFailureCode> => ({
    code: 'ROBOTS_UNAVAILABLE',
    reason: {
      ja: `robots.txt を読めませんでした（${why.ja}）。サイトの許可が確認できないため、クロールしていません。`,
      en: `robots.txt could not be read (${why.en}); without the site's permission nothing was crawled.`,
    },
  }),
  addressRefused: (why: Text): CrawlStop<CrawlFailureCode> => ({
    code: 'ADDRESS_REFUSED',
    reason: { ja: `${why.ja}このサーバーから接続できないため、クロールしていません。`, en: `${why.en} This server may not connect to it, so nothing was crawled.` },
  }),
  unexpected: (): CrawlStop<CrawlFailureCode> => ({ code: 'UNEXPECTED', reason: { ja: 'クロール中に予期しないエラーが発生しました。自動で再試行します。', en: 'The crawl stopped on an unexpected error; it is retried automatically.' } }),
  pageLimit: (max: number): CrawlStop<CrawlLimitCode> => ({
    code: 'PAGE_LIMIT',
    reason: { ja: `ページ数の上限（${max}）に達したため、残りのページは読み込んでいません。読み込めなかったページの文書はそのまま残ります。`, en: `Stopped at the page limit (${max}); the remaining pages were not read, and their documents are kept.` },
  }),
  timeLimit: (ms: number): CrawlStop<CrawlLimitCode> => {
    const limit = duration(ms);
    return {
      code: 'TIME_LIMIT',
      reason: { ja: `時間の上限（${limit.ja}）に達したため、残りのページは次回の同期で読み込みます。`, en: `Stopped at the time limit (${limit.en}); the remaining pages are read at the next sync.` },
    };
  },
};
