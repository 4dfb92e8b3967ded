import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import PDFDocument from 'pdfkit';
import type { Finding } from '#shared/domain/finding';
import type { DeclarationForm } from '#shared/domain/form';
import { extractDocument } from '#shared/extract/index';
import { mergeOcr } from '#shared/extract/ocr';
import { findDocumentNumbers, findMarkers, findPossibleSecrecyMarks } from '#shared/rules/detect/index';
import { foldLookalikes } from '#shared/rules/detect/scan';
import { evaluate, ownDocumentNumber } from '#shared/rules/index';
import { formOf } from '../support/rule-drafts.ts';

/**
 * Brackets, however written (issue 14.2): OCR models without 〔〕 in their alphabet read
 * 古政办发〔2022〕30号 as 古政办发【2022]30号, and full-width （） as half-width (); writers and
 * PDF tools mix bracket kinds too. The detectors fold every bracket to one pair
 * (foldLookalikes), so a marker, a 发文字号 or a secrecy mark written with half-width, 【],
 * mixed or look-alike brackets is found exactly as the canonical one — in text from a text
 * layer and in text from OCR — while ordinary text in brackets stays what it is. The text
 * itself is never rewritten: findings quote it as it was read.
 */

const require = createRequire(import.meta.url);
const FONT = path.join(path.dirname(require.resolve('@expo-google-fonts/noto-serif-sc/package.json')), '400Regular', 'NotoSerifSC_400Regular.ttf');

/** A one-page PDF whose text layer holds the lines. */
async function textLayerPdf(lines: readonly string[]): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', margin: 72 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.registerFont('serif', FONT);
  doc.font('serif').fontSize(14);
  for (const l of lines) doc.text(l);
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

/** The text the rulebook gets from each source for the same lines. */
async function sources(lines: readonly string[]): Promise<Record<'text layer' | 'OCR', string>> {
  const layer = await extractDocument(await textLayerPdf(lines));
  const ocr = mergeOcr({ totalPages: 1, recognised: [{ page: 1, text: lines.join('\n'), confidence: 0.95 }], threshold: 0.9 });
  return { 'text layer': layer.text, OCR: ocr.text };
}

const HEAD = ['古县人民政府办公室', '关于做好政务公开有关工作的通知'];
const BODY = ['各乡镇人民政府，县直各有关单位：', '现将有关事项通知如下，请认真贯彻执行。', '古县人民政府办公室', '2022年6月9日'];
const form = (over: Partial<DeclarationForm> = {}) =>
  formOf({
    title: '古县人民政府办公室关于做好政务公开有关工作的通知',
    documentNumber: '古政办发〔2022〕30号',
    documentDate: '2022-06-09',
    attribute: '主动公开',
    ...over,
  });

/** What the rulebook says, without what differs only in the quoted text (positions, the quotation itself). */
const verdict = (findings: readonly Finding[]) =>
  findings
    .filter((f) => f.ruleId.startsWith('ATTR-'))
    .map((f) => `${f.ruleId}:${f.severity}`)
    .sort();

const MARKER_FORMS = [
  '（此件不予公开）',
  '(此件不予公开)',
  '【此件不予公开]',
  '（此件不予公开)',
  '(此件不予公开）',
  '[此件不予公开〕',
  '〔此件不予公开】',
  '〖此件不予公开〗',
  '﹝此件不予公开﹞',
];
const NUMBER_FORMS = [
  '古政办发〔2022〕30号',
  '古政办发【2022]30号',
  '古政办发(2022)30号',
  '古政办发（2022）30号',
  '古政办发[2022】30号',
  '古政办发〖2022〗30号',
  '古政办发〔2022)30号',
];
const SECRECY_FORMS = ['秘密★1年', '【秘密★1年]', '(秘密★1年)', '〖秘密★1年〗', '（密级：秘密）'];

describe('foldLookalikes folds every bracket to one pair, and nothing else', () => {
  it('keeps length and offsets; quotation brackets and title marks are not brackets', () => {
    const s = '（）()【】［］[]〔〕〖〗〘〙〚〛﹝﹞﹙﹚{}｛｝⦅⦆｟｠「」『』《》〈〉';
    const f = foldLookalikes(s);
    expect(f.length).toBe(s.length);
    expect(f).toBe('()'.repeat(15) + '「」『』《》〈〉');
  });
});

