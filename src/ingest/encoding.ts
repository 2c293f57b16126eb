import { decodeUtf8, firstInvalidUtf8 } from './decode.js';
import { type InputMessage, InputProblem, msg } from './errors.js';

/**
 * The encodings callqa reads. GBK and GB2312 are subsets of GB18030 and are read as it; Big5 is
 * read as the Big5 of the WHATWG Encoding Standard as Node implements it (no HKSCS extension).
 */
export const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'big5'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** How messages name each encoding. */
const LABEL: Readonly<Record<Encoding, string>> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
  gb18030: 'GB18030',
  big5: 'Big5',
};

/** User spellings (lower case, without `-`, `_`, `.` or spaces) → canonical names. */
const ALIASES: Readonly<Record<string, Encoding>> = {
  utf8: 'utf-8',
  utf8sig: 'utf-8',
  utf8bom: 'utf-8',
  unicode11utf8: 'utf-8',
  utf16: 'utf-16le',
  utf16le: 'utf-16le',
  ucs2: 'utf-16le',
  unicode: 'utf-16le',
  utf16be: 'utf-16be',
  unicodefffe: 'utf-16be',
  gb18030: 'gb18030',
  gbk: 'gb18030',
  xgbk: 'gb18030',
  gb2312: 'gb18030',
  gb231280: 'gb18030',
  csgb2312: 'gb18030',
  euccn: 'gb18030',
  cp936: 'gb18030',
  ms936: 'gb18030',
  windows936: 'gb18030',
  chinese: 'gb18030',
  big5: 'big5',
  big5hkscs: 'big5',
  cnbig5: 'big5',
  csbig5: 'big5',
  xxbig5: 'big5',
  cp950: 'big5',
  ms950: 'big5',
  windows950: 'big5',
};

/** The canonical name (one of ENCODINGS) for a user's spelling (utf8, GBK, cp936, Big5-HKSCS…); undefined when unknown. */
export function encodingName(name: string): Encoding | undefined {
  return ALIASES[
    name
      .trim()
      .toLowerCase()
      .replace(/[-_.\s]/g, '')
  ];
}

function requireEncoding(name: string): Encoding {
  const encoding = encodingName(name);
  if (encoding === undefined) throw new InputProblem(msg('input.unknown-encoding', { name, encodings: ENCODINGS }));
  return encoding;
}

const BOMS: readonly { encoding: Encoding; bytes: readonly number[] }[] = [
  { encoding: 'utf-8', bytes: [0xef, 0xbb, 0xbf] },
  { encoding: 'utf-16le', bytes: [0xff, 0xfe] },
  { encoding: 'utf-16be', bytes: [0xfe, 0xff] },
  { encoding: 'gb18030', bytes: [0x84, 0x31, 0x95, 0x33] },
];

/** Bytes 0x01–0x7f only (a NUL suggests UTF-16): the same text in every encoding read here but UTF-16. */
export function isPlainAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b === 0 || b >= 0x80) return false;
  return true;
}

function bomOf(bytes: Uint8Array): { encoding: Encoding; length: number } | undefined {
  const bom = BOMS.find((b) => b.bytes.every((byte, k) => bytes[k] === byte));
  return bom && { encoding: bom.encoding, length: bom.bytes.length };
}

/** How much of the input detection looks at, from the first non-ASCII byte. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * The ~1,100 most frequent Chinese characters (general frequency lists, plus call-centre words such as
 * 您 请 查询 账户 快递 套餐) in Simplified and Traditional forms, and the common full-width punctuation.
 * A sample decoded with the right encoding is mostly these; the wrong one gives rare characters.
 */
