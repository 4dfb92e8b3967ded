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
export const ACCEPTED_TYPES = { zh: 'PDF、Word（.docx）或纯文本（UTF-8 编码的 .txt）', en: 'PDF, Word (.docx) or plain text (UTF-8 .txt)' } as const;

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
  damaged: (kind: 'PDF' | 'Word' | 'text', detail: { zh: string; en: string } | undefined, cause?: unknown) =>
    new ExtractionError(
      'DAMAGED',
      `${kind === 'text' ? '文本' : kind} 文件已损坏或不完整${detail ? `（${detail.zh}）` : ''}，无法读取。请用原软件重新打开并另存（或重新导出）后，再完整上传一次。`,
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
  scanned: (pages: number) =>
    new ExtractionError(
      'SCANNED',
      `该 PDF 共 ${pages} 页，但没有可提取的文字（可能是扫描件或图片，没有文字层），无法检查公开规则。请上传带文字层的 PDF 或 Word 原件。`,
      `The PDF has ${pages} page(s) but no extractable text (a scan or images without a text layer), so the disclosure rules cannot be checked; upload a PDF with a text layer or the original Word file.`,
    ),
} as const;
