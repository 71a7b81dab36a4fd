import type { Text } from '../../http/language.js';

/** Why an attempt failed, in both languages (the delivery log shows the reader's). */
export const deliveryFailures = {
  httpError: (status: number): Text => ({ ja: `受信側が HTTP ${status} を返しました（2xx で成功とみなします）。`, en: `The endpoint answered HTTP ${status} (only a 2xx counts as delivered).` }),
  redirected: (status: number, to: string): Text => ({
    ja: `受信側が転送（HTTP ${status}）を返しました: ${to}。転送には従いません。転送先の URL を登録してください。`,
    en: `The endpoint answered with a redirect (HTTP ${status}) to ${to}; redirects are not followed: register the final address.`,
  }),
  timeout: (seconds: number): Text => ({ ja: `${seconds} 秒以内に応答がありませんでした。`, en: `The endpoint did not answer within ${seconds} s.` }),
  refused: (why: string): Text => ({ ja: `このサーバーから接続できないアドレスです（${why}）。`, en: `This server may not connect to that address (${why}).` }),
  unreachable: (why: string): Text => ({ ja: `接続できませんでした（${why}）。`, en: `Could not connect (${why}).` }),
  disabled: (): Text => ({ ja: 'エンドポイントが無効になっているため送信しませんでした。', en: 'Not sent: the endpoint is disabled.' }),
  stoppedRepeatedly: (attempts: number): Text => ({ ja: `送信が ${attempts} 回途中で止まったため、中止しました。`, en: `Stopped: sending was interrupted ${attempts} times.` }),
};
