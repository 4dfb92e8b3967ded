import type { Context, SQSRecord } from 'aws-lambda';
import { readJson, readText, writeObject } from '#shared/blobs';
import { extractedKey, ocrPagesKey, pageImageKey, PART_LABELS, SYSTEM, type Draft, type Part, type StoredFile } from '#shared/domain/draft';
import { blocks, type Finding } from '#shared/domain/finding';
import { ConflictError } from '#shared/errors';
// Not '#shared/extract/index': that loads pdf.js (text extraction), which runs only in the OCR child here.
import { ExtractionError, extractionErrors } from '#shared/extract/errors';
import { EXTRACT_LIMITS } from '#shared/extract/limits';
import { isImageKind } from '#shared/extract/sniff';
import { mergeOcr, OCR_LIMITS, ocrRunBudget, type RecognisedPage } from '#shared/extract/ocr';
import { ocrIsolated } from '#shared/extract/ocr-isolated';
import { pageRanges } from '#shared/page-ranges';
import { log } from '#shared/log';
import { DraftMessage, sendMessage } from '#shared/messages';
import { readPinned } from '#shared/pin';
import { FILE_RULE, OCR_RULE } from '#shared/rules/index';
import { sqsStage } from '#shared/sqs-stage';
import { amend, findDraft, transition } from '#shared/store';

/**
 * The OCR stage (issue 14): the pages of a draft's files that have no text layer (scans) and
 * its image uploads are recognised in a child process (shared/extract/ocr-isolated.ts), merged
 * in page order with the text layer, and written where the extract stage writes text; the file
 * records which pages were read by OCR, by which engine, with what confidence. Pages to check
 * (low confidence, nothing found) are findings for the drafter (FILE-2); a file on which OCR
 * found nothing is refused (FILE-1). Then the draft goes on to the rulebook as any other.
 */

const finding = (rule: typeof FILE_RULE | typeof OCR_RULE, part: Part, severity: Finding['severity'], zh: string, en: string): Finding => ({
  ruleId: rule.id,
  severity,
  source: rule.source,
  zh: `${PART_LABELS[part]}：${zh}`,
  en: `${part}: ${en}`,
  evidence: [{ in: part }],
});

/** Low-confidence pages listed one by one up to this many; the rest in one finding (the draft item stays small). */
const LISTED_ONE_BY_ONE = 20;

function ocrFindings(part: Part, engine: string, threshold: number, merged: ReturnType<typeof mergeOcr>, totalPages: number): Finding[] {
  const read = merged.pages.map((p) => p.page);
  const mean = merged.pages.length ? merged.pages.reduce((s, p) => s + p.confidence, 0) / merged.pages.length : 0;
  const all = read.length === totalPages;
  const out: Finding[] = [
    finding(
      OCR_RULE,
      part,
      'info',
      `${all ? '全部页面' : `第 ${pageRanges(read)} 页`}没有文字层（扫描件或图片），文字由 OCR 识别（${engine}，平均置信度 ${mean.toFixed(2)}），请对照原件核对识别文字。`,
      `${all ? 'every page' : `page(s) ${pageRanges(read, ', ')}`} had no text layer (a scan or an image); the text was recognised by OCR (${engine}, mean confidence ${mean.toFixed(2)}); check it against the original.`,
    ),
  ];
  const low = merged.lowConfidence;
  for (const p of low.slice(0, LISTED_ONE_BY_ONE)) {
    out.push(
      finding(
        OCR_RULE,
        part,
        'warn',
        `第 ${p.page} 页识别置信度低（${p.confidence.toFixed(2)}，低于 ${threshold.toFixed(2)}），请核对。`,
        `please check page ${p.page} — OCR confidence ${p.confidence.toFixed(2)} (below ${threshold.toFixed(2)})`,
      ),
    );
  }
  if (low.length > LISTED_ONE_BY_ONE) {
    const rest = low.slice(LISTED_ONE_BY_ONE).map((p) => p.page);
    out.push(
      finding(
        OCR_RULE,
        part,
        'warn',
        `另有第 ${pageRanges(rest)} 页识别置信度低（低于 ${threshold.toFixed(2)}），请核对。`,
        `please check also page(s) ${pageRanges(rest, ', ')} — OCR confidence below ${threshold.toFixed(2)}`,
      ),
    );
  }
  if (merged.blank.length) {
    out.push(
      finding(
        OCR_RULE,
        part,
        'warn',
        `第 ${pageRanges(merged.blank)} 页识别后没有任何文字（空白页、图片或无法辨认），请核对原件是否缺页或扫描不清。`,
        `page(s) ${pageRanges(merged.blank, ', ')}: no text after OCR (a blank page, a picture, or illegible); check that no page is missing or unreadable.`,
      ),
    );
  }
  return out;
}

