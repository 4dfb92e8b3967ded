/**
 * Limits of one extraction, chosen from the corpus with room to spare: `large_199p.docx`
 * (199 pages) gives about 130,000 characters, so 2,000,000 characters is some 3,000 pages of
 * dense text; no document a county issues has 1,000 PDF pages. The time and heap limits are
 * those of the worker that extracts (see isolated.ts), well inside the extract function's
 * 120 s and 1,024 MB, so the function is left time and memory to record the rejection.
 */
export const EXTRACT_LIMITS = Object.freeze({
  /** Characters of extracted text (UTF-16 code units of the raw text). */
  textChars: 2_000_000,
  /** Pages of a PDF, read from its page tree before any page is parsed. */
  pdfPages: 1_000,
  /** Wall-clock time of one file's extraction. */
  timeMs: 60_000,
  /** V8 old-generation heap of the extraction worker. */
  heapMb: 512,
});
