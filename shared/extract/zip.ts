import { inflateRawSync } from 'node:zlib';
import { extractionErrors } from './errors.ts';

/**
 * Checks a DOCX (a ZIP) before any reader inflates it (issue 10.2, 10.8): the central
 * directory is read from the bytes, and every entry's declared size, the total, the number
 * of entries and the compression ratio are checked against limits before a byte is
 * inflated; the XML parts are then inflated with an output cap (a header can lie) and
 * refused when they declare a DTD or entities (XXE, billion laughs). Nothing here holds
 * more than one inflated part at a time.
 */
export const ZIP_LIMITS = {
  entries: 1000,
  /** Any one entry, inflated. */
  entryBytes: 64 * 1024 * 1024,
  /** All entries together, inflated. */
  totalBytes: 200 * 1024 * 1024,
  /** Inflated ÷ compressed, for entries over 1 MiB inflated (text compresses well; bombs ~1000:1). */
  ratio: 200,
} as const;

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MB = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

const damaged = (zh: string, en: string) => extractionErrors.damaged('Word', { zh, en });

/** The central directory's entries (no inflating). */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged('找不到 ZIP 目录，可能上传中断', 'no ZIP central directory, probably a cut-short upload');
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff)
    throw extractionErrors.inflatesTooLarge({ zh: 'ZIP64 格式，条目或大小超出 Word 文档的正常范围', en: 'ZIP64, entries or sizes beyond any ordinary Word document' });
  if (count > ZIP_LIMITS.entries)
    throw extractionErrors.inflatesTooLarge({ zh: `含 ${count} 个部件，超过上限 ${ZIP_LIMITS.entries}`, en: `${count} parts, over the limit of ${ZIP_LIMITS.entries}` });
  if (cdOffset + cdSize > bytes.length) throw damaged('ZIP 目录超出文件末尾', 'the ZIP directory runs past the end of the file');
  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) throw damaged('ZIP 目录损坏', 'a damaged ZIP directory');
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    out.push({
      method: view.getUint16(p + 10, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      name: new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen)),
      localHeaderOffset: view.getUint32(p + 42, true),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Throws unless every declared size, the total and every ratio are within ZIP_LIMITS. */
export function checkDeclaredSizes(entries: readonly ZipEntry[]): void {
  let total = 0;
  for (const e of entries) {
    if (e.size === 0xffffffff || e.compressedSize === 0xffffffff || e.size > ZIP_LIMITS.entryBytes)
      throw extractionErrors.inflatesTooLarge({ zh: `部件 ${e.name} 解压后超过 ${MB(ZIP_LIMITS.entryBytes)}`, en: `part ${e.name} inflates past ${MB(ZIP_LIMITS.entryBytes)}` });
    if (e.size > 1024 * 1024 && e.size / Math.max(1, e.compressedSize) > ZIP_LIMITS.ratio)
      throw extractionErrors.inflatesTooLarge({
        zh: `部件 ${e.name} 压缩比 ${Math.round(e.size / Math.max(1, e.compressedSize))}:1，异常偏高`,
        en: `part ${e.name} has a ${Math.round(e.size / Math.max(1, e.compressedSize))}:1 compression ratio, abnormally high`,
      });
    total += e.size;
  }
  if (total > ZIP_LIMITS.totalBytes)
    throw extractionErrors.inflatesTooLarge({
      zh: `全部部件解压后共 ${MB(total)}，超过 ${MB(ZIP_LIMITS.totalBytes)}`,
      en: `all parts inflate to ${MB(total)}, over ${MB(ZIP_LIMITS.totalBytes)}`,
    });
}

/** One entry inflated, never past its declared size (a lying header is caught, not believed). */
export function inflateEntry(bytes: Uint8Array, e: ZipEntry): Buffer {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = e.localHeaderOffset;
  if (p + 30 > bytes.length || view.getUint32(p, true) !== LOCAL) throw damaged(`部件 ${e.name} 的头部损坏`, `the header of part ${e.name} is damaged`);
  const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
  const data = bytes.subarray(start, start + e.compressedSize);
  if (e.method === 0) return Buffer.from(data.subarray(0, e.size));
  if (e.method !== 8) throw damaged(`部件 ${e.name} 使用了不支持的压缩方式 ${e.method}`, `part ${e.name} uses unsupported compression method ${e.method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength|buffer too large/i.test(String(err)))
      throw extractionErrors.inflatesTooLarge({ zh: `部件 ${e.name} 实际解压后大于其声明的 ${e.size} 字节`, en: `part ${e.name} inflates past the ${e.size} bytes it declares` });
    throw damaged(`部件 ${e.name} 的压缩数据损坏`, `the compressed data of part ${e.name} is damaged`);
  }
}

const DTD = /<!DOCTYPE|<!ENTITY/i;

/**
 * The start of a part as text, decoded as an XML parser would (a UTF-16 part with its BOM
 * is XML too), up to its first element: a DTD can only stand before it.
 */
export function xmlProlog(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, 64 * 1024);
  const encoding = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : 'utf-8';
  const text = new TextDecoder(encoding).decode(head).replace(/^\ufeff/, '');
  if (!/^\s*</.test(text)) return undefined; // not XML (an image, a font)
  const root = /<[A-Za-z_]/.exec(text);
  return root ? text.slice(0, root.index) : text;
}

/**
 * Checks a DOCX before mammoth reads it: limits first, then every part inflated (capped at
 * its declared size, one at a time) and, where it is XML whatever its name, refused when it
 * declares a DTD — mammoth reads the parts the relationships name, so a name proves nothing.
 */
export function checkDocx(bytes: Uint8Array): void {
  // A damaged structure is left to mammoth, whose error the drafter's message quotes as its cause
  // (it cannot inflate what it cannot find either); limits and DTDs are this check's own.
  const orDamaged = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      if ((err as { code?: string }).code === 'DAMAGED') return undefined;
      throw err;
    }
  };
  const entries = orDamaged(() => zipEntries(bytes));
  if (!entries) return;
  checkDeclaredSizes(entries);
  for (const e of entries) {
    if (e.name.endsWith('/')) continue; // a folder
    const inflated = orDamaged(() => inflateEntry(bytes, e));
    if (!inflated) return;
    const prolog = xmlProlog(inflated);
    if (prolog !== undefined && DTD.test(prolog))
      throw extractionErrors.unsafe({
        zh: `部件 ${e.name} 声明了 DTD 或实体（<!DOCTYPE>/<!ENTITY>），可被用于读取服务器文件或耗尽内存`,
        en: `part ${e.name} declares a DTD or entities (<!DOCTYPE>/<!ENTITY>), usable to read server files or exhaust memory`,
      });
  }
}
