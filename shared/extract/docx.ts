/**
 * Word (.docx) text through mammoth's extractRawText. Mammoth writes every paragraph
 * followed by "\n\n" (soft line breaks as "\n", tabs as "\t"); that raw form is kept.
 */
import mammoth from 'mammoth';
import { extractionErrors, type ExtractionError } from './errors.ts';
import { checkDocx } from './zip.ts';
import type { Bilingual } from '../errors.ts';

export interface DocxText {
  readonly rawText: string;
  readonly warnings: Bilingual[];
}

function docxError(err: unknown): ExtractionError {
  const message = err instanceof Error ? err.message : String(err);
  if (/end of central directory|corrupted zip|invalid (zip|signature)|unexpected end|crc32|compressed data/i.test(message))
    return extractionErrors.damaged('Word', { zh: 'ZIP 结构不完整，可能上传中断', en: 'incomplete ZIP structure, probably a cut-short upload' }, err);
  if (/main document part/i.test(message))
    return extractionErrors.damaged('Word', { zh: '缺少正文部分 word/document.xml', en: 'the main document part word/document.xml is missing' }, err);
  return extractionErrors.damaged('Word', undefined, err);
}

export async function extractDocx(bytes: Uint8Array): Promise<DocxText> {
  let result: Awaited<ReturnType<typeof mammoth.extractRawText>>;
  // Limits and DTDs first: mammoth inflates whatever the ZIP says, and its XML parser reads DTDs.
  checkDocx(bytes);
  try {
    result = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  } catch (err) {
    throw docxError(err);
  }
  const warnings = result.messages.map((m) => ({ zh: `Word 文件解析提示（${m.type === 'error' ? '错误' : '警告'}）：${m.message}`, en: `Word parser ${m.type}: ${m.message}` }));
  return { rawText: result.value, warnings };
}
