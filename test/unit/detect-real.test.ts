import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '#shared/domain/finding';
import { conversionFindings, evaluate, ownDocumentNumber, spansToMask, type RuleContext } from '#shared/rules/index';
import { findDocumentNumbers, findMarkers, findOrderNumbers, sameOrder } from '#shared/rules/detect/index';
import { expectWellFormed, formOf } from '../support/rule-drafts.ts';
import { ORGANS, TITLE_STEMS, TITLE_WORDS } from '../support/header-shapes.ts';

/**
 * Issue 15: the classes of real documents the detectors missed. Each class has real-shaped
 * cases (国办 letters, State Council orders, GB/T 9704 版头) and, where the class is
 * generative, a property over all its members.
 */

const run = (ctx: RuleContext): Finding[] => {
  const f = evaluate(ctx, 'all');
  expectWellFormed(f, ctx);
  return f;
};
const of = (ruleId: string, f: readonly Finding[]) => f.filter((x) => x.ruleId === ruleId);
const canonicals = (text: string) => findDocumentNumbers(text).map((n) => n.canonical);

// ---------------------------------------------------------------------------------------- numbers

const BRACKETS: ReadonlyArray<readonly [string, string]> = [
  ['〔', '〕'],
  ['﹝', '﹞'],
  ['｛', '｝'],
  ['{', '}'],
  ['[', ']'],
  ['【', '】'],
  ['(', ')'],
  ['（', '）'],
  ['［', '］'],
  ['〖', '〗'],
  ['〘', '〙'],
  ['﹙', '﹚'],
];

describe('document numbers: a title ending in a 文种 above the number', () => {
  it.each([
    ['国务院办公厅关于同意建立全国社会保险工作部际联席会议制度的复函\n国办函〔2005〕21号', '国办函〔2005〕21号'],
    ['国务院办公厅关于同意将山西省列为全国\n政务公开标准化规范化试点省份的函\n国办函〔2019〕12号', '国办函〔2019〕12号'],
    ['关于对省十三届人大三次会议第0123号建议的答复\n晋政办函〔2020〕45号', '晋政办函〔2020〕45号'],
    ['国家中长期人才发展规划纲要\n国办发〔2010〕6号', '国办发〔2010〕6号'],
    ['国务院2019年立法工作计划\n国办发〔2019〕18号', '国办发〔2019〕18号'],
    ['“十四五”推进国家政务信息化规划\n发改高技〔2021〕1898号', '发改高技〔2021〕1898号'],
    ['国务院办公厅关于同意调整部际联席会议组成人员的复函　国办函〔2016〕8号', '国办函〔2016〕8号'],
    ['国务院办公厅关于印发2018年政务公开工作要点的函国办函〔2018〕23号', '国办函〔2018〕23号'],
    ['国务院办公厅关于同意建立部际联席会议制度的复函国办函〔2005〕21号', '国办函〔2005〕21号'],
  ])('%j → %s', (text, number) => {
    expect(canonicals(text)).toEqual([number]);
  });

  it('any 文种 × any organ × any bracket × line break or blank: the number alone, own when on its own line', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TITLE_STEMS),
        fc.constantFrom(...TITLE_WORDS),
        fc.constantFrom(...ORGANS),
        fc.constantFrom(...BRACKETS),
        fc.integer({ min: 1990, max: 2030 }),
        fc.integer({ min: 1, max: 9999 }),
        fc.constantFrom('\n', '\n\n', '\r\n', '　', ' \n'),
        (stem, word, organ, [open, close], year, serial, gap) => {
          const text = `${stem}${word}${gap}${organ}${open}${year}${close}${serial}号\n\n各省、自治区、直辖市人民政府：`;
          const expected = `${organ}〔${year}〕${serial}号`;
          expect(canonicals(text)).toEqual([expected]);
          if (gap.includes('\n')) expect(ownDocumentNumber(text)?.canonical).toBe(expected);
        },
      ),
    );
  });

  it('规划 inside an organ is kept (发改规划), with or without a line above ending in 规划', () => {
    expect(canonicals('（发改规划〔2021〕1234号）')).toEqual(['发改规划〔2021〕1234号']);
    expect(canonicals('各地要对照要求，认真落实国家信息化规划\n发改规划〔2019〕1234号文件。')).toEqual(['发改规划〔2019〕1234号']);
  });
});

