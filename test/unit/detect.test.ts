import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractDocument, normaliseText } from '#shared/extract/index';
import {
  canonicalDocumentNumber,
  documentTypeOfTitle,
  findCitedTitles,
  findDocumentNumbers,
  findMarkers,
  findPersonalData,
  findValidity,
  type Span,
} from '#shared/rules/detect/index';

import { bytes, IDS, utf8, type Id } from '../support/corpus.ts';

/**
 * What the five notices really contain, written out by hand (checked against
 * `grep -P '[〔(（]\s*20\d\d' seeds/*.txt` and `grep -o '《[^》]*》'`), in order of appearance.
 */
interface Expected {
  /** Canonical document numbers, each as often as it occurs. */
  readonly numbers: readonly string[];
  /** [kind, marker text without whitespace] */
  readonly markers: ReadonlyArray<readonly [string, string]>;
  /** [source, title]: the own title first, then every cited 《…》 notice (laws, forms, 《办事指南》 are not notices). */
  readonly titles: ReadonlyArray<readonly [string, string]>;
}

const CORPUS: Record<Id, Expected> = {
  // 运城盐湖: no marker at all (the notice discusses 依申请公开/不予公开 but is not marked).
  '000_70017f665202e428': {
    numbers: ['运盐政办发〔2020〕60号', '晋政办发〔2020〕38号', '运政办发〔2020〕2号', '运政办发〔2020〕2号', '国办发〔2017〕47号', '国办发〔2018〕123号'],
    markers: [],
    titles: [
      ['heading', '运城市盐湖区人民政府办公室关于印发运城市盐湖区全面推进基层政务公开标准化规范化工作方案的通知'],
      ['quoted', '运城市盐湖区全面推进基层政务公开标准化规范化工作方案'],
      ['quoted', '山西省人民政府办公厅关于全面推进基层政务公开标准化规范化进一步做好政务公开工作的实施意见'],
      ['quoted', '运城市人民政府办公室关于印发运城市全面推进基层政务公开标准化规范化工作方案的通知'],
      ['quoted', '政府网站发展指引'], // an 指引, cited because its number follows: (国办发〔2017〕47号)
      ['quoted', '国务院办公厅关于推进政务新媒体健康有序发展的意见'],
    ],
  },
  '001_635c498a68e213e6': {
    numbers: ['国办发〔2019〕54号', '国办公开办函〔2019〕61号', '国办发〔2019〕54号'],
    markers: [['public-release', '(此件公开发布)']],
    titles: [
      ['heading', '李沧区人民政府办公室关于印发《青岛市李沧区全面推进基层政务公开标准化规范化工作方案》的通知'],
      ['quoted', '青岛市李沧区全面推进基层政务公开标准化规范化工作方案'],
      ['quoted', '青岛市李沧区全面推进基层政务公开标准化规范化工作方案'],
      ['quoted', '国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见'],
      ['quoted', '国务院办公厅政府信息与政务公开办公室关于规范政府信息公开平台有关事项的通知'],
      ['quoted', '李沧区加强政策解读工作方案'],
    ],
  },
  // 古县: 省政府令第274号 is an order number (no bracketed year), not returned.
  '002_6bc38a5105b87f60': {
    numbers: ['古政办发〔2022〕30号', '建城规〔2021〕4号', '国卫办发〔2021〕43号'],
    markers: [['public-release', '（此件公开发布）']],
    titles: [
      ['heading', '古县人民政府办公室关于印发古县2022年政务公开工作要点的通知'],
      ['quoted', '古县2022年政务公开工作要点'],
      ['quoted', '山西省行政规范性文件制定与监督管理办法'],
      ['quoted', '供水、供气、供热等公共企事业单位信息公开实施办法'],
      ['quoted', '医疗卫生机构信息公开管理办法'],
    ],
  },
  '003_947bd769dad19b2f': {
    numbers: ['尤政办〔2020〕31号', '闽政办〔2020〕26号', '明政办〔2020〕47号'],
    markers: [['proactive', '（此件主动公开）']],
    titles: [
      ['heading', '尤溪县人民政府办公室关于印发尤溪县全面推进基层政务公开标准化规范化工作实施方案的通知'],
      ['quoted', '尤溪县全面推进基层政务公开标准化规范化工作实施方案'],
      ['quoted', '福建省人民政府办公厅关于全面推进基层政务公开标准化规范化工作的通知'],
      ['quoted', '三明市人民政府办公室关于全面推进基层政务公开标准化规范化工作的通知'],
    ],
  },
  '004_a31f9dc5403041b8': {
    numbers: ['赣府厅发〔2020〕17号', '国办发〔2019〕54号'],
    markers: [['proactive', '（此件主动公开）']],
    titles: [
      ['heading', '江西省人民政府办公厅关于全面推进基层政务公开标准化规范化的实施意见'],
      ['quoted', '国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见'],
    ],
  },
};

