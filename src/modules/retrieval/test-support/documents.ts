// Small documents for the retrieval tests: a Japanese work-rules TXT, an English travel-policy
// TXT and a three-page English PDF manual. Each has distinct topics in separate passages, so a
// test can say which passage a question must find.
import { makeTextPdf } from '../../sources/extract/test-support/make-pdf.js';

const rulesSections = [
  '第1章 総則\n第1条（目的）この規則は、株式会社しおり商事の従業員の労働条件、服務規律その他の就業に関する事項を定めるものである。従業員はこの規則を守り、誠実に職務を遂行しなければならない。',
  '第10条（始業・終業時刻）始業時刻は午前9時、終業時刻は午後6時とし、休憩時間は正午から午後1時までの1時間とする。業務の都合により、始業・終業時刻を繰り上げ又は繰り下げることがある。',
  '第20条（年次有給休暇）入社日から6か月間継続して勤務し、所定労働日の8割以上出勤した従業員には、10日の年次有給休暇を付与する。その後は勤続1年ごとに付与日数を加算し、最大20日とする。取得する場合は、原則として3日前までに所属長へ届け出ること。',
  '第25条（通勤手当）通勤に公共交通機関を利用する従業員には、最も経済的かつ合理的な経路による定期券代を通勤手当として支給する。ただし、支給額の上限は月額5万円とする。',
  '第30条（服務規律）従業員は、会社の機密情報を許可なく社外に持ち出してはならない。取引先から金品の贈与を受けてはならない。勤務中は社員証を常に着用すること。',
  '第40条（懲戒）従業員が本規則に違反したときは、その情状により、けん責、減給、出勤停止、諭旨解雇又は懲戒解雇とする。',
];
/** Long enough for several chunks, so "the right passage" is a real test. */
export const workRulesJa = rulesSections.map((s) => `${s}\n${s.replace(/^.*?）/, '補足：')}`).join('\n\n');

export const travelPolicyEn = [
  'Travel Policy of Example Trading Inc.',
  'Purpose. This policy explains how employees book business travel and claim their costs. Managers approve every trip before it is booked.',
  'Flights. Book economy class for flights shorter than six hours. Business class may be booked for longer flights with the approval of a director.',
  'Hotels. Choose a hotel close to the place of work. The company pays up to 180 dollars per night in large cities and 120 dollars elsewhere.',
  'Meal allowance. The daily meal allowance on business trips is 60 dollars per day. Receipts are not needed for meals within the allowance.',
  'Expense reports. Submit the expense report with every receipt within 30 days after the trip ends. Late reports are reimbursed only with the approval of the finance department.',
  'Rental cars. Rent a car only when public transport is not practical. Fuel is reimbursed at cost; traffic fines are paid by the employee.',
]
  .map((p) => `${p}\n${p.replace(/^[^.]*\./, 'In short:')}`)
  .join('\n\n');

const pageLines = (topic: string, facts: string[], filler: (i: number) => string) => [topic, ...facts, ...Array.from({ length: 30 }, (_, i) => filler(i))].join('\n');

/** Three pages; the turbine inspection interval is stated on page 2 only. */
export function manualPdf(): Promise<Buffer> {
  return makeTextPdf([
    pageLines('Installation of the Zephyr wind unit', ['Mount the base plate on a level concrete pad.'], (i) => `Installation step ${i + 1}: fasten anchor bolt number ${i + 1} of the base plate with the torque wrench.`),
    pageLines(
      'Maintenance of the Zephyr wind unit',
      ['The turbine blades must be inspected every 500 operating hours.', 'Replace the gearbox oil once a year.'],
      (i) => `Maintenance note ${i + 1}: record the inspection of rotor segment ${i + 1} in the service logbook.`,
    ),
    pageLines('Troubleshooting the Zephyr wind unit', ['If the red warning lamp blinks, stop the unit and call the service desk.'], (i) => `Fault code E${i + 10}: reset the controller and check cable harness ${i + 1}.`),
  ]);
}