describe('document numbers: a line break inside the organ, before its 发文 suffix', () => {
  it.each([
    ['国\n办发〔1997〕11号', '国办发〔1997〕11号'],
    ['国办\n发明电〔2018〕15号', '国办发明电〔2018〕15号'],
    ['晋政\n办函〔2020〕45号', '晋政办函〔2020〕45号'],
    ['国务院办公厅文件\n\n国\n办发〔2019〕3号\n', '国办发〔2019〕3号'],
  ])('%j → %s, the own number', (text, number) => {
    expect(canonicals(text)).toEqual([number]);
    expect(ownDocumentNumber(text)?.canonical).toBe(number);
  });

  it('any region × any 发文 suffix, wrapped between them (also under a title, a letterhead)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('国', '国办', '晋政', '运盐政', '京政', '沪府', '晋政办', '古政'),
        fc.constantFrom('发', '办发', '函', '办函', '发明电', '字', '电', '明电'),
        fc.constantFrom('', '国务院办公厅文件\n\n', '国务院办公厅关于印发政务公开工作要点的通知\n'),
        fc.integer({ min: 1990, max: 2030 }),
        fc.integer({ min: 1, max: 999 }),
        (region, suffix, above, year, serial) => {
          const text = `${above}${region}\n${suffix}〔${year}〕${serial}号\n`;
          const expected = `${region}${suffix}〔${year}〕${serial}号`;
          expect(canonicals(text)).toEqual([expected]);
          expect(ownDocumentNumber(text)?.canonical).toBe(expected);
        },
      ),
    );
  });

  it('a short line that is not a bare organ part is never glued to the number; 发改 begins an organ', () => {
    expect(canonicals('签发人：张　三\n办发〔2018〕3号')).toEqual(['办发〔2018〕3号']);
    expect(canonicals('某某局\n发改规划〔2019〕1234号')).toEqual(['发改规划〔2019〕1234号']);
    expect(canonicals('国家发改委\n发改办高技〔2019〕12号')).toEqual(['发改办高技〔2019〕12号']);
  });
});

describe('document numbers: look-alike brackets and invisible characters', () => {
  it.each([
    ['国发﹝2018﹞43号', '国发〔2018〕43号'],
    ['国办发｛2019｝5号', '国办发〔2019〕5号'],
    ['按照《国务院关于加强数字政府建设的指导意见》（国发﹝2022﹞14号）要求', '国发〔2022〕14号'],
    ['国\u200B办发〔2019〕7号', '国办发〔2019〕7号'],
  ])('%j → %s (span quotes the original)', (text, number) => {
    const [n] = findDocumentNumbers(text);
    expect(n?.canonical).toBe(number);
    expect(n!.text).toBe(text.slice(n!.start, n!.end));
  });
});

describe('令 numbers', () => {
  it.each([
    ['中华人民共和国国务院令\n第707号', '中华人民共和国国务院令第707号'],
    ['根据《重大行政决策程序暂行条例》（国令第713号）', '国令第713号'],
    ['某某市人民政府令\n第 3 号', '某某市人民政府令第3号'],
    ['严格执行《某某省行政规范性文件管理规定》（省政府令第２７４号）。', '省政府令第274号'],
  ])('%j → %s', (text, order) => {
    expect(findOrderNumbers(text).map((o) => o.canonical)).toEqual([order]);
    expect(findDocumentNumbers(text)).toEqual([]);
  });

  it('are not read where there is no 令 + 第N号', () => {
    expect(findOrderNumbers('责令第三人限期改正；命令第一条所列单位；经国务院第24次常务会议通过')).toEqual([]);
  });

  it('an abbreviation names the same order (国令 ≈ 国务院令 ≈ 中华人民共和国国务院令), another serial or organ does not', () => {
    const o = (organ: string, serial: number) => ({ organ, serial });
    expect(sameOrder(o('国令', 707), o('中华人民共和国国务院令', 707))).toBe(true);
    expect(sameOrder(o('国务院令', 707), o('国令', 707))).toBe(true);
    expect(sameOrder(o('某某市政府令', 3), o('某某市人民政府令', 3))).toBe(true);
    expect(sameOrder(o('国令', 707), o('国令', 708))).toBe(false);
    expect(sameOrder(o('省政府令', 3), o('某某市人民政府令', 3))).toBe(false);
  });
});

