// Function words dropped from search terms. They occur in almost every chunk, so matching them
// ranks nothing higher; without IDF in ts_rank they would even rank noise first. The Japanese
// entries are written as Intl.Segmenter (ICU) cuts them, e.g. "いるか" and "何と" are one word,
// and ICU cuts the politeness endings of questions into fragments of its own: あり|ます|か comes
// out as "ありま" + "すか", ください as "くだ" + "さい". Left in, such a fragment is found in no
// passage, counts at full IDF and sinks the score of the passage that answers.

const JAPANESE = `
の は が を に で と も へ や か な ね よ わ ぞ さ ば て ず ん う え っ ら ま のみ
から まで より など ほど だけ しか こそ でも では には とは への での との からの までの とも
において における について により による によって として という といった とか って ったの
た だ です ます まし でし ました でした ない なかっ なく ある あっ あり あった あれ
れ れる られ られる せ せる させ し する した して します しい いる い いた いて てい ており おり
なる なっ なり なら なった だっ だろ だろう でしょ でしょう よう そう ため こと もの ところ とき
これ それ あれ この その あの どの ここ そこ 等
何 何と 何か 何の 何で 何を 何年 何人 何回 何個 なに なん なんと どこ どちら どれ どう どんな
いつ いつか 誰 誰か だれ なぜ 何故 いくつ いくら くらい ぐらい
か たか いるか ですか ますか のか したか されたか あるか なるか
ありま すか せん ません でき できる しょう くだ さい ください ですが ますが けど はい いい
`;

const ENGLISH = `
a an the and or but nor if then else so than that this these those there here
of in on at to from by for with without about into onto over under after before between
through during above below up down out off as via per
is am are was were be been being do does did done have has had having
can could may might must shall should will would
i me my we our you your he him his she her it its they them their
what which who whom whose when where why how whether
not no yes also only just very more most much many some any each every all both either neither
one such own same other another
`;

function wordSet(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter((w) => w !== ''));
}

const STOPWORDS = new Set([...wordSet(JAPANESE), ...wordSet(ENGLISH)]);

/** True for a lowercase, NFKC-normalised word that carries no topic (の, です, the, what…). */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}
