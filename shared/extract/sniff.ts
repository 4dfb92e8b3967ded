/**
 * Decide what a file is from its bytes — never from its name (drafters rename files, and
 * S3/POST uploads do not enforce the declared type).
 */

export type FileKind = 'pdf' | 'docx' | 'text' | 'png' | 'jpeg' | 'tiff';
export const FileKind: readonly FileKind[] = Object.freeze(['pdf', 'docx', 'text', 'png', 'jpeg', 'tiff']);

/** Images (a scanned page, a photographed notice): their text is recognised by the OCR stage. */
export type ImageKind = 'png' | 'jpeg' | 'tiff';
export const isImageKind = (k: FileKind): k is ImageKind => k === 'png' || k === 'jpeg' || k === 'tiff';

export const MEDIA_TYPES: Readonly<Record<FileKind, string>> = Object.freeze({
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  text: 'text/plain',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
});

/** File name extensions (lower case, no dot) that agree with each kind. */
export const EXTENSIONS: Readonly<Record<FileKind, readonly string[]>> = Object.freeze({
  pdf: ['pdf'],
  docx: ['docx'],
  text: ['txt', 'text'],
  png: ['png'],
  jpeg: ['jpg', 'jpeg'],
  tiff: ['tif', 'tiff'],
});

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const utf16le = (s: string): Uint8Array => Uint8Array.from([...s].flatMap((c) => [c.charCodeAt(0), 0]));

const PDF_MAGIC = ascii('%PDF-');
/** Like pdf.js and Acrobat, allow some junk before the header (within the first KiB). */
const PDF_HEADER_WINDOW = 1024;
const ZIP_LOCAL = ascii('PK\x03\x04');
const ZIP_EMPTY = ascii('PK\x05\x06');
const DOCX_MAIN = ascii('word/document.xml');
const OLE_MAGIC = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const OLE_ENCRYPTED_PACKAGE = utf16le('EncryptedPackage');

export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0, to = hay.length): number {
  const first = needle[0];
  const last = Math.min(to, hay.length) - needle.length;
  outer: for (let i = hay.indexOf(first ?? 0, from); i !== -1 && i <= last; i = hay.indexOf(first ?? 0, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const startsWith = (bytes: Uint8Array, prefix: Uint8Array): boolean => bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);

/** Controls that never occur in plain text (everything below 0x20 except \t \n \f \r, and DEL). */
function hasBinaryControl(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f) return true;
  }
  return false;
}

function decodes(bytes: Uint8Array, encoding: string): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** What the bytes are, with a reason when they are none of the accepted kinds. */
export type Sniffed = { readonly kind: FileKind } | { readonly kind: undefined; readonly encryptedOffice?: true; readonly what?: Bilingual };