describe('ATTR-4: no correct number draws a "missing", "inconsistent" or "non-standard" warning', () => {
  const letter =
    '国务院办公厅关于同意建立全国社会保险工作部际联席会议制度的复函\n国办函〔2005〕21号\n\n劳动保障部：\n　　你部关于建立全国社会保险工作部际联席会议制度的请示收悉。经国务院同意，现函复如下：\n　　同意建立。\n\n国务院办公厅\n2005年3月21日\n';
  it.each([
    ['a 复函 with its number under the title', letter, '国办函〔2005〕21号', '2005-03-21'],
    ['a number wrapped inside its organ', '国\n办发〔1997〕11号\n\n国务院办公厅关于加强政务公开工作的通知\n各省、自治区、直辖市人民政府：\n', '国办发〔1997〕11号', '1997-03-01'],
    ['a number in ﹝﹞', '国发﹝2018﹞43号\n\n国务院关于某某工作的通知\n', '国发〔2018〕43号', '2018-09-01'],
    ['a State Council order', '中华人民共和国国务院令\n第707号\n\n　　现予公布，自公布之日起施行。\n\n总理　李克强\n2018年9月18日\n', '国令第707号', '2018-09-18'],
    ['a municipal order', '某某市人民政府令\n第 3 号\n\n　　《某某市政务公开办法》已经市人民政府常务会议通过，现予公布。\n', '某某市人民政府令第3号', '2020-05-01'],
  ])('%s', (_, text, documentNumber, documentDate) => {
    expect(of('ATTR-4', run({ form: formOf({ attribute: '主动公开', documentNumber, documentDate }), document: { text } }))).toEqual([]);
  });

  it('a declared order number absent from the text is reported as absent, not as non-standard', () => {
    const f = of(
      'ATTR-4',
      run({ form: formOf({ attribute: '主动公开', documentNumber: '国令第708号', documentDate: '2018-09-18' }), document: { text: '中华人民共和国国务院令\n第707号\n' } }),
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.zh).toContain('未出现在正文中');
    expect(f[0]!.zh).not.toContain('不是规范格式');
  });
});

// ---------------------------------------------------------------------------------------- secrecy marks

const STARS = [
  '★',
  '☆',
  '⭐',
  '✩',
  '✪',
  '✫',
  '✬',
  '✭',
  '✮',
  '✯',
  '✰',
  '✦',
  '✧',
  '✱',
  '✲',
  '✳',
  '✴',
  '✵',
  '✶',
  '✷',
  '✸',
  '✹',
  '⋆',
  '∗',
  '⁎',
  '﹡',
  '٭',
  '*',
  '＊',
  '🌟',
  '★\uFE0F',
  '⭐\uFE0F',
  '\u200B★\u200B',
] as const;
const PERIODS: ReadonlyArray<readonly [string, string]> = [
  ['1年', '1年'],
  ['10年', '10年'],
  ['３０年', '30年'],
  ['一年', '1年'],
  ['五年', '5年'],
  ['十年', '10年'],
  ['二十年', '20年'],
  ['三十年', '30年'],
  ['6个月', '6个月'],
  ['六个月', '6个月'],
  ['半年', '6个月'],
  ['长期', '长期'],
  ['启用前', '启用前'],
  ['', ''],
];
const LEVELS: ReadonlyArray<readonly [string, string]> = [
  ['绝密', 'top-secret'],
  ['机密', 'confidential'],
  ['秘密', 'secret'],
  ['絕密', 'top-secret'],
  ['機密', 'confidential'],
  ['祕密', 'secret'],
  ['机　密', 'confidential'],
];

