/**
 * The OCR stage's domain (issue 14): its limits, and how recognised pages are merged with a
 * PDF's text layer. Pure: pages in, the file's text and what the drafter must check out.
 */
import { normaliseText } from './normalise.ts';

/**
 * Limits of one file's recognition, inside ocr-document's 900 s and 3,008 MB. A run reads
 * pages for at most `runBudgetMs` and leaves the rest to the next run, so the length of a scan
 * is bounded only by the page limit. The engine's native allocations (onnxruntime, sharp) are
 * outside the V8 heap, so the child process that runs it is bounded by its resident memory as
 * well as by its heap.
 */
export const OCR_LIMITS = Object.freeze({
  /** Pages without a text layer recognised for one file (a PDF has at most EXTRACT_LIMITS.pdfPages). */
  pages: 1_000,
  /** Pages per call to the engine: a call's answer (texts and page images) stays small, progress is checked between calls. */
  pagesPerCall: 8,
  /**
   * Time after which one run starts no more calls: the pages left are read by the next run
   * (a message the stage sends itself), so a 400-page scan is read over several runs, each
   * inside the function's 900 s.
   */
  runBudgetMs: 540_000,
  /** Time a run keeps, after it starts its last call, for that call and the writes that follow (the function's 900 s − runBudgetMs). */
  runReserveMs: 360_000,
  /** Wall-clock limit of one run's child process: a call (8 pages) that has not answered by then is a scan too complex to read. */
  timeMs: 780_000,
  /** Resident memory of the OCR child process (V8 heap and the engine's native memory). */
  rssMb: 2_048,
  /** V8 old-generation heap of the OCR child process. */
  heapMb: 1_024,
  /** Width of the page images kept for the console (px). */
  pageImageWidth: 1_000,
});

/**
 * How long one run may start calls: runBudgetMs, or less when the invocation has less time
 * left than runBudgetMs + runReserveMs (Lambda's getRemainingTimeInMillis). Never under 1 ms,
 * so every run reads at least one call's pages and a long scan always moves on.
 */
export function ocrRunBudget(remainingMs: number): number {
  return Math.max(1, Math.min(OCR_LIMITS.runBudgetMs, remainingMs - OCR_LIMITS.runReserveMs));
}

/** One recognised page as the engine gives it (shared/ocr `OcrPage`, without its size). */
export interface RecognisedPage {
  readonly page: number;
  readonly text: string;
  readonly confidence: number;
}

export interface OcrMerge {
  /** Every page's text in page order: the text layer where there is one, else the recognised text; pages separated by a blank line. */
  readonly rawText: string;
  readonly text: string;
  readonly chars: number;
  /** The pages read by OCR, with the engine's confidence and the characters recognised. */
  readonly pages: readonly { page: number; confidence: number; chars: number }[];
  /** Recognised pages with text below the threshold: listed for the drafter to check. */
  readonly lowConfidence: readonly { page: number; confidence: number }[];
  /** Recognised pages on which no text was found (blank, a photo): listed, never silently dropped. */
  readonly blank: readonly number[];
}

const nonBlank = (s: string): number => [...s.replace(/\s/gu, '')].length;

/**
 * Merges the recognised pages into the file's text. `pageTexts` is a PDF's text layer per page
 * ('' where a page is recognised); for an image it is absent (its one page is the recognised one).
 * A recognised page's confidence is kept to two decimals.
 */
export function mergeOcr(input: {
  readonly totalPages: number;
  readonly pageTexts?: readonly string[];
  readonly recognised: readonly RecognisedPage[];
  readonly threshold: number;
}): OcrMerge {
  const byPage = new Map(input.recognised.map((p) => [p.page, p]));
  const texts: string[] = [];
  for (let n = 1; n <= input.totalPages; n++) {
    const ocr = byPage.get(n);
    // The recognised text as the engine read it: a 发文字号 read as 古政办发【2022]30号 or a marker read
    // as (此件不予公开) stays so (it is what the scan was read as); the detectors fold brackets
    // themselves (shared/rules/detect/scan.ts foldLookalikes), so the rulebook finds them all the same.
    const t = ocr ? ocr.text.trim() : (input.pageTexts?.[n - 1] ?? '');
    if (t !== '') texts.push(t);
  }
  const rawText = texts.join('\n\n');
  const text = normaliseText(rawText);
  const pages = [...byPage.values()].sort((a, b) => a.page - b.page).map((p) => ({ page: p.page, confidence: Math.round(p.confidence * 100) / 100, chars: nonBlank(p.text) }));
  return {
    rawText,
    text,
    chars: [...text].length,
    pages,
    lowConfidence: pages.filter((p) => p.chars > 0 && p.confidence < input.threshold).map((p) => ({ page: p.page, confidence: p.confidence })),
    blank: pages.filter((p) => p.chars === 0).map((p) => p.page),
  };
}