const COMMON = new Set(
  '的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还' +
    '进好小部其些主样理心她本前开但因只从想实日者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应向头文体相见被利什二等产或新己制身' +
    '果加西月话合回特代内信表化老给世位次度门任常先通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活更别打女变四神总何电数安少报才结反受目太量再感建务做接' +
    '必场件计管期市直资命山金指许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领' +
    '共确传师观清今切院让识候带导争运笑风步改收根干造言联持组每济车亲极林服快办议往元士证近失转夫令准布始怎呢存未远叫台单影具字爱击流备连调深商算质团集百需价花华城级' +
    '整府离况请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青' +
    '随选列红响虽推势参希古众构房半节土投某案黑维划致陈律足态护七兴派孩验责营星够章音跟志底站严例防供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害双境客' +
    '纪采举攻父密低朝友诉止细愿千值仍男钱破网热助倒育属坐限脸职速刻乐否刚毛状率甚独球般普怕弹校苦创假久错承印晚试股拿脑预谁益阳若哪微继送急血惊伤素药适波夜省初喜卫源' +
    '食险待述陆习置居劳财环排福纳欢警获模充负云停木游树疑层冷射略范竟句室异激村策演简卡判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银' +
    '买养怀执副乱抗犯追帮宣岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢换闻危忙核暗姐介坏讨丽良序升监临亮露永' +
    '呼味野架域沙掉括杂误湾吉减编楚肯测败屋跑梦散温困渐封救贵缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢遇康虑幸均销钟诗藏赶剧票损忽巨旧端探湖录叶春乡附吸予礼港雨' +
    '呀板庭妇归睛饭额含顺输摇招婚脱补谓督油疗旅材灭逐莫笔亡鲜词圣择寻厂睡博烟授诺岸卖载健堂旁宫喝借禁阴园避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸' +
    '诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱歌店软典欲伙遭盘爸扩盖弄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃伟' +
    '麻川申缓潜闪售灯针络抵朱抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵稍询码账递裹餐订址耐烦辰帆嗯哦噢喂哈呃啦' +
    '嘛哎唉祝愉挂签寄厅障欠缴惠冻逾储蓄柜昨這個們來為國說時會對於過發後裡種經麼學現當沒動還進樣開從實無與長機關點業將兩間問並應頭體見產話內給門兒東聲員論處義幾認條氣' +
    '題別變總電數報結務場計資許統區隊決馬書則聽卻達強難權設記類據邊張該規萬覺術領確傳師觀讓識帶導爭運風乾聯組濟車親極辦議證轉準遠臺單愛擊備連調質團價華級離況請際約覆' +
    '線斷滿視須寫稱嗎輕農裝廣顯標談圖歷醫專費號盡較語僅隨選紅響雖勢參眾構節維劃陳態護興驗責營夠嚴續講終緊黃絕項圍織雙紀採舉訴細願錢網熱屬臉職樂剛狀獨彈創錯試腦預誰陽' +
    '繼驚傷藥適衛險陸習勞財環納歡獲負雲遊樹層範異簡擔靜積餘檢靈協佔徵揮勝階審堅媽劉讀壓銀買養懷執亂幫歲優鐵稅藝陣腳惡塊頓戶評寶釋顧貨換聞壞討麗監臨雜誤灣減編測敗夢溫' +
    '漸貴樓縣畫遺謝慮銷鍾詩趕劇損舊錄葉鄉禮婦歸飯額順輸搖脫補謂療滅筆鮮詞聖擇尋廠煙諾賣載宮陰園榮孫頂鎮練爺館礎寧紙諸訓莊絲戲隱訪軟夥盤擴蓋穩億擁楊齊賽虛購綠貿畢輪庫' +
    '跡競棄偉緩潛閃燈針絡純頁傑築鄭貝吳圓殘誠寬擺毀趙詢碼賬遞訂煩掛籤廳繳凍儲櫃説裏羣衞牀' +
    '，。？！：；、“”‘’（）…—《》～·',
);

/** Code points no transcript holds: C1 controls and private-use (user-defined) characters. */
const JUNK = /[\u0080-\u009f\ue000-\uf8ff]/u;

/** A GB18030 or Big5 guess needs at least this many common characters, and this share of the non-ASCII ones. */
const MIN_COMMON = 3;
const MIN_COMMON_SHARE = 0.5;

/** A fresh strict decoder (streaming decoders keep state, so each sample gets its own). */
function decoder(encoding: Encoding) {
  return new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
}

const shared = new Map<Encoding, ReturnType<typeof decoder>>();

/** A strict decoder for whole inputs (a decode call without `stream` leaves no state behind). */
function wholeDecoder(encoding: Encoding): ReturnType<typeof decoder> {
  const known = shared.get(encoding);
  if (known) return known;
  const made = decoder(encoding);
  shared.set(encoding, made);
  return made;
}

