import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import type { DeclarationForm } from '#shared/domain/form';
import { Finding } from '#shared/domain/finding';
import { normaliseText } from '#shared/extract/normalise';
import type { RuleContext } from '#shared/rules/index';
import { validForm } from './forms.ts';

/** The five real notices as drafts, and checks every rules test applies to its findings. */

const corpusUrl = process.env.GONGKAI_CORPUS
  ? pathToFileURL(process.env.GONGKAI_CORPUS.endsWith('/') ? process.env.GONGKAI_CORPUS : `${process.env.GONGKAI_CORPUS}/`)
  : new URL('../../../shared/corpus/', import.meta.url);

export const NOTICE_IDS = ['000_70017f665202e428', '001_635c498a68e213e6', '002_6bc38a5105b87f60', '003_947bd769dad19b2f', '004_a31f9dc5403041b8'] as const;
export type NoticeId = (typeof NOTICE_IDS)[number];

/** A notice's text as the check stage sees it: extracted, then normalised. */
export const noticeText = (id: NoticeId): string => normaliseText(readFileSync(new URL(`txt/${id}.txt`, corpusUrl), 'utf8'));

/** The sample interpretation of 004 (infra/local/samples), normalised. */
export const sampleInterpretation = (): string => normaliseText(readFileSync(new URL('../../infra/local/samples/004-interpretation.txt', import.meta.url), 'utf8'));

/** Each notice declared as it really is (title, number, type, date, policy or not). */
export const REAL_FORMS: Record<NoticeId, Partial<DeclarationForm>> = {
  '000_70017f665202e428': {},
  '001_635c498a68e213e6': {
    title: '李沧区人民政府办公室关于印发《青岛市李沧区全面推进基层政务公开标准化规范化工作方案》的通知',
    draftingUnit: '李沧区人民政府办公室',
    documentNumber: undefined,
    documentDate: '2020-06-11',
  },
  '002_6bc38a5105b87f60': {
    title: '古县人民政府办公室关于印发古县2022年政务公开工作要点的通知',
    draftingUnit: '古县人民政府办公室',
    documentNumber: '古政办发〔2022〕30号',
    documentDate: '2022-06-09',
  },
  '003_947bd769dad19b2f': {
    title: '尤溪县人民政府办公室关于印发尤溪县全面推进基层政务公开标准化规范化工作实施方案的通知',
    draftingUnit: '尤溪县人民政府办公室',
    documentNumber: '尤政办〔2020〕31号',
    documentDate: '2020-08-24',
  },
  '004_a31f9dc5403041b8': {
    title: '江西省人民政府办公厅关于全面推进基层政务公开标准化规范化的实施意见',
    draftingUnit: '江西省人民政府办公厅',
    documentNumber: '赣府厅发〔2020〕17号',
    documentType: '意见',
    documentDate: '2020-04-21',
    isPolicy: true,
    interpretation: { mode: 'attached', format: '文字' },
  },
};

/** A declaration as the check stage holds it (parsed, so defaults are applied). */
export const formOf = (over: Partial<DeclarationForm> = {}): DeclarationForm => {
  const form = { ...validForm(), ...over } as DeclarationForm;
  // An explicit undefined means "not declared": drop the key, as JSON would.
  for (const [k, v] of Object.entries(over)) if (v === undefined) delete (form as Record<string, unknown>)[k];
  return form;
};

/** The context the check stage builds for a real notice, declared with `over`. */
export const noticeDraft = (id: NoticeId, over: Partial<DeclarationForm> = {}): RuleContext => ({
  form: formOf({ ...REAL_FORMS[id], ...over }),
  document: { text: noticeText(id) },
  ...(id === '004_a31f9dc5403041b8' ? { interpretation: { text: sampleInterpretation() } } : {}),
});

/** Replaces the first occurrence of `from` in a notice's text (to build variants of real drafts). */
export const variant = (id: NoticeId, from: string, to: string): string => {
  const text = noticeText(id);
  expect(text).toContain(from);
  return normaliseText(text.replace(from, to));
};

/**
 * What every finding must satisfy: the Finding schema, a Chinese message with an ASCII
 * English gloss, and evidence whose positions point at the text it quotes, in the text
 * (or form field) it names.
 */
export function expectWellFormed(findings: readonly Finding[], ctx: RuleContext): void {
  for (const f of findings) {
    expect(Finding.safeParse(f).success).toBe(true);
    expect(f.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(f.en, f.en).toMatch(/^[\x20-\x7e]+$/);
    expect(f.source.length).toBeGreaterThan(2);
    for (const e of f.evidence ?? []) {
      if (e.start === undefined) continue;
      const source =
        e.in === 'document'
          ? ctx.document?.text
          : e.in === 'interpretation'
            ? ctx.interpretation?.text
            : e.in.startsWith('form.')
              ? String((ctx.form as Record<string, unknown>)[e.in.slice(5)] ?? '')
              : undefined;
      expect(source, `evidence in ${e.in}`).toBeDefined();
      expect(e.end).toBeGreaterThanOrEqual(e.start);
      expect(source!.slice(e.start, e.end)).toBe(e.text);
    }
  }
}
