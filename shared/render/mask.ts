import { maskAddress, maskName } from '#shared/rules/person-record';
import { spansToMask, type MaskKind, type MaskSpan } from '#shared/rules/index';

/**
 * De-identification of personal data before publication (PUB-4, 002 §二(五)): each kind
 * keeps what identifies the kind of record to a reader and hides what identifies the person.
 */
export const KEEP: Record<MaskKind, (s: string) => string> = {
  // 张三 → 张某, 欧阳小明 → 欧阳某 (a private person's record only).
  name: maskName,
  // 运城市盐湖区北城街道红旗村3组12号 → 运城市盐湖区北城街道***
  address: maskAddress,
  // 110101********123X: region code and the check character stay.
  'resident-id': (s) => keepEnds(s, 6, 4),
  // 138****5678
  mobile: (s) => keepDigits(s, 3, 4),
  // 0359-****234: the area code stays.
  landline: (s) => keepDigits(s, s.replace(/\D/g, '').startsWith('0') ? 4 : 0, 3),
  // 京A·1**45: the issuing province and city letter stay.
  plate: (s) => keepEnds(s, s.includes('·') || s.includes('.') ? 3 : 2, 2),
  // ************1234
  'bank-card': (s) => keepDigits(s, 0, 4),
  // z***@example.gov.cn
  email: (s) => {
    const at = s.indexOf('@');
    return at <= 1 ? `*${s.slice(at)}` : `${s[0]}${'*'.repeat(at - 1)}${s.slice(at)}`;
  },
};

function keepEnds(s: string, head: number, tail: number): string {
  const chars = [...s];
  return chars.map((c, i) => (i < head || i >= chars.length - tail ? c : '*')).join('');
}

/** Masks digits only (separators stay), keeping the first `head` and last `tail` digits. */
function keepDigits(s: string, head: number, tail: number): string {
  const total = s.replace(/\D/g, '').length;
  let seen = 0;
  return s.replace(/\d/g, (d) => {
    seen++;
    return seen <= head || seen > total - tail ? d : '*';
  });
}

export function maskSpans(text: string, found: readonly MaskSpan[]): string {
  let out = '';
  let at = 0;
  for (const f of [...found].sort((a, b) => a.start - b.start)) {
    if (f.start < at) continue;
    out += text.slice(at, f.start) + KEEP[f.kind](text.slice(f.start, f.end));
    at = f.end;
  }
  return out + text.slice(at);
}

/**
 * The text with the personal data PUB-4 says to mask (PERSONAL_DATA_POLICY: ID, bank card,
 * mobile, private plate) masked; office landlines and e-mail addresses stay readable.
 */
export const maskPersonalData = (text: string): string => maskSpans(text, spansToMask(text));