type PartOutcome =
  /** Every page read: the file's text written, what the drafter is told. */
  | { readonly done: true; readonly file: StoredFile; readonly findings: Finding[] }
  /** The run's budget spent: the pages read so far are kept, the rest are read by the next run. */
  | { readonly done: false; readonly file: StoredFile; readonly read: number };

/** The recognised pages kept so far (JSON under ocrPagesKey), by page. */
async function recognisedSoFar(draft: Draft, part: Part): Promise<Map<number, RecognisedPage>> {
  const kept = (await readJson<RecognisedPage[]>('drafts', ocrPagesKey(draft.id, draft.revision, part))) ?? [];
  return new Map(kept.map((p) => [p.page, p]));
}

/** Recognises one file's pending pages for at most `budgetMs`; returns the updated file record and, once all are read, what was found about it. */
async function ocrPart(draft: Draft, part: Part, file: StoredFile, budgetMs: number): Promise<PartOutcome> {
  const pending = file.ocr?.pending ?? [];
  const { pending: _done, pagesKey: _kept, ...record } = file.ocr ?? {};
  const refused = (err: ExtractionError): PartOutcome => ({ done: true, file: { ...file, ocr: record }, findings: [finding(FILE_RULE, part, 'block', err.zh, err.en)] });
  if (pending.length > OCR_LIMITS.pages) return refused(extractionErrors.tooManyScannedPages(pending.length, OCR_LIMITS.pages));
  const image = file.kind !== undefined && isImageKind(file.kind);
  const bytes = await readPinned(file);
  try {
    const result = await ocrIsolated({ kind: image ? 'image' : 'pdf', bytes, pages: pending, imageWidth: OCR_LIMITS.pageImageWidth, budgetMs });
    const sofar = await recognisedSoFar(draft, part);
    for (const p of result.pages) sofar.set(p.page, { page: p.page, text: p.text, confidence: p.confidence });
    const recognised = [...sofar.values()].sort((a, b) => a.page - b.page);
    await Promise.all([
      // The pages read so far (a run that ends before the next keeps them), and the console's page images (under the draft's extracted/ prefix: purged with it).
      writeObject('drafts', ocrPagesKey(draft.id, draft.revision, part), JSON.stringify(recognised), 'application/json'),
      ...result.images.map((i) => writeObject('drafts', pageImageKey(draft.id, draft.revision, part, i.page), i.png, 'image/png')),
    ]);
    log.info('ocr read', { part, pages: result.pages.length, remaining: result.remaining.length, engine: result.engine, peakRssMb: result.peakRssMb });
    if (result.remaining.length > 0) {
      return {
        done: false,
        file: { ...file, ocr: { ...file.ocr, pending: [...result.remaining], engine: result.engine, threshold: result.threshold } },
        read: result.pages.length,
      };
    }
    const pageTexts = file.ocr?.pagesKey ? (JSON.parse(await readText('drafts', file.ocr.pagesKey)) as string[]) : undefined;
    // The child's count (it opened the file); the extract stage's record where it has one.
    const totalPages = result.totalPages || file.pages || 1;
    const merged = mergeOcr({ totalPages, ...(pageTexts ? { pageTexts } : {}), recognised, threshold: result.threshold });
    if (merged.text === '') return refused(extractionErrors.scanned(totalPages));
    if (merged.rawText.length > EXTRACT_LIMITS.textChars) return refused(extractionErrors.textTooLong(merged.rawText.length, EXTRACT_LIMITS.textChars));
    const rawTextKey = extractedKey(draft.id, draft.revision, part, 'raw');
    const textKey = extractedKey(draft.id, draft.revision, part, 'normalised');
    await Promise.all([writeObject('drafts', rawTextKey, merged.rawText, 'text/plain; charset=utf-8'), writeObject('drafts', textKey, merged.text, 'text/plain; charset=utf-8')]);
    return {
      done: true,
      file: { ...file, chars: merged.chars, rawTextKey, textKey, ocr: { engine: result.engine, pages: [...merged.pages], threshold: result.threshold } },
      findings: ocrFindings(part, result.engine, result.threshold, merged, totalPages),
    };
  } catch (err) {
    if (err instanceof ExtractionError) return refused(err);
    throw err;
  }
}