describe('a disclosure marker in any brackets', () => {
  let texts: Record<string, Record<'text layer' | 'OCR', string>>;
  beforeAll(async () => {
    texts = Object.fromEntries(await Promise.all(MARKER_FORMS.map(async (m) => [m, await sources([...HEAD, ...BODY, m])] as const)));
  }, 60_000);

  it('is the same marker, quoted as written, and blocks a 主动公开 declaration the same way (ATTR-4)', () => {
    const canonical = texts['（此件不予公开）']!['text layer'];
    const want = verdict(evaluate({ form: form(), document: { text: canonical } }, 'all'));
    expect(want).toContain('ATTR-4:block');
    for (const written of MARKER_FORMS) {
      for (const [source, text] of Object.entries(texts[written]!)) {
        const markers = findMarkers(text);
        expect(
          markers.map((m) => m.kind),
          `${written} from ${source}`,
        ).toEqual(['not-public']);
        // The finding quotes the text as read: folding is for detection only.
        expect(markers[0]!.text.replace(/\s/g, '')).toBe(written);
        expect(verdict(evaluate({ form: form(), document: { text } }, 'all')), `${written} from ${source}`).toEqual(want);
      }
    }
  });

  it('and the text from OCR is kept as it was read (no bracket rewritten)', () => {
    expect(texts['【此件不予公开]']!.OCR).toContain('【此件不予公开]');
  });
});

describe('a 发文字号 in any brackets', () => {
  let texts: Record<string, Record<'text layer' | 'OCR', string>>;
  beforeAll(async () => {
    texts = Object.fromEntries(await Promise.all(NUMBER_FORMS.map(async (n) => [n, await sources([n, ...HEAD, ...BODY, '（此件公开发布）'])] as const)));
  }, 60_000);

  it('is the document’s own number, matching the declared one (no ATTR finding about the number)', () => {
    const canonical = texts['古政办发〔2022〕30号']!['text layer'];
    const want = verdict(evaluate({ form: form(), document: { text: canonical } }, 'all'));
    // Declared another number, the canonical text is told apart: the comparison is real.
    expect(verdict(evaluate({ form: form({ documentNumber: '古政办发〔2022〕31号' }), document: { text: canonical } }, 'all'))).not.toEqual(want);
    for (const written of NUMBER_FORMS) {
      for (const [source, text] of Object.entries(texts[written]!)) {
        expect(
          findDocumentNumbers(text).map((n) => n.canonical),
          `${written} from ${source}`,
        ).toEqual(['古政办发〔2022〕30号']);
        expect(ownDocumentNumber(text)?.canonical, `${written} from ${source}`).toBe('古政办发〔2022〕30号');
        expect(verdict(evaluate({ form: form(), document: { text } }, 'all')), `${written} from ${source}`).toEqual(want);
      }
    }
    // Recognised text is not rewritten: the number stays as the scan was read.
    expect(texts['古政办发【2022]30号']!.OCR).toContain('古政办发【2022]30号');
  });
});

describe('a secrecy mark in any brackets', () => {
  let texts: Record<string, Record<'text layer' | 'OCR', string>>;
  beforeAll(async () => {
    texts = Object.fromEntries(await Promise.all(SECRECY_FORMS.map(async (s) => [s, await sources([s, ...HEAD, ...BODY])] as const)));
  }, 60_000);

  it('is found and blocks publication the same way (ATTR-5)', () => {
    const want = verdict(evaluate({ form: form(), document: { text: texts['秘密★1年']!['text layer'] } }, 'all'));
    expect(want).toContain('ATTR-5:block');
    for (const written of SECRECY_FORMS) {
      for (const [source, text] of Object.entries(texts[written]!)) {
        expect(
          findMarkers(text).map((m) => m.kind),
          `${written} from ${source}`,
        ).toEqual(['secret']);
        expect(verdict(evaluate({ form: form(), document: { text } }, 'all')), `${written} from ${source}`).toEqual(want);
      }
    }
  });

  it('a bare level in a header line, in any brackets, is a mark (【机密】, 〖机密〗, (机密])', () => {
    for (const written of ['机密', '【机密】', '〖机密〗', '(机密]']) {
      expect(
        findMarkers(`${written}\n${HEAD.join('\n')}`).map((m) => m.kind),
        written,
      ).toEqual(['confidential']);
    }
  });
});

describe('ordinary text in brackets', () => {
  const ordinary = [
    '（一）工作目标。到2022年底，基本建成标准目录。',
    '依据《中华人民共和国政府信息公开条例》（2019年修订）第十条办理。',
    '见附件（2022）。【通知】2022年的工作安排如下。',
    '（2020）晋0802民初12号判决书已生效。',
    '联系电话：（0351）（工作日）。',
    '[1] 参见2021年报告【第三部分】。',
    '(此件不予公开的理由另见说明)',
    '防止依申请公开、不予公开属性的滥用（此项工作由办公室负责）。',
    '涉及商业秘密（第三方）的信息不予公开。',
    '【秘密】一词在条例中的含义（第十四条）。',
  ];

  it('yields no marker, no possible secrecy mark and no document number', () => {
    const text = ['标题', ...HEAD, ...BODY, ...ordinary].join('\n');
    for (const t of [text, ...ordinary]) {
      expect(findMarkers(t), t).toEqual([]);
      expect(findPossibleSecrecyMarks(t), t).toEqual([]);
      expect(findDocumentNumbers(t), t).toEqual([]);
    }
  });
});
