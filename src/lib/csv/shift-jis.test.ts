import assert from 'node:assert/strict';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { charactersOutsideShiftJis, encodeShiftJis } from './shift-jis.js';

test('CP932 holds Japanese, its NEC/IBM extensions and half-width kana; JIS look-alikes are written as CP932’s', () => {
  assert.deepEqual(charactersOutsideShiftJis('有給休暇①㈱髙ﾊﾝｶｸ 9時〜18時 −5 ‖ — ¢£¬'), []);
  assert.equal(iconv.decode(encodeShiftJis('9時〜18時 −5'), 'cp932'), '9時～18時 －5');
  assert.deepEqual([...encodeShiftJis('①髙')], [0x87, 0x40, 0xfb, 0xfc]);
});

test('what Shift_JIS cannot hold is named once each, in order', () => {
  assert.deepEqual(charactersOutsideShiftJis('𠮷野家😀 Café 😀 é\u00a0'), ['𠮷', '😀', 'é', '\u00a0']);
});
