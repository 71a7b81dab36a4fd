// Two small documents per language for the conversation tests: a price list where the same
// attributes (料金, 支払い方法 / cost, payment) exist for two plans, so only the conversation
// says which plan a follow-up means, and a company profile on another topic. Each paragraph is
// one passage at PASSAGE_CHUNKING.
import assert from 'node:assert/strict';
import type { TestApp, TestTenant } from '../../../test/harness.js';
import { uploadAndProcess } from '../../../test/upload.js';

/** Small passages, so that each paragraph below is a passage of its own. */
export const PASSAGE_CHUNKING = { chunk_size: 64, chunk_overlap: 0 };

export const plansJa = [
  '料金プランのご案内',
  'スタンダードプランは中小企業向けの基本プランで、利用者は10名まで、保存容量は50GBまでご利用いただけます。',
  'スタンダードプランの料金は月額9,800円（税込）です。年払いにすると2か月分が無料になります。',
  'スタンダードプランの支払い方法はクレジットカードのみです。請求書払いには対応していません。',
  'エンタープライズプランは大企業向けの上位プランで、利用者数は無制限、専任の担当者がつきます。',
  'エンタープライズプランの料金は月額98,000円（税込）からで、規模に応じてお見積りいたします。',
  'エンタープライズプランの支払い方法は請求書払い（銀行振込）で、月末締め翌月末払いとなります。',
].join('\n\n');

export const companyJa = [
  '会社概要',
  '株式会社しおり商事は1998年に京都で設立された文具の専門商社で、現在の従業員数は約300名です。',
  'しおり商事の本社は東京都千代田区丸の内にあり、このほか大阪と福岡に支店を構えています。',
].join('\n\n');

export const plansEn = [
  'Plans and pricing',
  'The Standard plan is our basic plan for small teams. It includes up to ten users and fifty gigabytes of storage for shared documents.',
  'The Standard plan costs 90 dollars a month. Customers who pay for a whole year at once get two months of the Standard plan free.',
  'Payment for the Standard plan is by credit card only. Invoices and bank transfers are not available for this plan, sorry.',
  'The Enterprise plan is our largest plan for big companies. It has unlimited users, single sign-on and a dedicated account manager.',
  'The Enterprise plan costs 900 dollars a month, and very large organisations can ask our sales team for a custom quote instead.',
  'Payment for the Enterprise plan is by invoice and bank transfer, due at the end of the month after the month of use.',
].join('\n\n');

export const companyEn = [
  'Company profile',
  'Shiori Trading was founded in Kyoto in 1998 as a stationery wholesaler, and today it employs about three hundred people across Japan.',
  'The headquarters of Shiori Trading are in Marunouchi, Tokyo, and the company also runs branch offices in Osaka and Fukuoka.',
].join('\n\n');

/** Sets the tenant's passage size, then uploads the four documents and waits until they are searchable. */
export async function uploadPlanDocuments(t: TestApp, tenant: TestTenant): Promise<void> {
  const res = await t.request('PATCH', `/api/v1/tenants/${tenant.id}`, { token: tenant.admin.accessToken, body: PASSAGE_CHUNKING });
  assert.equal(res.statusCode, 200, res.body);
  for (const [name, text] of [
    ['料金プラン.txt', plansJa],
    ['会社概要.txt', companyJa],
    ['plans.txt', plansEn],
    ['company.txt', companyEn],
  ] as const) {
    await uploadAndProcess(t, tenant.admin.accessToken, name, text);
  }
}