describe('secrecy marks: every GB/T 9704 form and its look-alikes', () => {
  it.each([
    ['秘密★一年', '秘密★一年', '1年'],
    ['绝密★启用前\n2020年全国硕士研究生招生考试', '绝密★启用前', '启用前'],
    ['秘密★1年　份号000123', '秘密★1年', '1年'],
    ['秘密⭐1年', '秘密⭐1年', '1年'],
    ['秘密★\uFE0F1年', '秘密★\uFE0F1年', '1年'],
    ['本文件定为机密★5年，未经批准不得复制。', '机密★5年', '5年'],
    ['000123\n机密★1年\n特急\n\n国务院办公厅文件', '机密★1年', '1年'],
    ['密级：秘密　保密期限：一年', '密级：秘密　保密期限：一年', '1年'],
  ])('%j → %s', (text, span, period) => {
    const marks = findMarkers(text);
    expect(marks.map((m) => [m.text, m.secrecyPeriod])).toEqual([[span, period]]);
  });

  it('any level × any star look-alike × any period × any place (alone, 版头 line, inside a sentence, deep in the text): one mark, quoting the original', () => {
    const filler = '　　为进一步做好政务公开工作，现将有关事项通知如下。\n'.repeat(12);
    fc.assert(
      fc.property(
        fc.constantFrom(...LEVELS),
        fc.constantFrom(...STARS),
        fc.constantFrom(...PERIODS),
        fc.constantFrom('alone', 'header', 'sentence', 'deep'),
        ([level, kind], star, [period, normalised], place) => {
          const mark = `${level}${star}${period}`;
          const text =
            place === 'alone'
              ? mark
              : place === 'header'
                ? `000123　${mark}　份号：000123\n特急\n\n国务院办公厅文件`
                : place === 'sentence'
                  ? `　　本文件定为${mark}，未经批准不得复制。`
                  : `${filler}　　本文件定为${mark}，未经批准不得复制。\n`;
          const marks = findMarkers(text);
          expect(marks).toHaveLength(1);
          expect(marks[0]!.kind).toBe(kind);
          expect(marks[0]!.text).toBe(text.slice(marks[0]!.start, marks[0]!.end));
          expect(marks[0]!.text.startsWith(level)).toBe(true);
          if (normalised) expect(marks[0]!.secrecyPeriod).toBe(normalised);
        },
      ),
    );
  });

  it.each([
    '涉及国家秘密和商业秘密的，依法不予公开。',
    '要加强保密工作，严防失泄密，机密文件由专人保管。',
    '在文件首页左上角标注“秘密★1年”字样。',
    '国家秘密的密级分为绝密、机密、秘密三级。',
    '群众满意度★★★★★，服务评价秘书处汇总。',
    '保密期限届满的，自行解密。',
    '　　各单位要落实保密审查制度，涉密信息不得上网。',
  ])('near-miss, not a mark: %j', (text) => {
    expect(findMarkers(text)).toEqual([]);
  });

  it('ATTR-5 blocks a draft whose text carries a look-alike mark inside a sentence, quoting it as written', () => {
    const text = '某某县人民政府办公室关于做好某某工作的通知\n\n　　本文件定为机密⭐️5年，未经批准不得复制。\n';
    const f = of('ATTR-5', run({ form: formOf({ attribute: '主动公开', secrecyLevel: 'none' }), document: { text } }));
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('block');
    expect((f[0]!.evidence ?? []).some((e) => e.in === 'document' && e.text === '机密⭐️5年')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------- personal data

describe("PUB-4: a private person's record is masked as a whole (contacts included); office contacts stay", () => {
  // Roster appended to a notice (resident IDs with a correct check character, a Luhn-valid card).
  const roster = [
    '附件：拟享受补贴人员名单',
    '序号 姓名 身份证号 联系电话 电子邮箱',
    '1 王某某 140802198805120012 0359-2456789 wangmm@163.com',
    '2 李某某 11010519491231002X 0351-7654321 limm@qq.com',
    '当事人张某，身份证号140802198805120012，住宅电话010-62345678，邮箱zhang@126.com；',
    '举报电话0359-2025678，邮箱gxzwgk@163.com。',
    '联系单位：某某县人力资源和社会保障局，咨询电话：0359-6281234，邮箱：rsj@yc.gov.cn。',
  ].join('\n');

  it('masks the landlines and e-mails in each ID record', () => {
    const masked = spansToMask(roster).map((s) => s.text);
    for (const private_ of ['0359-2456789', 'wangmm@163.com', '0351-7654321', 'limm@qq.com', '010-62345678', 'zhang@126.com']) expect(masked).toContain(private_);
    for (const office of ['0359-2025678', 'gxzwgk@163.com', '0359-6281234', 'rsj@yc.gov.cn']) expect(masked).not.toContain(office);
  });

  it('tells the drafter which contacts go with a record (warn) and which stay (info)', () => {
    const f = of('PUB-4', run({ form: formOf({ attribute: '主动公开' }), document: { text: roster } }));
    const withRecord = f.find((x) => x.zh.includes('固定电话号码与身份证号码'))!;
    expect(withRecord.severity).toBe('warn');
    expect((withRecord.evidence ?? []).map((e) => e.text)).toEqual(['0359-2456789', '0351-7654321', '010-62345678']);
    const kept = f.find((x) => x.zh.includes('固定电话号码，一般为单位'))!;
    expect(kept.severity).toBe('info');
    expect((kept.evidence ?? []).map((e) => e.text)).toEqual(['0359-2025678', '0359-6281234']);
  });
});

// ---------------------------------------------------------------------------------------- conversions

describe('a conversion to 主动公开 on re-review re-runs the markers and secrecy marks on the text', () => {
  const onApplication = { attribute: '依申请公开', nonPublicReason: '涉及第三方商业秘密，公开会损害其合法权益', legalBasis: '《中华人民共和国政府信息公开条例》第十五条' } as const;
  const body = '某某县人民政府办公室关于做好某某工作的通知\n\n各乡镇人民政府：\n　　现将有关事项通知如下。\n';

  it('a text with no contradicting marker converts', () => {
    expect(conversionFindings({ form: formOf(onApplication), document: { text: body } })).toEqual([]);
  });

  it.each([
    ['（此件依申请公开）', 'ATTR-4', '（此件依申请公开）'],
    ['内部资料', 'ATTR-4', '内部资料'],
    ['秘密⭐1年', 'ATTR-5', '秘密⭐1年'],
  ])('%s blocks the conversion with its finding', (mark, ruleId, quoted) => {
    const f = conversionFindings({ form: formOf(onApplication), document: { text: `${mark}\n${body}` } });
    expect(f.map((x) => x.ruleId)).toContain(ruleId);
    expect(f.every((x) => x.severity === 'block')).toBe(true);
    expect(f.flatMap((x) => x.evidence ?? []).some((e) => e.in === 'document' && e.text === quoted)).toBe(true);
  });
});

describe('ATTR-5: what may be a secrecy mark draws a warning, never a silent pass', () => {
  const attr5 = (text: string) => of('ATTR-5', run({ form: formOf({ attribute: '主动公开', secrecyLevel: 'none' }), document: { text } }));
  const filler = '　　为进一步做好政务公开工作，现将有关事项通知如下。\n'.repeat(12);

  it.each([
    ['a quoted form', '在文件首页左上角标注“秘密★1年”字样。', '秘密★1年'],
    ['a level and a period without ★', '　　本件机密5年，注意保管。', '机密5年'],
    ['a bare level alone on a line below the header zone', `${filler}秘密\n`, '秘密'],
  ])('%s: warn, quoting it', (_, text, quoted) => {
    const f = attr5(text);
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warn');
    expect(f[0]!.zh).toContain('可能是密级标志');
    expect((f[0]!.evidence ?? []).map((e) => e.text)).toEqual([quoted]);
  });

  it.each([
    '涉及国家秘密和商业秘密的，依法不予公开。',
    '要加强保密工作，严防失泄密，机密文件由专人保管。',
    '国家秘密的密级分为绝密、机密、秘密三级。',
    '属于工作秘密三年内不得公开的事项，按有关规定办理。',
    '保密期限届满的，自行解密。',
  ])('prose: no ATTR-5 finding at all: %j', (text) => {
    expect(attr5(text)).toEqual([]);
  });
});
