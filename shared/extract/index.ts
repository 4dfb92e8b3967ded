/**
 * Text extraction for uploaded drafts: PDF (pdf-parse / pdf.js), Word .docx (mammoth) and
 * UTF-8 plain text. Pure of AWS: bytes in, text or an ExtractionError out. A PDF's pages
 * without a text layer and images (PNG, JPEG, TIFF) are named in `ocrPages`: the OCR stage
 * recognises them (functions/ocr-document.ts) and merges its text in page order (ocr.ts).
 *
 * The kind is decided by the bytes, never by the file name; the declared name only adds a
 * warning when it disagrees. Every failure is an ExtractionError with a Chinese message
 * and an English gloss saying what is wrong and what to do.
 */
import { extractDocx } from './docx.ts';
import { extractionErrors, ExtractionError } from './errors.ts';
import { EXTRACT_LIMITS } from './limits.ts';
import { normaliseText } from './normalise.ts';
import { extractPdf } from './pdf.ts';
import { EXTENSIONS, extensionOf, isImageKind, MEDIA_TYPES, sniff, type FileKind } from './sniff.ts';
import type { Bilingual } from '../errors.ts';

export { ACCEPTED_TYPES, ExtractionError, ExtractionErrorCode, extractionErrors } from './errors.ts';
export { EXTRACT_LIMITS } from './limits.ts';
export { nativePush } from './builtins.ts';
export { compactText, containsPhrase, foldFullWidthAlnum, normaliseText } from './normalise.ts';
export { MIN_CHARS_PER_TEXT_PAGE, PDF_CMAP_DIR_ENV, pdfCMapDir } from './pdf.ts';
export { EXTENSIONS, extensionOf, FileKind, isImageKind, MEDIA_TYPES, sniff, sniffKind, type ImageKind, type Sniffed } from './sniff.ts';

export interface Extraction {
  kind: FileKind;
  /** 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/plain', 'image/png', 'image/jpeg' or 'image/tiff'. */
  mediaType: string;
  /** PDF only. */
  pages?: number;
  /**
   * Pages (1-based, ascending) whose text is still to be recognised by OCR: a PDF's pages
   * without a text layer, or [1] for an image. Absent when the text is complete. While
   * present, `rawText` holds only the text-layer pages (and may be empty).
   */
  ocrPages?: number[];
  /** A PDF with `ocrPages`: every page's text-layer text in page order, '' for the pages to recognise (the OCR stage merges into it). */
  pageTexts?: string[];
  /** The text as the extractor gave it (PDF: one line per visual line, pages separated by a blank line; DOCX: mammoth's raw text, each paragraph followed by "\n\n"; text: the file without a BOM). */
  rawText: string;
  /** normaliseText(rawText); match phrases with compactText. */
  text: string;
  /** Number of characters (code points) in `text`. */
  chars: number;
  /** Notes for the drafter, in Chinese with an English gloss, about things that did not stop extraction. */
  warnings: Bilingual[];
}

export interface ExtractOptions {
  /** Reject larger inputs with TOO_LARGE. Default DEFAULT_MAX_BYTES. */
  maxBytes?: number;
  /** The name the uploader gave the file; only used to warn when its extension disagrees with the content. */
  declaredName?: string;
  /** pdf.js' CMap directory, when the deployment ships one (the handler reads PDF_CMAP_DIR); else the installed pdfjs-dist/cmaps. */
  cmapDir?: string;
}

/** 20 MiB. */
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

const KIND_LABEL: Record<FileKind, { zh: string; en: string }> = {
  pdf: { zh: 'PDF', en: 'PDF' },
  docx: { zh: 'Word（.docx）', en: 'Word (.docx)' },
  text: { zh: '纯文本', en: 'plain text' },
  png: { zh: 'PNG 图片', en: 'PNG image' },
  jpeg: { zh: 'JPEG 图片', en: 'JPEG image' },
  tiff: { zh: 'TIFF 图片', en: 'TIFF image' },
};