const squeeze = (s: string) => s.replace(/\s+/g, '');

/** Offsets are into the exact input, sorted, and text is the slice. */
function expectSpans(input: string, spans: readonly Span[]): void {
  let last = -1;
  for (const s of spans) {
    expect(s.text).toBe(input.slice(s.start, s.end));
    expect(s.start).toBeGreaterThanOrEqual(last);
    expect(s.end).toBeGreaterThan(s.start);
    last = s.start;
  }
}

function expectCorpusText(id: Id, input: string): void {
  const want = CORPUS[id];
  const numbers = findDocumentNumbers(input);
  expectSpans(input, numbers);
  expect(numbers.map((n) => n.canonical)).toEqual(want.numbers);
  // the span really is the number: whitespace aside, it reads as its canonical form
  for (const n of numbers) expect(squeeze(n.text)).toBe(n.canonical);
  expect(numbers.filter((n) => n.normative).map((n) => n.canonical)).toEqual(want.numbers.filter((n) => n === '建城规〔2021〕4号'));

  const markers = findMarkers(input);
  expectSpans(input, markers);
  expect(markers.map((m) => [m.kind, squeeze(m.text)])).toEqual(want.markers);

  const personal = findPersonalData(input);
  expect(personal).toEqual([]); // the notices name officials (003's 联席会议 list) but carry no ID, phone, plate, card or e-mail

  const titles = findCitedTitles(input);
  expectSpans(input, titles);
  expect(titles.map((t) => [t.source, t.title])).toEqual(want.titles);
  for (const t of titles) expect(squeeze(t.text)).toBe(t.title);

  // 002 tells drafters to 注明本文有效期限, but no notice states a validity period itself
  expect(findValidity(input)).toBeUndefined();
}

describe('the five notices: exactly what is there (txt, normalised txt, PDF and DOCX extraction)', () => {
  const pdfText = new Map<Id, { text: string; raw: string }>();
  const docxText = new Map<Id, string>();
  beforeAll(async () => {
    for (const id of IDS) {
      const pdf = await extractDocument(bytes(`pdf/${id}.pdf`));
      pdfText.set(id, { text: pdf.text, raw: pdf.rawText });
      docxText.set(id, (await extractDocument(bytes(`docx/${id}.docx`))).text);
    }
  });

  for (const id of IDS) {
    it(`${id}: txt as stored (blank lines, indents, "38 号")`, () => expectCorpusText(id, utf8(`txt/${id}.txt`)));
    it(`${id}: normalised txt`, () => expectCorpusText(id, normaliseText(utf8(`txt/${id}.txt`))));
    it(`${id}: normalised PDF text (line wraps)`, () => expectCorpusText(id, pdfText.get(id)!.text));
    it(`${id}: raw PDF text ("〔2020〕60 号", "2022 年")`, () => expectCorpusText(id, pdfText.get(id)!.raw));
    it(`${id}: normalised DOCX text`, () => expectCorpusText(id, docxText.get(id)!));
  }

  it('000 PDF: the number wrapped inside its organ ("（运\\n政办发〔2020〕2号）") is found whole', () => {
    const text = pdfText.get('000_70017f665202e428')!.text;
    const wrapped = findDocumentNumbers(text).filter((n) => n.text.includes('\n'));
    expect(wrapped.map((n) => [n.text, n.organ, n.year, n.serial])).toEqual([
      ['运\n政办发〔2020〕2号', '运政办发', 2020, 2],
      ['国\n办发〔2017〕47号', '国办发', 2017, 47],
    ]);
  });

  it('large_199p.txt: nothing personal, every span consistent (speed logged, not asserted)', () => {
    const text = normaliseText(utf8('pdf-variants/large_199p.txt'));
    const t0 = performance.now();
    const numbers = findDocumentNumbers(text);
    const markers = findMarkers(text);
    const personal = findPersonalData(text);
    const titles = findCitedTitles(text);
    findValidity(text);
    const ms = performance.now() - t0;
    console.info(`detectors over large_199p.txt (${text.length} chars): ${ms.toFixed(1)} ms`);
    expect(personal).toEqual([]);
    expect(numbers.length).toBeGreaterThan(50);
    for (const spans of [numbers, markers, titles]) expectSpans(text, spans);
    expect(new Set(numbers.map((n) => n.canonical))).toEqual(new Set(Object.values(CORPUS).flatMap((e) => e.numbers)));
  });
});