/** Everything sniffKind knows, including why a file is not accepted (for the error message). */
export function sniff(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return { kind: undefined, what: { zh: '文件是空的', en: 'The file is empty' } };

  if (indexOfBytes(bytes, PDF_MAGIC, 0, PDF_HEADER_WINDOW + PDF_MAGIC.length) !== -1) return { kind: 'pdf' };

  if (startsWith(bytes, ZIP_LOCAL) || startsWith(bytes, ZIP_EMPTY)) {
    // Entry names are stored uncompressed in local headers and the central directory.
    if (indexOfBytes(bytes, DOCX_MAIN) !== -1) return { kind: 'docx' };
    const has = (name: string) => indexOfBytes(bytes, ascii(name)) !== -1;
    if (has('OFD.xml')) return { kind: undefined, what: { zh: '这是 OFD 版式文件', en: 'This is an OFD document (export it as PDF)' } };
    if (has('xl/') || has('ppt/') || has('opendocument'))
      return {
        kind: undefined,
        what: { zh: '这是表格、演示文稿或其他办公文档，不是 Word 文档', en: 'This is a spreadsheet, presentation or other office file, not a Word document' },
      };
    return { kind: undefined, what: { zh: '这是 ZIP 压缩包，不是 Word 文档', en: 'This is a ZIP archive, not a Word document' } };
  }

  if (startsWith(bytes, OLE_MAGIC)) {
    // Password-protected .docx files are OLE containers holding an "EncryptedPackage" stream.
    if (indexOfBytes(bytes, OLE_ENCRYPTED_PACKAGE) !== -1) return { kind: undefined, encryptedOffice: true };
    return {
      kind: undefined,
      what: { zh: '这是旧版 Office 格式（如 .doc、.wps），请在 Word/WPS 中“另存为” .docx', en: 'This is a legacy Office file (.doc/.wps); use "Save as" .docx in Word/WPS' },
    };
  }

  if (startsWith(bytes, ascii('MZ')) || startsWith(bytes, ascii('\x7fELF'))) return { kind: undefined, what: { zh: '这是可执行程序', en: 'This is an executable program' } };

  // Scans and photographs of a page: their text is recognised (OCR).
  if (startsWith(bytes, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { kind: 'png' };
  if (startsWith(bytes, Uint8Array.from([0xff, 0xd8, 0xff]))) return { kind: 'jpeg' };
  if (startsWith(bytes, ascii('II*\0')) || startsWith(bytes, ascii('MM\0*'))) return { kind: 'tiff' };
  if (startsWith(bytes, ascii('GIF8')) || startsWith(bytes, ascii('BM')) || (startsWith(bytes, ascii('RIFF')) && indexOfBytes(bytes, ascii('WEBP'), 8, 12) === 8))
    return {
      kind: undefined,
      what: {
        zh: '这是 GIF、BMP 或 WebP 图片，图片只接受 PNG、JPEG 或 TIFF 格式（请另存为 PNG 或 JPEG）',
        en: 'This is a GIF, BMP or WebP image; images are accepted as PNG, JPEG or TIFF only (save it as PNG or JPEG)',
      },
    };

  if (startsWith(bytes, ascii('{\\rtf'))) return { kind: undefined, what: { zh: '这是 RTF 文件，请另存为 .docx', en: 'This is an RTF file; save it as .docx' } };

  // UTF-16 text (Windows Notepad's "Unicode"): with a BOM, or Chinese/ASCII with a NUL in every other byte.
  if (startsWith(bytes, Uint8Array.from([0xff, 0xfe])) || startsWith(bytes, Uint8Array.from([0xfe, 0xff])) || looksUtf16(bytes))
    return {
      kind: undefined,
      what: {
        zh: '这是 UTF-16（Unicode）编码的文本，纯文本须为 UTF-8 编码（可用记事本“另存为”时选择 UTF-8）',
        en: 'This is UTF-16 ("Unicode") text; plain text must be UTF-8 (re-save it choosing UTF-8)',
      },
    };
  if (!hasBinaryControl(bytes)) {
    if (decodes(bytes, 'utf-8')) return { kind: 'text' };
    if (decodes(bytes, 'gb18030'))
      return {
        kind: undefined,
        what: {
          zh: '这是 GBK/GB18030 编码的文本，纯文本须为 UTF-8 编码（可用记事本“另存为”UTF-8）',
          en: 'This is GBK/GB18030-encoded text; plain text must be UTF-8 (re-save it as UTF-8)',
        },
      };
  }
  return { kind: undefined };
}

/** No BOM, but every other byte of the first KiB a NUL (ASCII in UTF-16), and it decodes as UTF-16. */
function looksUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 1024) & ~1;
  if (n < 4) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const half = n / 2;
  const le = oddNul > half * 0.2 && evenNul * 10 < oddNul;
  const be = evenNul > half * 0.2 && oddNul * 10 < evenNul;
  return (le && decodes(bytes.subarray(0, n), 'utf-16le')) || (be && decodes(bytes.subarray(0, n), 'utf-16be'));
}

/**
 * The kind of a file, by its bytes: a `%PDF-` header within the first KiB → 'pdf'; a ZIP that
 * contains `word/document.xml` → 'docx'; PNG, JPEG, TIFF signatures → 'png', 'jpeg', 'tiff';
 * valid UTF-8 with no NUL/control bytes → 'text'.
 * Anything else (other ZIPs, .doc, executables, images, non-UTF-8 text, an empty file)
 * → undefined.
 */
export function sniffKind(bytes: Uint8Array): FileKind | undefined {
  return sniff(bytes).kind;
}

/** Lower-case extension of a file name without the dot, or undefined if it has none. */
export function extensionOf(name: string): string | undefined {
  const base = name.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 && dot < base.length - 1 ? base.slice(dot + 1).toLowerCase() : undefined;
}
