/**
 * PDF text through pdf-parse 2 (pdf.js underneath).
 *
 * - `getText({ pageJoiner: '' })`: the default joiner appends a "-- N of M --" line after
 *   every page (it once split a document number). With '' pages are separated by "\n\n".
 * - `cMapUrl` + `cMapPacked: true`: older PDFs with non-embedded CJK fonts (SimSun,
 *   GBK-EUC-H, no ToUnicode) need Adobe's predefined CMaps; without them pdf.js returns
 *   EMPTY text and no error (pdf-variants/gbk_nonembedded.pdf).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFParse, restoreNativeBuiltins } from './pdfjs.ts';
import { EXTRACT_LIMITS } from './limits.ts';
import { extractionErrors, ExtractionError } from './errors.ts';
import type { Bilingual } from '../errors.ts';

import { PDF_CMAP_DIR_ENV } from './cmap-env.ts';

export { PDF_CMAP_DIR_ENV };

const withSlash = (dir: string): string => (dir.endsWith('/') || dir.endsWith(path.sep) ? dir : `${dir}/`);

let installedCMapDir: string | null | undefined;

/** pdfjs-dist's own cmaps/ folder, resolved from the installed package (null if not found). */
function installedPdfjsCMapDir(): string | null {
  if (installedCMapDir !== undefined) return installedCMapDir;
  installedCMapDir = null;
  const candidates: Array<() => string> = [
    () => path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'cmaps'),
    // A bundled Lambda ships the cmaps next to the handler.
    () => path.join(path.dirname(fileURLToPath(import.meta.url)), 'cmaps'),
  ];
  for (const candidate of candidates) {
    try {
      const dir = candidate();
      if (existsSync(dir)) {
        installedCMapDir = withSlash(dir);
        break;
      }
    } catch {
      // not resolvable in this layout (e.g. inside a bundle); try the next one
    }
  }
  return installedCMapDir;
}

/**
 * The CMap directory handed to pdf.js, with a trailing slash: the one configured (the
 * handler passes `$PDF_CMAP_DIR`, the folder the bundle ships), else pdfjs-dist/cmaps/ from
 * node_modules, else ./cmaps/ next to this module (bundle).
 */
export function pdfCMapDir(configured?: string): string | undefined {
  if (configured) return withSlash(configured);
  return installedPdfjsCMapDir() ?? undefined;
}

/** A page with fewer non-blank characters than this is treated as having no text layer: its text is recognised by OCR. */
export const MIN_CHARS_PER_TEXT_PAGE = 5;

export interface PdfText {
  readonly rawText: string;
  readonly pages: number;
  readonly warnings: Bilingual[];
  /** Pages (1-based, ascending) without a text layer: scans, images, blank pages. */
  readonly textless: number[];
  /** When some page is text-less: every page's text-layer text in page order ('' for the text-less ones). */
  readonly pageTexts?: string[];
}

const PDF_EOF = new TextEncoder().encode('%%EOF');

function hasEofMarker(bytes: Uint8Array): boolean {
  // Writers end the file with %%EOF (each incremental update too); readers accept it within
  // the last KiB. Without it the upload was most likely cut short. pdf.js would sometimes
  // recover such a file by scanning and silently return only some of the pages.
  const tail = bytes.subarray(Math.max(0, bytes.length - 1024));
  for (let i = tail.length - PDF_EOF.length; i >= 0; i--) {
    if (PDF_EOF.every((b, j) => tail[i + j] === b)) return true;
  }
  return false;
}

const nonBlankChars = (s: string): number => s.replace(/\s/gu, '').length;

function pdfError(err: unknown): ExtractionError {
  if (err instanceof ExtractionError) return err;
  const name = err instanceof Error ? err.name : '';
  if (name === 'PasswordException') return extractionErrors.encrypted('PDF', err);
  if (name === 'InvalidPDFException') return extractionErrors.damaged('PDF', { zh: '文件结构无效', en: 'invalid PDF structure' }, err);
  if (name === 'FormatError') return extractionErrors.damaged('PDF', { zh: '文件内容格式错误', en: 'malformed PDF content' }, err);
  return extractionErrors.damaged('PDF', undefined, err);
}

const checkedCMapDirs = new Map<string, boolean>();

/** True if `dir` holds pdf.js' packed CMaps (checked once per directory). */
function usableCMapDir(dir: string): boolean {
  let ok = checkedCMapDirs.get(dir);
  if (ok === undefined) {
    ok = existsSync(path.join(dir, 'UniGB-UCS2-H.bcmap'));
    checkedCMapDirs.set(dir, ok);
  }
  return ok;
}

export async function extractPdf(bytes: Uint8Array, cmapDir?: string): Promise<PdfText> {
  if (!hasEofMarker(bytes)) throw extractionErrors.damaged('PDF', { zh: '文件末尾缺少结束标记，可能上传不完整', en: 'no %%EOF at the end: the upload was probably cut short' });

  const warnings: Bilingual[] = [];
  const cMapUrl = pdfCMapDir(cmapDir);
  const cMapProblem = cMapUrl === undefined ? 'not found' : usableCMapDir(cMapUrl) ? undefined : `${cMapUrl} has no *.bcmap files`;
  if (cMapProblem !== undefined)
    warnings.push({
      zh: '未找到 PDF 字符映射表（CMap），使用非嵌入中文字体的旧式 PDF 可能提取不到文字。',
      en: `pdf.js CMaps ${cMapProblem} (set ${PDF_CMAP_DIR_ENV}); PDFs with non-embedded CJK fonts may extract no text.`,
    });

  // pdf.js may take ownership of (detach) a typed array it is given: pass a copy.
  // isEvalSupported: false — never compile code from an untrusted file (CVE-2024-4367 class).
  const parser = new PDFParse({ data: bytes.slice(), cMapUrl, cMapPacked: true, isEvalSupported: false });
  try {
    // The page count from the page tree, before any page is parsed: a 5,000-page PDF is refused, not read.
    const { total } = await parser.getInfo();
    if (total > EXTRACT_LIMITS.pdfPages) throw extractionErrors.tooManyPages(total, EXTRACT_LIMITS.pdfPages);
    const result = await parser.getText({ pageJoiner: '' });
    const pages = result.total;
    if (pages === 0) throw extractionErrors.empty();
    // Pages without a text layer are not refused: the OCR stage recognises them (issue 14).
    const textless = result.pages.filter((p) => nonBlankChars(p.text) < MIN_CHARS_PER_TEXT_PAGE).map((p) => p.num);
    if (textless.length === 0) return { rawText: result.text, pages, warnings, textless };
    const byNum = new Map(result.pages.map((p) => [p.num, p.text]));
    const skip = new Set(textless);
    const pageTexts = Array.from({ length: pages }, (_, i) => (skip.has(i + 1) ? '' : (byNum.get(i + 1) ?? '')));
    return { rawText: pageTexts.filter((t) => t !== '').join('\n\n'), pages, warnings, textless, pageTexts };
  } catch (err) {
    throw pdfError(err);
  } finally {
    await parser.destroy().catch(() => undefined);
    restoreNativeBuiltins();
  }
}