/** Decodes a sample that may end inside a character; undefined when it does not decode cleanly. */
function decodeSample(encoding: Encoding, bytes: Uint8Array): string | undefined {
  try {
    const text = decoder(encoding).decode(bytes, { stream: true });
    return JUNK.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

/** How many of the sample's non-ASCII characters are common Chinese characters or punctuation. */
function commonCount(text: string): { common: number; nonAscii: number } {
  let common = 0;
  let nonAscii = 0;
  for (const ch of text) {
    if ((ch.codePointAt(0) as number) < 0x80) continue;
    nonAscii++;
    if (COMMON.has(ch)) common++;
  }
  return { common, nonAscii };
}

/**
 * GB18030 or Big5 when the sample reads as Chinese text in one of them, the one with more common
 * characters. Each is judged on the part of the sample before its first bad byte, so that a GBK file
 * with one bad byte is still called GBK and its error names GB18030 and that byte.
 */
function guessChinese(sample: Uint8Array): Encoding | undefined {
  let best: { encoding: Encoding; common: number } | undefined;
  for (const encoding of ['gb18030', 'big5'] as const) {
    const text = decodeSample(encoding, sample) ?? decodeSample(encoding, sample.subarray(0, longestValidPrefix(encoding, sample)));
    if (text === undefined) continue;
    const { common, nonAscii } = commonCount(text);
    if (common < MIN_COMMON || common < nonAscii * MIN_COMMON_SHARE) continue;
    if (!best || common > best.common) best = { encoding, common };
  }
  return best?.encoding;
}

/**
 * UTF-16 without a BOM: text never holds NUL, but in UTF-16 every ASCII character (digits, times,
 * labels, newlines) has a zero byte, on the same side; a few characters such as 一 (U+4E00) have one
 * on the other side.
 */
function guessUtf16(head: Uint8Array): Encoding | undefined {
  const units = Math.floor(head.length / 2);
  if (units < 2) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let k = 0; k < units * 2; k += 2) {
    if (head[k] === 0) evenZeros++;
    if (head[k + 1] === 0) oddZeros++;
  }
  const leans = (more: number, fewer: number) => more >= units / 4 && fewer * 8 <= more;
  const candidate = leans(oddZeros, evenZeros) ? 'utf-16le' : leans(evenZeros, oddZeros) ? 'utf-16be' : undefined;
  return candidate && decodeSample(candidate, head) !== undefined ? candidate : undefined;
}

function isUtf8Prefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * The encoding of an input, from its first bytes (which may end inside a character): a byte-order mark
 * first; then UTF-8 when the bytes are valid UTF-8 (pure ASCII included); then GB18030 or Big5 when the
 * text reads as Chinese in one of them (more common characters wins). Anything else is called UTF-8,
 * so that decoding reports the first invalid byte rather than returning mojibake. Looks at 64 KiB
 * from the first non-ASCII byte.
 */
export function detectEncoding(bytes: Uint8Array): Encoding {
  const bom = bomOf(bytes);
  if (bom) return bom.encoding;
  const utf16 = guessUtf16(bytes.subarray(0, SAMPLE_BYTES));
  if (utf16) return utf16;
  const first = bytes.findIndex((b) => b >= 0x80);
  if (first < 0) return 'utf-8';
  const sample = bytes.subarray(first, first + SAMPLE_BYTES);
  if (isUtf8Prefix(sample)) return 'utf-8';
  return guessChinese(sample) ?? 'utf-8';
}

/** Whether bytes decode cleanly when they are the start of a longer input (a character may be cut at the end). */
function validPrefix(encoding: Encoding, bytes: Uint8Array): boolean {
  return decodeSample(encoding, bytes) !== undefined;
}

/** Whether bytes decode cleanly as a whole. */
function validWhole(encoding: Encoding, bytes: Uint8Array): boolean {
  try {
    return !JUNK.test(wholeDecoder(encoding).decode(bytes));
  } catch {
    return false;
  }
}

/**
 * Where bytes that do not decode (or decode to a control or private-use character) go wrong: the offset
 * of the first byte of the first bad character. The longest valid prefix is found by binary search
 * (decoding in streaming mode accepts a prefix that ends inside a character), then stepped back to the
 * last whole character.
 */
function firstBadOffset(encoding: Encoding, bytes: Uint8Array): number {
  const valid = longestValidPrefix(encoding, bytes);
  for (let end = valid; end > 0 && end > valid - 4; end--) if (validWhole(encoding, bytes.subarray(0, end))) return end;
  return 0;
}

/** The length of the longest prefix that decodes cleanly in streaming mode (it may end inside a character). */
function longestValidPrefix(encoding: Encoding, bytes: Uint8Array): number {
  if (validPrefix(encoding, bytes)) return bytes.length;
  // validPrefix holds for lo bytes and not for hi bytes.
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (validPrefix(encoding, bytes.subarray(0, mid))) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * What a multi-byte character at a bad offset is when it decodes but cannot be text: Node maps the
 * user-defined areas of GB18030 and Big5 to private-use characters. Undefined for plain bad bytes (and
 * for the single bytes 0x80 and 0xff, which Node's Big5 lets through but are simply not Big5).
 */
function junkAt(encoding: Encoding, bytes: Uint8Array, at: number): InputMessage | undefined {
  for (let length = 2; length <= 4 && at + length <= bytes.length; length++) {
    let ch: string;
    try {
      ch = wholeDecoder(encoding).decode(bytes.subarray(at, at + length));
    } catch {
      continue; // not a whole character yet (or not one at all)
    }
    if (/^[\ue000-\uf8ff]$/u.test(ch)) return msg('input.bad-byte-user-defined');
    if (/^[\u0080-\u009f]$/u.test(ch)) return msg('input.bad-byte-control');
    return undefined;
  }
  return undefined;
}

export function isUtf16(encoding: Encoding): boolean {
  return encoding === 'utf-16le' || encoding === 'utf-16be';
}

/** 1-based line of a byte offset: newlines before it (UTF-16 newlines are 2-byte units). */
function lineAt(encoding: Encoding, bytes: Uint8Array, offset: number): number {
  let line = 1;
  if (isUtf16(encoding)) {
    const [lo, hi] = encoding === 'utf-16le' ? [0, 1] : [1, 0];
    for (let k = 0; k + 1 < offset; k += 2) if (bytes[k + lo] === 0x0a && bytes[k + hi] === 0) line++;
  } else {
    for (let k = 0; k < offset; k++) if (bytes[k] === 0x0a) line++;
  }
  return line;
}

const hex = (byte: number | undefined) => `0x${(byte ?? 0).toString(16).padStart(2, '0')}`;

/** The message for a bad byte at a file offset, in the shape of decodeUtf8's. */
function badByteMessage(encoding: Encoding, byte: number | undefined, offset: number, why?: InputMessage): InputMessage {
  // The offset as digits without grouping: a reader finds it in a hex editor.
  const at = { byte: hex(byte), offset: String(offset) };
  if (encoding === 'utf-8') return msg('input.bad-utf8', { ...at, encoding: 'UTF-8' });
  const named = { ...at, encoding: LABEL[encoding], flag: '--encoding' };
  return why ? msg('input.bad-byte-why', { ...named, why }) : msg('input.bad-byte', named);
}

/**
 * Strictly decodes `bytes` (the input after its BOM, which is `skip` bytes long) or throws an
 * InputProblem naming the first bad byte's file offset and line.
 */
function decodeStrict(encoding: Encoding, bytes: Uint8Array, skip: number): string {
  let text: string | undefined;
  try {
    text = wholeDecoder(encoding).decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined && !JUNK.test(text)) return text;
  const at = firstBadOffset(encoding, bytes);
  throw new InputProblem(badByteMessage(encoding, bytes[at], skip + at, junkAt(encoding, bytes, at)), lineAt(encoding, bytes, at));
}

function bomMismatch(bom: Encoding, forced: Encoding): InputProblem {
  return new InputProblem(msg('input.bom-mismatch', { bom: LABEL[bom], flag: '--encoding', forced: LABEL[forced] }), 1);
}

/**
 * Decodes a whole input: the forced encoding (any spelling encodingName takes) or the detected one.
 * A BOM is dropped. Strict: bytes that are not valid in the encoding throw an InputProblem naming the
 * encoding, the byte and its offset, with its line; never mojibake.
 */
export function decodeBytes(bytes: Uint8Array, forced?: string): { text: string; encoding: string } {
  const encoding = forced === undefined ? detectEncoding(bytes) : requireEncoding(forced);
  const bom = bomOf(bytes);
  if (bom && bom.encoding !== encoding) throw bomMismatch(bom.encoding, encoding);
  // decodeUtf8 drops the BOM itself and keeps the UTF-8 message that the rest of callqa expects.
  if (encoding === 'utf-8') return { text: decodeUtf8(bytes), encoding };
  const skip = bom?.length ?? 0;
  return { text: decodeStrict(encoding, bytes.subarray(skip), skip), encoding };
}

/**
 * A decoder for one line of a JSONL file at a time: `(bytes, offset)`, where offset is the line's byte
 * offset in the file (for messages; a BOM is dropped from the line at offset 0). As strict as
 * decodeBytes; the InputProblem's line is left to the caller, who knows it. UTF-16 cannot be split on
 * the newline byte, so UTF-16 JSONL is refused here, when the decoder is made.
 */
export function createLineDecoder(encoding: string): (bytes: Uint8Array, offset: number) => string {
  const enc = requireEncoding(encoding);
  if (isUtf16(enc)) throw new InputProblem(msg('input.utf16-jsonl', { encoding: LABEL[enc], jsonl: 'JSONL', utf8: 'UTF-8' }), 1);
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  return (bytes, offset) => {
    let skip = 0;
    if (offset === 0) {
      const bom = bomOf(bytes);
      if (bom && bom.encoding !== enc) throw bomMismatch(bom.encoding, enc);
      skip = bom?.length ?? 0;
    }
    const body = bytes.subarray(skip);
    if (enc !== 'utf-8') return decodeStrict(enc, body, offset + skip);
    try {
      return utf8.decode(body);
    } catch {
      const at = firstInvalidUtf8(body);
      throw new InputProblem(badByteMessage(enc, body[at], offset + skip + at));
    }
  };
}