const pendingParts = (d: Draft) => (Object.entries(d.files) as [Part, StoredFile | undefined][]).filter((e): e is [Part, StoredFile] => (e[1]?.ocr?.pending?.length ?? 0) > 0);

/**
 * Reads a draft's pending pages for at most `budgetMs` (OCR_LIMITS.runBudgetMs). When pages
 * are left, the pages read are recorded and the stage sends itself the draft again; when all
 * are read, the draft goes on to the rulebook (or is rejected with its reason).
 */
export async function ocrDraft(draftId: string, revision?: number, budgetMs: number = OCR_LIMITS.runBudgetMs): Promise<void> {
  let draft = await findDraft(draftId);
  if (!draft || draft.status !== 'EXTRACTING') return; // unknown, or a repeated message
  if (revision !== undefined && revision !== draft.revision) return; // a message of another revision
  const parts = pendingParts(draft);
  if (parts.length === 0) return; // read already (a repeated message), or nothing to read
  const started = Date.now();
  // One file at a time: the child process is the largest thing in memory.
  const results: { part: Part; outcome: PartOutcome }[] = [];
  for (const [part, file] of parts) {
    const left = budgetMs - (Date.now() - started);
    if (left <= 0) break;
    results.push({ part, outcome: await ocrPart(draft, part, file, left) });
  }
  const unfinished = parts.length > results.length || results.some((r) => !r.outcome.done);

  // The draft may have changed meanwhile (an upload noted as ignored): the recognised text is applied to it as it now is.
  for (let attempt = 0; ; attempt++) {
    const files = { ...draft.files, ...Object.fromEntries(results.map((r) => [r.part, r.outcome.file])) } as Draft['files'];
    const findings = [...draft.findings, ...results.flatMap((r) => (r.outcome.done ? r.outcome.findings : []))];
    try {
      if (blocks(findings)) {
        const note = findings
          .filter((f) => f.severity === 'block')
          .map((f) => f.zh)
          .join('；');
        await transition(draft, 'REJECTED', { files, findings }, { actor: SYSTEM, event: 'FILE_REJECTED', note });
        return;
      }
      if (unfinished) {
        const left = pendingParts({ ...draft, files });
        const note = left.map(([part, f]) => `${PART_LABELS[part]}尚有第 ${pageRanges(f.ocr!.pending!)} 页待识别`).join('；');
        const next = await amend(draft, { files, findings }, { actor: SYSTEM, event: 'OCR_PROGRESS', note: `OCR 分批识别：${note} / OCR in batches: pages left` });
        await sendMessage('ocr', { draftId: next.id, revision: next.revision });
        return;
      }
      const read = results.map((r) => `${PART_LABELS[r.part]}第 ${pageRanges(r.outcome.file.ocr?.pages?.map((p) => p.page) ?? [])} 页`).join('；');
      const next = await transition(draft, 'CHECKING', { files, findings }, { actor: SYSTEM, event: 'EXTRACTED', note: `OCR 识别：${read}` });
      await sendMessage('check', { draftId: next.id, revision: next.revision });
      return;
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 2) throw err;
      const fresh = await findDraft(draftId);
      if (!fresh || fresh.status !== 'EXTRACTING' || fresh.revision !== draft.revision || pendingParts(fresh).length === 0) return; // another delivery finished it
      draft = fresh;
    }
  }
}

export const processRecord = async (record: SQSRecord, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<void> => {
  const { draftId, revision } = DraftMessage.parse(JSON.parse(record.body));
  // The run's budget follows the time the invocation has left (a batch's later records have less).
  await ocrDraft(draftId, revision, context ? ocrRunBudget(context.getRemainingTimeInMillis()) : OCR_LIMITS.runBudgetMs);
};

export const handler = sqsStage('ocr-document', processRecord);
