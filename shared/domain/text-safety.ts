/**
 * Characters no field of a request may hold: they reach pages and the catalogue, where a
 * control character makes the HTML invalid and a bidi override or an invisible character
 * makes a title read differently from what it holds (issue 10.7). Tab and line breaks are
 * allowed where text may run over lines; single-line fields (titles, numbers, names) refuse
 * them too.
 */

// C0 controls but tab/LF/CR, DEL, C1 controls; bidi embeddings, overrides and isolates, the
// directional marks; zero-width and other invisible format characters; the BOM.
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/u;
const LINE_BREAKS = /[\t\n\r\u2028\u2029\u0085]/u;

/** Field names (the last path element) whose value is one line. */
const SINGLE_LINE = new Set([
  'title',
  'documentNumber',
  'draftingUnit',
  'fileName',
  'name',
  'phone',
  'indexNumber',
  'subject',
  'organ',
  'replacedBy',
  'spanId',
  'claimToken',
  'units',
  'office',
  'address',
  'postcode',
  'officeHours',
  'code',
  'id',
]);

const describe = (c: string): { zh: string; en: string } => {
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  if (/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u.test(c)) return { zh: `文字方向控制字符（${code}）`, en: `a text-direction control character (${code})` };
  if (/[\u200b-\u200d\u2060-\u2064\ufeff]/u.test(c)) return { zh: `不可见字符（${code}）`, en: `an invisible character (${code})` };
  if (LINE_BREAKS.test(c)) return { zh: `换行或制表符（${code}）`, en: `a line break or tab (${code})` };
  return { zh: `控制字符（${code}）`, en: `a control character (${code})` };
};

export interface UnsafeTextIssue {
  readonly field: string;
  readonly zh: string;
  readonly en: string;
}

/** The first unsafe character of `s` for a field called `name`, if any. */
export function unsafeChar(s: string, name: string): string | undefined {
  const m = UNSAFE.exec(s) ?? (SINGLE_LINE.has(name) ? LINE_BREAKS.exec(s) : null);
  return m?.[0];
}

/** Every string in `value` (a parsed JSON request) holding a character no field may hold, by path. */
export function unsafeTextIssues(value: unknown, path: readonly (string | number)[] = [], out: UnsafeTextIssue[] = []): UnsafeTextIssue[] {
  if (out.length >= 20) return out;
  if (typeof value === 'string') {
    const name = String([...path].reverse().find((p) => typeof p === 'string') ?? '');
    const c = unsafeChar(value, name);
    if (c !== undefined) {
      const what = describe(c);
      const field = path.map(String).join('.');
      out.push({
        field,
        zh: `字段“${field}”含有${what.zh}，这类字符会使页面显示与内容不符，不予接受：请删除后重新提交（从其他文档复制的文字常带有此类字符）。`,
        en: `${field} holds ${what.en}, which can make a page read differently from what it holds and is not accepted: remove it and submit again (text copied from other documents often carries such characters).`,
      });
    }
  } else if (Array.isArray(value)) value.forEach((v, i) => unsafeTextIssues(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) unsafeTextIssues(v, [...path, k], out);
  return out;
}

/** `s` with every unsafe character removed (for text already stored when it is rendered). */
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');
export const stripUnsafe = (s: string): string => s.replace(UNSAFE_ALL, '');