function nameWarning(kind: FileKind, declaredName: string | undefined): Bilingual | undefined {
  if (declaredName === undefined) return undefined;
  const ext = extensionOf(declaredName);
  if (ext === undefined || EXTENSIONS[kind].includes(ext)) return undefined;
  const label = KIND_LABEL[kind];
  const expected = EXTENSIONS[kind][0] ?? kind;
  return {
    zh: `文件名“${declaredName}”的扩展名 .${ext} 与文件内容不符：内容实际是 ${label.zh}，已按 ${label.zh} 提取。请核对是否上传了正确的文件，今后请使用 .${expected} 扩展名。`,
    en: `The name "${declaredName}" says .${ext} but the content is ${label.en}; it was extracted as ${label.en}. Check that this is the intended file and name it .${expected}.`,
  };
}

interface ByKind {
  rawText: string;
  pages?: number;
  warnings: Bilingual[];
  ocrPages?: number[];
  pageTexts?: string[];
}

async function extractByKind(kind: FileKind, bytes: Uint8Array, options: ExtractOptions): Promise<ByKind> {
  switch (kind) {
    case 'pdf': {
      const pdf = await extractPdf(bytes, options.cmapDir);
      return { rawText: pdf.rawText, pages: pdf.pages, warnings: pdf.warnings, ...(pdf.textless.length ? { ocrPages: pdf.textless, pageTexts: pdf.pageTexts ?? [] } : {}) };
    }
    case 'png':
    case 'jpeg':
    case 'tiff':
      // Read by the OCR stage, which decodes it (and refuses one it cannot, or one too large to decode).
      return { rawText: '', pages: 1, warnings: [], ocrPages: [1] };
    case 'docx':
      return extractDocx(bytes);
    case 'text': {
      const rawText = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
      return { rawText, warnings: [] };
    }
  }
}

/**
 * Extract the text of an uploaded document. Throws ExtractionError (and only that):
 * TOO_LARGE, EMPTY, UNSUPPORTED_TYPE, ENCRYPTED, DAMAGED. Pages to recognise are named in
 * `ocrPages`, never refused.
 */
export async function extractDocument(bytes: Uint8Array, options: ExtractOptions = {}): Promise<Extraction> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.byteLength > maxBytes) throw extractionErrors.tooLarge(bytes.byteLength, maxBytes);
  if (bytes.byteLength === 0) throw extractionErrors.empty();

  const sniffed = sniff(bytes);
  if (sniffed.kind === undefined) {
    if (sniffed.encryptedOffice) throw extractionErrors.encrypted('Word');
    throw extractionErrors.unsupported(sniffed.what);
  }
  const kind = sniffed.kind;

  let extracted: ByKind;
  try {
    extracted = await extractByKind(kind, bytes, options);
  } catch (err) {
    if (err instanceof ExtractionError) throw err;
    // Never let a raw library error escape: it becomes a clear DAMAGED with the original as cause.
    throw extractionErrors.damaged(kind === 'docx' ? 'Word' : kind === 'pdf' ? 'PDF' : isImageKind(kind) ? 'image' : 'text', undefined, err);
  }

  if (extracted.rawText.length > EXTRACT_LIMITS.textChars) throw extractionErrors.textTooLong(extracted.rawText.length, EXTRACT_LIMITS.textChars);
  const text = normaliseText(extracted.rawText);
  // Text still to come from OCR: an empty text layer is no verdict yet (the OCR stage refuses a document with no text at all).
  if (text === '' && extracted.ocrPages === undefined) throw extractionErrors.empty();

  const warnings = [...extracted.warnings];
  const fromName = nameWarning(kind, options.declaredName);
  if (fromName !== undefined) warnings.unshift(fromName);

  const extraction: Extraction = {
    kind,
    mediaType: MEDIA_TYPES[kind],
    rawText: extracted.rawText,
    text,
    chars: [...text].length,
    warnings,
  };
  if (extracted.pages !== undefined) extraction.pages = extracted.pages;
  if (extracted.ocrPages !== undefined) {
    extraction.ocrPages = extracted.ocrPages;
    if (extracted.pageTexts !== undefined) extraction.pageTexts = extracted.pageTexts;
  }
  return extraction;
}
