/**
 * Extraction failures: one code per thing the drafter can act on, each with a message in
 * Chinese (for the drafter) and an English gloss (for operators and logs). Every message
 * says what is wrong AND what to do about it.
 */
import { DomainError } from '../errors.ts';

export type ExtractionErrorCode = 'UNSUPPORTED_TYPE' | 'ENCRYPTED' | 'DAMAGED' | 'SCANNED' | 'EMPTY' | 'TOO_LARGE' | 'TOO_COMPLEX' | 'UNSAFE';

export const ExtractionErrorCode: readonly ExtractionErrorCode[] = Object.freeze([
  'UNSUPPORTED_TYPE',
  'ENCRYPTED',
  'DAMAGED',
  'SCANNED',
  'EMPTY',
  'TOO_LARGE',
  'TOO_COMPLEX',
  'UNSAFE',
]);

/** One of the platform's bilingual errors (shared/errors.ts), with the code the drafter can act on. */
export class ExtractionError extends DomainError {
  readonly code: ExtractionErrorCode;
  constructor(code: ExtractionErrorCode, zh: string, en: string, options?: ErrorOptions) {
    super({ zh, en }, options);
    this.name = 'ExtractionError';
    this.code = code;
  }
}

/** The accepted types, as said to drafters. */
export const ACCEPTED_TYPES = {
  zh: 'PDF、Word（.docx）、纯文本（UTF-8 编码的 .txt）或扫描图片（PNG、JPEG、TIFF）',
  en: 'PDF, Word (.docx), plain text (UTF-8 .txt) or scanned images (PNG, JPEG, TIFF)',
} as const;

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/** Factories, so the wording lives in one place and tests can check every code. */
export const extractionErrors = {
  tooLarge: (size: number, max: number) =>
    new ExtractionError(
      'TOO_LARGE',
      `文件过大（${formatBytes(size)}），超过上限 ${formatBytes(max)}，无法处理。请压缩文件（例如去掉高分辨率图片）或拆分后重新上传。`,
      `The file is too large (${formatBytes(size)}, limit ${formatBytes(max)}); reduce it (e.g. remove high-resolution images) or split it, then upload again.`,
    ),
  empty: () =>
    new ExtractionError(
      'EMPTY',
      '文件是空的（没有任何文字内容）。请检查是否选错了文件，上传含有正文的文件。',
      'The file is empty (no text at all); check that you picked the right file and upload one with the document text.',
    ),
  unsupported: (what?: { zh: string; en: string }) =>
    new ExtractionError(
      'UNSUPPORTED_TYPE',
      `${what ? `${what.zh}。` : '无法识别的文件类型（按文件内容判断，而非文件名）。'}只接受 ${ACCEPTED_TYPES.zh}，请转换为上述格式后重新上传。`,
      `${what ? `${what.en}. ` : 'Unrecognised file type (judged by its content, not its name). '}Only ${ACCEPTED_TYPES.en} are accepted; convert the file and upload again.`,
    ),
  encrypted: (kind: 'PDF' | 'Word', cause?: unknown) =>
    new ExtractionError(
      'ENCRYPTED',
      `文件已加密（需要密码才能打开），无法提取文字。请取消密码保护，上传未加密的 ${kind} 版本。`,
      `The ${kind} file is password-protected; remove the password and upload an unencrypted copy.`,
      cause === undefined ? undefined : { cause },
    ),
  damaged: (kind: 'PDF' | 'Word' | 'text' | 'image', detail: { zh: string; en: string } | undefined, cause?: unknown) =>
    new ExtractionError(
      'DAMAGED',
      `${kind === 'text' ? '文本' : kind === 'image' ? '图片' : kind} 文件已损坏或不完整${detail ? `（${detail.zh}）` : ''}，无法读取。请用原软件重新打开并另存（或重新导出）后，再完整上传一次。`,
      `The ${kind} file is damaged or incomplete${detail ? ` (${detail.en})` : ''}; re-open it in the program that made it, save or export it again, and upload the whole file again.`,
      cause === undefined ? undefined : { cause },
    ),
  /** Content a reader should never process (XML entity declarations: XXE, billion laughs). */
  unsafe: (detail: { zh: string; en: string }) =>
    new ExtractionError(
      'UNSAFE',
      `文件含有不安全的内容（${detail.zh}），出于安全考虑不予处理。正常的 Word 文档不含此类内容：请在 Word/WPS 中打开原文件，“另存为”新的 .docx 后重新上传。`,
      `The file holds unsafe content (${detail.en}) and is refused for safety. Ordinary Word documents hold none: open the original in Word/WPS, save it as a new .docx and upload that.`,
    ),
  /** A ZIP whose entries would inflate past the limits (a zip bomb, or a header that lies). */
  inflatesTooLarge: (detail: { zh: string; en: string }) =>
    new ExtractionError(
      'TOO_LARGE',
      `Word 文件解压后过大（${detail.zh}），为保护系统不予处理。请删除文件中过大的内容（如嵌入的大文件、超长表格），或拆分后重新上传。`,
      `The Word file inflates too large (${detail.en}) and is refused to protect the system. Remove what is oversized (embedded files, very long tables) or split the document, then upload again.`,
    ),
  textTooLong: (chars: number, max: number) =>
    new ExtractionError(
      'TOO_LARGE',
      `文件正文过长（约 ${chars.toLocaleString('en-US')} 字符），超过上限 ${max.toLocaleString('en-US')} 字符，无法检查公开规则。请核对文件内容（是否误含大段重复文字或数据），或拆分为若干文件后重新上传。`,
      `The text is too long (about ${chars.toLocaleString('en-US')} characters, limit ${max.toLocaleString('en-US')}) to be checked; make sure the file holds no huge repeated text or data, or split it, then upload again.`,
    ),
  tooManyPages: (pages: number, max: number) =>
    new ExtractionError(
      'TOO_LARGE',
      `该 PDF 共 ${pages.toLocaleString('en-US')} 页，超过上限 ${max.toLocaleString('en-US')} 页，无法处理。请核对是否上传了正确的文件，或拆分后分别提交。`,
      `The PDF has ${pages.toLocaleString('en-US')} pages, over the ${max.toLocaleString('en-US')}-page limit; check that this is the intended file, or split it and submit the parts.`,
    ),
  /** Extraction ran out of its time or memory: the file is too complex to process safely. */
  tooComplex: (what: 'time' | 'memory', limit: string) =>
    new ExtractionError(
      'TOO_COMPLEX',
      `文件过于复杂，提取文字${what === 'time' ? `超过时限（${limit}）` : `所需内存超过上限（${limit}）`}，为保护系统已停止处理。请用原软件打开后“另存为”或“导出为 PDF”（去掉嵌入对象、超大表格或图片），必要时拆分后重新上传。`,
      `The file is too complex: extracting its text ${what === 'time' ? `took longer than ${limit}` : `needed more than ${limit} of memory`} and was stopped to protect the system. Re-save or export it from the program that made it (without embedded objects, huge tables or images), split it if need be, and upload again.`,
    ),
  /** OCR read every page without a text layer and found no text on any (blank pages, a photo, an illegible scan). */
  scanned: (pages: number) =>
    new ExtractionError(
      'SCANNED',
      `该文件共 ${pages} 页，文字识别（OCR）在所有页上都未识别出文字（可能是空白页、照片或过于模糊的扫描件），无法检查公开规则。请核对是否上传了正确的文件；如为扫描件，请以不低于 300 dpi 清晰地重新扫描，或上传带文字层的 PDF 或 Word 原件。`,
      `The file has ${pages} page(s) and text recognition (OCR) found no text on any of them (blank pages, a photo, or a scan too blurred to read), so the disclosure rules cannot be checked. Check that this is the intended file; rescan a scan clearly at 300 dpi or more, or upload a PDF with a text layer or the original Word file.`,
    ),
  /** More pages without a text layer than one OCR run reads within its limits. */
  tooManyScannedPages: (pages: number, max: number) =>
    new ExtractionError(
      'TOO_LARGE',
      `该文件有 ${pages.toLocaleString('en-US')} 页没有文字层（扫描页），超过单个文件文字识别（OCR）的上限 ${max.toLocaleString('en-US')} 页。请拆分为每份不超过 ${max.toLocaleString('en-US')} 页的文件分别提交，或上传带文字层的 PDF 或 Word 原件。`,
      `The file has ${pages.toLocaleString('en-US')} pages without a text layer (scanned), over the ${max.toLocaleString('en-US')}-page limit of text recognition (OCR) for one file; split it into files of at most ${max.toLocaleString('en-US')} pages, or upload a PDF with a text layer or the original Word file.`,
    ),
  /** OCR (shared/ocr/): an image whose header says it has more pixels than a document page could need. */
  imageTooManyPixels: (width: number, height: number, maxPixels: number) =>
    new ExtractionError(
      'TOO_LARGE',
      `图片尺寸过大（${width.toLocaleString('en-US')} × ${height.toLocaleString('en-US')} 像素），超过上限 ${(maxPixels / 1e6).toLocaleString('en-US')} 百万像素，无法识别文字。请以 300 dpi 左右重新扫描，或将图片缩小后重新上传。`,
      `The image is too large (${width.toLocaleString('en-US')} × ${height.toLocaleString('en-US')} px, limit ${(maxPixels / 1e6).toLocaleString('en-US')} megapixels) to be recognised; scan it again at about 300 dpi, or scale it down, and upload again.`,
    ),
  /** OCR: an image that sharp cannot decode (damaged, cut short, or not what its header says). */
  imageUndecodable: (cause?: unknown) =>
    new ExtractionError(
      'DAMAGED',
      '图片文件已损坏或不完整，无法读取。请重新扫描或重新导出（PNG、JPEG 或 TIFF）后完整上传。',
      'The image file is damaged or incomplete and cannot be read; scan or export it again (PNG, JPEG or TIFF) and upload the whole file.',
      cause === undefined ? undefined : { cause },
    ),
  /** OCR: an image in a format other than PNG, JPEG or TIFF. */
  imageUnsupported: (format: string) =>
    new ExtractionError(
      'UNSUPPORTED_TYPE',
      `不支持该图片格式（${format}）。扫描件请存为 PNG、JPEG 或 TIFF，或转换为 PDF 后重新上传。`,
      `Unsupported image format (${format}); save the scan as PNG, JPEG or TIFF, or convert it to PDF, and upload again.`,
    ),
  /** OCR: a TIFF holding several pages (only single images are read as one page). */
  imageMultiPage: (pages: number) =>
    new ExtractionError(
      'UNSUPPORTED_TYPE',
      `该 TIFF 文件含有 ${pages} 页，图片只能按单页识别。请将多页扫描件转换为 PDF 后上传（每页都会识别），或分页上传。`,
      `The TIFF holds ${pages} pages, but an image is read as one page; convert the multi-page scan to PDF (every page is recognised) or upload the pages one by one.`,
    ),
  /** OCR: more pages in one recognition run than its time allows (the pipeline sends batches). */
  tooManyOcrPages: (pages: number, max: number) =>
    new ExtractionError(
      'TOO_LARGE',
      `一次识别的扫描页过多（${pages.toLocaleString('en-US')} 页，上限 ${max.toLocaleString('en-US')} 页）。请分批识别；如为上传的文件，请拆分后分别提交。`,
      `Too many scanned pages in one recognition run (${pages.toLocaleString('en-US')}, limit ${max.toLocaleString('en-US')}); recognise them in batches, or split the uploaded file and submit the parts.`,
    ),
  /** OCR: a page number the PDF does not have. */
  pageOutOfRange: (page: number, pages: number) =>
    new ExtractionError(
      'DAMAGED',
      `要识别的第 ${page} 页不存在（该 PDF 共 ${pages} 页）。请重新上传完整的文件。`,
      `Page ${page} to be recognised does not exist (the PDF has ${pages} pages); upload the complete file again.`,
    ),
} as const;