// ---------------------------------------------------------------------------------------
// Document numbers
// ---------------------------------------------------------------------------------------

describe('findDocumentNumbers', () => {
  it('reads organ, year, serial and the canonical form', () => {
    const text = '运城市盐湖区人民政府办公室\n运盐政办发〔2020〕60号\n';
    const [n, ...rest] = findDocumentNumbers(text);
    expect(rest).toEqual([]);
    expect(n).toEqual({
      start: 14,
      end: 28,
      text: '运盐政办发〔2020〕60号',
      organ: '运盐政办发',
      year: 2020,
      serial: 60,
      normative: false,
      canonical: '运盐政办发〔2020〕60号',
    });
  });

  it('survives PDF spacing, full-width digits, other brackets and line breaks; offsets stay in the input', () => {
    const cases: Array<[string, string]> = [
      ['运盐政办发 〔 2020 〕 60 号', '运盐政办发〔2020〕60号'],
      ['运盐政办发〔２０２０〕６０号', '运盐政办发〔2020〕60号'],
      ['运盐政办发[2020]60号', '运盐政办发〔2020〕60号'],
      ['晋政办发【2020】38号', '晋政办发〔2020〕38号'],
      ['国办发（2019）54号', '国办发〔2019〕54号'],
      ['国办发(2019)54号', '国办发〔2019〕54号'],
      ['京政办发［2018］5号', '京政办发〔2018〕5号'],
      ['（运\n政办发〔2020〕2 号）', '运政办发〔2020〕2号'],
      ['运盐政办发\n〔2020〕\n60\n号', '运盐政办发〔2020〕60号'],
      ['京政字〔2020〕第3号', '京政字〔2020〕3号'],
    ];
    for (const [input, canonical] of cases) {
      const text = `为进一步做好全区政务公开工作，经研究，${input}。`; // a full line, as a PDF wraps it
      const found = findDocumentNumbers(text);
      expect(
        found.map((n) => n.canonical),
        input,
      ).toEqual([canonical]);
      expectSpans(text, found);
    }
  });

  it('cuts the organ at the verb or function word before it', () => {
    const organs = (t: string) => findDocumentNumbers(t).map((n) => n.organ);
    expect(organs('1.坚持示范引领。根据运政办发〔2020〕2号要求，区政府确定解州镇')).toEqual(['运政办发']);
    expect(organs('按照国办公开办函〔2019〕61号要求')).toEqual(['国办公开办函']);
    expect(organs('现转发国发〔2016〕55号文件')).toEqual(['国发']);
    expect(organs('依据国办发〔2017〕47号和国办发〔2018〕123号文件精神')).toEqual(['国办发', '国办发']);
    expect(organs('1.坚持示范引领。区政府根据运\n政办发〔2020〕2号要求')).toEqual(['运政办发']);
    // a short line above is not a wrap: the signer is not part of the organ
    expect(organs('签发人：张三\n古政发〔2022〕5号')).toEqual(['古政发']);
  });

  it('does not glue a title or letterhead line to the number below it', () => {
    expect(findDocumentNumbers('江西省人民政府办公厅\n关于全面推进基层政务公开标准化规范化的\n实施意见\n赣府厅发〔2020〕17号').map((n) => n.organ)).toEqual(['赣府厅发']);
    expect(findDocumentNumbers('古县人民政府办公室文件\n古政办发〔2022〕30号').map((n) => n.organ)).toEqual(['古政办发']);
    expect(findDocumentNumbers('运城市盐湖区人民政府\n运盐政发〔2021〕5号').map((n) => n.organ)).toEqual(['运盐政发']);
  });

  it('marks the 规 numbering of 行政规范性文件 as normative', () => {
    const normative = (t: string) => findDocumentNumbers(t).map((n) => [n.canonical, n.normative]);
    expect(normative('古政规〔2022〕1号、晋政办规〔2021〕3号、建城规〔2021〕4号、古政办发〔2022〕30号、发改规划〔2019〕1234号')).toEqual([
      ['古政规〔2022〕1号', true],
      ['晋政办规〔2021〕3号', true],
      ['建城规〔2021〕4号', true],
      ['古政办发〔2022〕30号', false],
      ['发改规划〔2019〕1234号', false],
    ]);
  });

  it('finds no number in years, ranges, orders, court cases and bare brackets', () => {
    for (const t of [
      '〔2020〕60号',
      '根据〔2020〕有关精神',
      '（2020—2022年）',
      '2020—2022年工作规划',
      '《山西省行政规范性文件制定与监督管理办法》（省政府令第274号）',
      '国务院令第711号',
      '（2020）晋0802民初123号',
      '2020年第3号公告',
      '截至2020年12月10日，全区共受理申请60件',
      '（2021年）12号楼',
      '运盐政办发〔20201〕60号',
    ]) {
      expect(findDocumentNumbers(t), t).toEqual([]);
    }
  });

  it('canonicalDocumentNumber reads one typed number', () => {
    expect(canonicalDocumentNumber('运盐政办发[2020]60号')).toBe('运盐政办发〔2020〕60号');
    expect(canonicalDocumentNumber(' 国办发（２０１９）５４号 ')).toBe('国办发〔2019〕54号');
    expect(canonicalDocumentNumber('待定')).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------
// Markers
// ---------------------------------------------------------------------------------------

describe('findMarkers', () => {
  const kinds = (t: string) => findMarkers(t).map((m) => [m.kind, m.text, m.secrecyPeriod]);

  it('finds the bracketed attribute notes, however the PDF spaced them', () => {
    expect(kinds('李沧区人民政府办公室\n2020年6月11日\n(此件公开发布)')).toEqual([['public-release', '(此件公开发布)', undefined]]);
    expect(kinds('（此件主动公开）')).toEqual([['proactive', '（此件主动公开）', undefined]]);
    expect(kinds('（ 此件 主动 公开 ）')).toEqual([['proactive', '（ 此件 主动 公开 ）', undefined]]);
    expect(kinds('（此件\n依申请公开）')).toEqual([['on-application', '（此件\n依申请公开）', undefined]]);
    expect(kinds('（此件不予公开）')).toEqual([['not-public', '（此件不予公开）', undefined]]);
    expect(kinds('2020年6月11日（此件公开发布）')).toEqual([['public-release', '（此件公开发布）', undefined]]);
  });

  it('finds header marks: 内部资料, 注意保存, 密级 with 保密期限, next to 份号 and 紧急程度', () => {
    expect(kinds('000123\n秘密★1年\n特急\n关于做好防汛工作的紧急通知')).toEqual([['secret', '秘密★1年', '1年']]);
    expect(kinds('机密★10年')).toEqual([['confidential', '机密★10年', '10年']]);
    expect(kinds('绝密★长期')).toEqual([['top-secret', '绝密★长期', '长期']]);
    expect(kinds('密级：机密 保密期限：5年')).toEqual([['confidential', '密级：机密 保密期限：5年', '5年']]);
    expect(kinds('密级：秘密')).toEqual([['secret', '密级：秘密', undefined]]);
    expect(kinds('秘密 ★ １ 年')).toEqual([['secret', '秘密 ★ １ 年', '1年']]);
    expect(kinds('内部资料 注意保存\n关于2021年度考核情况的通报')).toEqual([
      ['internal', '内部资料', undefined],
      ['keep-safe', '注意保存', undefined],
    ]);
    expect(kinds('【内部资料】')).toEqual([['internal', '内部资料', undefined]]);
    expect(kinds('机密\n特急\n关于做好重大节日期间安全保卫工作的通知')).toEqual([['confidential', '机密', undefined]]);
  });

  it('finds the labelled attribute line of the footer', () => {
    expect(kinds('抄送：县委办，县人大办，县政协办。\n公开方式：主动公开')).toEqual([['proactive', '公开方式：主动公开', undefined]]);
    expect(kinds('公开方式：依申请公开')).toEqual([['on-application', '公开方式：依申请公开', undefined]]);
    expect(kinds('公开属性：不予公开')).toEqual([['not-public', '公开属性：不予公开', undefined]]);
  });

  it('ignores mentions: prose, quotes, instructions, lists, 国家秘密 and 商业秘密', () => {
    for (const t of [
      '要逐步扩大主动公开范围，防止依申请公开、不予公开属性的滥用，确需不予公开的，经保密机关视情转为涉密文件处理。',
      '涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关不得公开。',
      '依法确定为国家秘密的政府信息，不予公开。',
      '请在文末标注“（此件公开发布）”字样。',
      '文末注明（此件主动公开），并于印发后5个工作日内报送。',
      '在成文日期下一行标注（此件依申请公开）字样。',
      '本单位编印的内部资料不得对外提供。',
      '各单位应注意保存原始凭证。',
      '公开属性：主动公开、依申请公开、不予公开',
      '此件公开发布后，各单位要认真组织学习。',
      '保密期限：1年',
      '（此件删减后公开）',
    ]) {
      expect(findMarkers(t), t).toEqual([]);
    }
  });

  it('counts a bare 秘密 line or 内部资料 only in the header zone', () => {
    const body = Array.from({ length: 12 }, (_, i) => `第${i + 1}段正文。`).join('\n');
    expect(findMarkers(`秘密\n${body}`).map((m) => m.kind)).toEqual(['secret']);
    expect(findMarkers(`${body}\n商业\n秘密\n内部资料`)).toEqual([]);
    // the self-describing forms count anywhere
    expect(findMarkers(`${body}\n秘密★1年\n（此件主动公开）`).map((m) => m.kind)).toEqual(['secret', 'proactive']);
  });
});

// ---------------------------------------------------------------------------------------
// Personal data
// ---------------------------------------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** ISO 7064 MOD 11-2, written here independently of the detector. */
const idCheck = (first17: string) => '10X98765432'[[...first17].reduce((s, d, i) => s + Number(d) * ID_WEIGHTS[i]!, 0) % 11]!;
/** Luhn check digit, independent of the detector. */
function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

describe('findPersonalData', () => {
  const found = (t: string) => findPersonalData(t).map((p) => [p.kind, p.text]);

  it('finds validated IDs, and rejects a wrong checksum, date or province', () => {
    expect(found('申请人张某（身份证号140802198506123416）于2021年3月提出申请。')).toEqual([['resident-id', '140802198506123416']]);
    expect(found('身份证：11010519491231002x')).toEqual([['resident-id', '11010519491231002x']]);
    expect(found('证件号 350426 19780815 2013')).toEqual([['resident-id', '350426 19780815 2013']]);
    expect(found('身份证号：110105491231002')).toEqual([['resident-id', '110105491231002']]);
    expect(found('受理编号110105491231002')).toEqual([]); // 15 digits without a label
    expect(found('身份证号：110105194912310021')).toEqual([]); // check digit
    expect(found('身份证号：110105194902300020')).toEqual([]); // 2月30日
    expect(found('身份证号：990105194912310023')).toEqual([]); // no province 99
  });

  it('finds phones and rejects hotlines, amounts, counts and long runs', () => {
    expect(found('联系电话：13812345678')).toEqual([['mobile', '13812345678']]);
    expect(found('+86 139 1234 5678')).toEqual([['mobile', '+86 139 1234 5678']]);
    expect(found('联系电话：0359-2021234，传真：03592021235')).toEqual([
      ['landline', '0359-2021234'],
      ['landline', '03592021235'],
    ]);
    expect(found('咨询电话（0598）6321234转8012')).toEqual([['landline', '（0598）6321234转8012']]);
    for (const t of [
      '拨打12345政务服务便民热线',
      '全年收入15000000000元',
      '订单编号202012101381234567',
      '累计服务13812345678人次',
      '2020-12-10',
      '服务热线：400-810-8888',
      '工商银行客服95588',
      '010-6512345',
    ]) {
      expect(findPersonalData(t), t).toEqual([]);
    }
  });

  it('finds plates with and without the dot, ordinary and new-energy; not words or ICP numbers', () => {
    expect(found('车牌号为晋M·12345的小型汽车')).toEqual([['plate', '晋M·12345']]);
    expect(found('粤B·D12345、粤BD12345、苏E12345D、京A·1234学')).toEqual([
      ['plate', '粤B·D12345'],
      ['plate', '粤BD12345'],
      ['plate', '苏E12345D'],
      ['plate', '京A·1234学'],
    ]);
    for (const t of ['完成新A轮融资', '京ABCDE', '晋I12345', '京A1234', '苏A12O45', '粤b12345', '网站备案号：京ICP备12345678号']) {
      expect(findPersonalData(t), t).toEqual([]);
    }
  });

  it('finds Luhn-valid cards with a plausible issuer only', () => {
    expect(found('补贴发放至6228 4800 1234 5671账户')).toEqual([['bank-card', '6228 4800 1234 5671']]);
    expect(found('银行卡号：6222021001123456789')).toEqual([['bank-card', '6222021001123456789']]);
    expect(found('6222021001123456788')).toEqual([]); // Luhn
    expect(found('1234567890123452')).toEqual([]); // Luhn ok, no issuer
    expect(found('43674200123456783')).toEqual([]); // Visa has 16 or 19 digits
  });

  it('finds e-mail addresses, one finding even when the local part is a phone number', () => {
    expect(found('电子邮箱gkb@sanming.gov.cn，或13812345678@139.com。')).toEqual([
      ['email', 'gkb@sanming.gov.cn'],
      ['email', '13812345678@139.com'],
    ]);
    expect(found('user@localhost、a..b@x.com、www.yuncheng.gov.cn')).toEqual([]);
  });

  it('never overlaps: an ID that also passes Luhn with a card-like prefix is an ID', () => {
    // 620102198812011355: a valid Gansu ID whose digits also pass Luhn and start with 62
    expect(found('违法行为人：王某，身份证号620102198812011355。')).toEqual([['resident-id', '620102198812011355']]);
    const mixed = '当事人：张某某，身份证号码：140802198506123416，联系电话：13812345678。车辆号牌：晋M·A1234。';
    expect(found(mixed)).toEqual([
      ['resident-id', '140802198506123416'],
      ['mobile', '13812345678'],
      ['plate', '晋M·A1234'],
    ]);
    expectSpans(mixed, findPersonalData(mixed));
  });
});

// ---------------------------------------------------------------------------------------
// Titles and validity
// ---------------------------------------------------------------------------------------

describe('documentTypeOfTitle', () => {
  it('reads the last type word', () => {
    const cases: Array<[string, string | undefined]> = [
      ['运城市盐湖区人民政府办公室关于印发运城市盐湖区全面推进基层政务公开标准化规范化工作方案的通知', '通知'],
      ['运城市盐湖区全面推进基层政务公开标准化规范化工作方案', '方案'],
      ['江西省人民政府办公厅关于全面推进基层政务公开标准化规范化的实施意见', '意见'],
      ['古县2022年政务公开工作要点', '要点'],
      ['古县人民政府办公室 关于印发古县2022年政务公开工作要点的 通 知', '通知'],
      ['运城市政府信息公开管理办法（试行）', '办法'],
      ['《关于进一步加强政务公开工作的意见》', '意见'],
      ['关于商请提供政务公开工作资料的函', '函'],
      ['山西省国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要', '规划'],
      ['政府网站发展指引', '其他'],
      ['中华人民共和国政府信息公开条例', undefined],
      ['拟发文件公开属性和政策解读申报表', undefined],
      ['', undefined],
    ];
    for (const [title, type] of cases) expect(documentTypeOfTitle(title), title).toBe(type);
  });
});

describe('findCitedTitles', () => {
  it('returns the own title and cited notices, not laws, forms or generic kinds', () => {
    const text =
      '古县人民政府办公室\n关于印发古县2022年政务公开工作要点的通知\n各乡（镇）人民政府：\n' +
      '《古县2022年政务公开工作要点》已经县人民政府同意。严格落实《政府信息公开条例》《个人信息保护法》，' +
      '充分利用《拟发文件公开属性和政策解读申报表》，梳理《办事指南》，及《政府网站发展指引》(国办发〔2017〕47号)。';
    const titles = findCitedTitles(text);
    expectSpans(text, titles);
    expect(titles.map((t) => [t.source, t.documentType, t.title])).toEqual([
      ['heading', '通知', '古县人民政府办公室关于印发古县2022年政务公开工作要点的通知'],
      ['quoted', '要点', '古县2022年政务公开工作要点'],
      ['quoted', '其他', '政府网站发展指引'],
    ]);
    expect(titles[0]!.text).toBe('古县人民政府办公室\n关于印发古县2022年政务公开工作要点的通知');
  });

  it('finds no heading in a text that starts with prose', () => {
    expect(findCitedTitles('为进一步做好政务公开工作，现将有关事项通知如下：\n一、总体要求')).toEqual([]);
  });
});

describe('findValidity', () => {
  const v = (t: string) => {
    const r = findValidity(t);
    return r && { text: r.text, from: r.from, until: r.until, years: r.years };
  };
  it('reads the stated period', () => {
    expect(v('第二十条 本办法自2022年1月1日起施行，有效期5年。')).toEqual({ text: '本办法自2022年1月1日起施行，有效期5年', from: '2022-01-01', until: undefined, years: 5 });
    expect(v('本规定自2023年3月1日起施行，有效期至2028年2月29日。')).toEqual({
      text: '本规定自2023年3月1日起施行，有效期至2028年2月29日',
      from: '2023-03-01',
      until: '2028-02-29',
      years: undefined,
    });
    expect(v('本通知自二〇二二年一月一日起施行，有效期两年。')).toMatchObject({ from: '2022-01-01', years: 2 });
    expect(v('本办法自2022年1月1日起施行。有效期5年。')).toMatchObject({ from: '2022-01-01', years: 5 });
    expect(v('六、附则\n有效期自2022年7月1日至2027年6月30日。')).toMatchObject({ from: '2022-07-01', until: '2027-06-30' });
  });
  it('ignores the instruction to state one, and periods of other things', () => {
    expect(findValidity('行政规范性文件要在文件正文末尾注明本文有效期限。')).toBeUndefined();
    const body = '各单位要逐步梳理汇总本辖区现行有效规范性文件，在政府门户网站建立专栏集中公开。'.repeat(12);
    expect(findValidity(`取水许可证有效期为3年，期满需延续的，应当提前提出申请。${body}`)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

const PROVINCES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65];
const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const validId = fc
  .record({
    province: fc.constantFrom(...PROVINCES),
    area: digits(4),
    birth: fc.date({ min: new Date('1920-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true }),
    seq: digits(3),
  })
  .map(({ province, area, birth, seq }) => {
    const body = `${province}${area}${birth.getUTCFullYear()}${pad(birth.getUTCMonth() + 1, 2)}${pad(birth.getUTCDate(), 2)}${seq}`;
    return body + idCheck(body);
  });
const FULL = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

describe('properties', () => {
  it('a generated valid ID is found; changing any one character rejects it', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 9 }), (id, pos, delta) => {
        const text = `申请人：王某，身份证号：${id}，住址：运城市盐湖区。`;
        expect(findPersonalData(text).map((p) => [p.kind, p.text])).toEqual([['resident-id', id]]);
        const ch = id[pos]!;
        const changed = ch === 'X' ? String(delta) : String((Number(ch) + delta) % 10);
        const wrong = id.slice(0, pos) + changed + id.slice(pos + 1);
        const t2 = `身份证号：${wrong}。`;
        expect(findPersonalData(t2).filter((p) => p.kind === 'resident-id')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  const ORGAN_START = [...'运晋国古尤赣闽明建京沪粤湘苏浙'];
  const ORGAN_MIDDLE = [...'盐政府办卫人社部厅'];
  const ORGAN_END = ['发', '函', '规', '字', '办', '办发', '办函', '发改'];
  const organ = fc
    .tuple(fc.constantFrom(...ORGAN_START), fc.array(fc.constantFrom(...ORGAN_MIDDLE), { minLength: 0, maxLength: 3 }), fc.constantFrom(...ORGAN_END))
    .map(([a, m, e]) => a + m.join('') + e);
  const OPENS = ['〔', '[', '【', '(', '（', '［'];
  const CLOSES = ['〕', ']', '】', ')', '）', '］'];

  it('a generated document number survives blanks, line breaks, full-width digits and bracket styles', () => {
    const PROSE = '为进一步做好全区政务公开工作，结合实际，'; // a full PDF line before the wrap
    fc.assert(
      fc.property(
        organ,
        fc.integer({ min: 1950, max: 2099 }),
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 0, max: OPENS.length - 1 }),
        fc.integer({ min: 0, max: CLOSES.length - 1 }),
        fc.constantFrom('（', '根据', '按照', '，', '、', ''),
        fc.integer({ min: -1, max: 7 }),
        fc.array(fc.constantFrom('', '', '', ' ', '\n', ' \n', '\n '), { minLength: 24, maxLength: 24 }),
        fc.boolean(),
        (org, year, serial, o, c, before, breakAt, gaps, wide) => {
          const organChars = [...org];
          const tail = [OPENS[o]!, ...String(year), CLOSES[c]!, ...String(serial), '号'];
          // blanks anywhere; inside the organ at most ONE line break (where a PDF wrapped
          // the line: -1 = just before the organ, 0 = none, i = before organ[i])
          let body = breakAt === -1 ? '\n' : '';
          organChars.forEach((ch, i) => {
            const blank = i === 0 ? '' : gaps[i]!.replace(/\n/g, '');
            body += (i === breakAt ? '\n' : '') + blank + ch;
          });
          tail.forEach((ch, i) => (body += gaps[(organChars.length + i) % gaps.length]! + ch));
          if (wide) body = FULL(body);
          const text = `${PROSE}${before}${body}要求，认真贯彻执行。`;
          const want = [`${org}〔${year}〕${serial}号`];
          const found = findDocumentNumbers(text);
          expect(found.map((n) => n.canonical)).toEqual(want);
          expectSpans(text, found);
          expect(findDocumentNumbers(normaliseText(text)).map((n) => n.canonical)).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });

  const PLATE_PROVINCES = [...'京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'];
  const LETTERS = [...'ABCDEFGHJKLMNPQRSTUVWXYZ'];
  const serialChar = fc.constantFrom(...LETTERS, ...'0123456789');
  const ordinary = fc
    .array(serialChar, { minLength: 5, maxLength: 5 })
    .map((a) => a.join(''))
    .filter((s) => (s.match(/\d/g)?.length ?? 0) >= 2);
  const newEnergy = fc.tuple(fc.constantFrom('D', 'F'), serialChar, digits(4)).map(([a, b, c]) => a + b + c);

  it('a generated plate is found with or without the dot', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PLATE_PROVINCES), fc.constantFrom(...LETTERS), fc.oneof(ordinary, newEnergy), fc.constantFrom('', '·'), (p, l, s, dot) => {
        const plate = `${p}${l}${dot}${s}`;
        const text = `车牌号为${plate}的小型汽车违停被曝光。`;
        expect(findPersonalData(text).map((x) => [x.kind, x.text])).toEqual([['plate', plate]]);
      }),
      { numRuns: 300 },
    );
  });

  it('a Luhn-valid UnionPay card is found (compact or grouped); a wrong check digit is not a card', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 19 }), digits(17), fc.boolean(), fc.integer({ min: 1, max: 9 }), (len, rest, grouped, delta) => {
        const body = `62${rest}`.slice(0, len - 1);
        const card = body + luhnDigit(body);
        // 62 is also Gansu's province code: an 18-digit card that happens to be a valid ID is an ID
        fc.pre(!(len === 18 && /^62\d{4}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/.test(card) && idCheck(card.slice(0, 17)) === card[17]));
        const show = grouped ? card.replace(/(\d{4})(?=\d)/g, '$1 ') : card;
        expect(findPersonalData(`补贴发放账户：${show}。`).map((x) => [x.kind, x.text])).toEqual([['bank-card', show]]);
        const wrong = body + String((Number(luhnDigit(body)) + delta) % 10);
        expect(findPersonalData(`补贴发放账户：${wrong}。`).filter((x) => x.kind === 'bank-card')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('a mobile number is found in 3-4-4 forms, never inside a longer run of digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), digits(9), fc.constantFrom('', ' ', '-'), digits(1), (second, rest, sep, extra) => {
        const n = `1${second}${rest}`;
        const shown = `${n.slice(0, 3)}${sep}${n.slice(3, 7)}${sep}${n.slice(7)}`;
        expect(findPersonalData(`联系电话：${shown}。`).map((x) => [x.kind, x.text])).toEqual([['mobile', shown]]);
        expect(findPersonalData(`编号${n}${extra}。`).filter((x) => x.kind === 'mobile')).toEqual([]);
        expect(findPersonalData(`编号${extra}${n}。`).filter((x) => x.kind === 'mobile')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('no detector throws on arbitrary text; spans are consistent; personal data never overlaps', () => {
    const alphabet = fc.constantFrom(
      ...'0123456789０１２３ Xx-·@.（）()〔〕【】[]号发办政运国京A秘密★年内部资料此件公开发布主动\n：:，、。《》通知意见有效期自起施行至月日'.split(''),
    );
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 200 }).map((a) => a.join('')),
        (text) => {
          for (const spans of [findDocumentNumbers(text), findMarkers(text), findPersonalData(text), findCitedTitles(text)] as Span[][]) expectSpans(text, spans);
          const personal = findPersonalData(text);
          for (let i = 1; i < personal.length; i++) expect(personal[i]!.start).toBeGreaterThanOrEqual(personal[i - 1]!.end);
          const v = findValidity(text);
          if (v) expect(v.text).toBe(text.slice(v.start, v.end));
        },
      ),
      { numRuns: 500 },
    );
  });
});
