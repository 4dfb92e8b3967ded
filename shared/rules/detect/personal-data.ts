import { compactAfter, compactBefore, foldWide, isRealDate, type Span } from './scan.ts';

/**
 * Personal information a published document must not carry un-masked (古县 notice 002
 * §二(五): 去标识化处理（包括私家车牌号）). Every candidate is VALIDATED, not just shaped:
 *
 * - resident-id: 18 characters — region code whose province part is a real province code
 *   (PROVINCE_CODES: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82, and 83 for
 *   Taiwan residence permits), a real birth date 1900-01-01…2099-12-31, a 3-digit sequence
 *   and the ISO 7064 MOD 11-2 check character (0–9 or X/x) VERIFIED; written compact or as
 *   6 8 4 groups separated by single blanks. The 15-digit IDs issued before 1999 (no
 *   checksum, 2-digit year) are found only right after 身份证/证件号 (within 16 characters):
 *   on their own, 15 digits are as likely an order or account number.
 * - mobile: 1[3-9] + 9 digits, compact or 3-4-4 with one consistent blank or dash; an
 *   optional +86 / 0086 / 86 / (+86) prefix. Not inside a longer run of digits or letters,
 *   not a decimal, and not an amount or count (followed by 元 万 亿 人 户 个 次 吨 % …,
 *   preceded by ¥).
 * - landline: area code (010, 02x, 0[3-9]xx) + local number (7–8 digits, not starting with
 *   0 or 1; 8 digits after 010/02x), as 0359-2021234, 0359 2021234, (0359)2021234,
 *   （0359）2021234, with an optional extension (转123, 分机123, ext.123, -123). The compact
 *   form (03592021234) and a local number without area code are found only right after a
 *   phone label (电话, 座机, 传真, Tel, 联系方式). Dates (2020-12-10), document numbers and
 *   service numbers (12345, 95566, 400-…) are never landlines.
 * - plate: province abbreviation + issuing letter (A–Z except I; O is the police letter)
 *   + optional separator (· • ・ . - or a blank) + serial: ordinary = 5 of A–Z/0–9 without
 *   I and O with at least 2 digits, or 4 + 挂/学/警/港/澳/领/试/超; new-energy (GA 36-2018)
 *   small = A–H/J/K (D, F and the newer A–K letters) + 1 letter/digit + 4 digits, large =
 *   5 digits + D/F. Lower-case letters and all-letter serials are not plates.
 * - bank-card: 16–19 digits, compact or in groups of 4 separated by one consistent blank or
 *   dash; Luhn VERIFIED; a plausible issuer (IIN): 62 UnionPay, 4 Visa (16 or 19 digits),
 *   51–55 and 2221–2720 Mastercard (16), 3528–3589 JCB, 6011 / 644–649 / 65 Discover,
 *   9558 and 95599 (legacy domestic ICBC / ABC debit cards).
 * - email: local@domain.tld (letters, digits, . _ % + - in the local part, no leading,
 *   trailing or double dot; dotted domain labels; a 2–24 letter TLD).
 *
 * No two findings overlap: candidates are taken longest first (an e-mail address that
 * contains a mobile number is one e-mail), then by kind in the order resident-id, email,
 * bank-card, mobile, landline, plate (an 18-digit number valid as an ID and as a card is an
 * ID). Results are sorted by start.
 */

export type PersonalDataKind = 'resident-id' | 'mobile' | 'landline' | 'plate' | 'bank-card' | 'email';

export interface PersonalData extends Span {
  readonly kind: PersonalDataKind;
}

const PRIORITY: readonly PersonalDataKind[] = ['resident-id', 'email', 'bank-card', 'mobile', 'landline', 'plate'];

interface Candidate {
  readonly start: number;
  readonly end: number;
  readonly kind: PersonalDataKind;
}

// ------------------------------------------------------------------------ resident ID

/** Province-level codes of GB/T 2260 (plus 83, Taiwan residents' residence permits). */
export const PROVINCE_CODES: ReadonlySet<number> = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
]);
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';

/** The MOD 11-2 check character for the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** An 18-character resident ID (no blanks) with a real region, birth date and check character. */
export function isValidResidentId(id: string): boolean {
  if (!/^[1-9]\d{16}[\dXx]$/.test(id)) return false;
  if (!PROVINCE_CODES.has(Number(id.slice(0, 2)))) return false;
  const y = Number(id.slice(6, 10));
  if (y < 1900 || y > 2099 || !isRealDate(y, Number(id.slice(10, 12)), Number(id.slice(12, 14)))) return false;
  return residentIdCheckChar(id) === id[17]!.toUpperCase();
}

const ID18 = /(?<![0-9A-Za-z])([1-9]\d{5}) ?(\d{8}) ?(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const ID15 = /(?<![0-9A-Za-z])[1-9]\d{14}(?![0-9A-Za-z])/g;
const ID_LABEL = /(?:身份证|证件号)/;

function residentIds(f: string, out: Candidate[]): void {
  for (const m of f.matchAll(ID18)) {
    const blanks = m[0].length - 18;
    if (blanks === 1) continue; // 6 8 4 groups: both blanks or none
    if (isValidResidentId(m[1]! + m[2]! + m[3]!)) out.push({ start: m.index, end: m.index + m[0].length, kind: 'resident-id' });
  }
  for (const m of f.matchAll(ID15)) {
    const id = m[0];
    if (!PROVINCE_CODES.has(Number(id.slice(0, 2)))) continue;
    if (!isRealDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)))) continue;
    if (!ID_LABEL.test(compactBefore(f, m.index, 16))) continue;
    out.push({ start: m.index, end: m.index + id.length, kind: 'resident-id' });
  }
}

// ------------------------------------------------------------------------ phones

const MOBILE = /(?<![0-9A-Za-z.])(?:(?:\+|00)?86[ -]?|\(\+?86\) ?)?1[3-9]\d(?:(?<sep>[ -]?)\d{4}\k<sep>\d{4})(?![0-9A-Za-z])/g;
/** Units and markers after which a number is an amount or a count, not a phone. */
const QUANTITY_AFTER = /^(?:[元万亿千百人户个次吨台件份条项家名位辆套亩米%‰]|平方|公里|余|多|\.\d)/;
const MONEY_BEFORE = /[¥￥$]$/;

function isQuantity(f: string, start: number, end: number): boolean {
  return QUANTITY_AFTER.test(compactAfter(f, end, 2)) || MONEY_BEFORE.test(compactBefore(f, start, 1));
}

function mobiles(f: string, out: Candidate[]): void {
  for (const m of f.matchAll(MOBILE)) {
    const end = m.index + m[0].length;
    if (isQuantity(f, m.index, end)) continue;
    out.push({ start: m.index, end, kind: 'mobile' });
  }
}

const AREA = '0(?:10|2\\d|[3-9]\\d{2})';
const LOCAL = '[2-9]\\d{6,7}';
const EXTENSION = '(?:[-–—]\\d{1,5}|\\s?(?:转|分机|ext\\.?|Ext\\.?|EXT\\.?)\\s?\\d{1,6})?';
const LANDLINE = new RegExp(`(?<![0-9A-Za-z.\\-–—])(?:\\( ?(${AREA}) ?\\) ?|(${AREA}) ?[-–—] ?|(${AREA}) )(${LOCAL})(?!\\d)${EXTENSION}(?![0-9A-Za-z])`, 'g');
const PHONE_LABEL = '(?:电话|座机|传真|联系方式|Tel|TEL|tel|Fax|FAX)(?:号码)?[ :]*';
const LABELLED_COMPACT = new RegExp(`${PHONE_LABEL}(${AREA}${LOCAL})(?!\\d)`, 'g');
const LABELLED_LOCAL = new RegExp(`${PHONE_LABEL}(${LOCAL})(?![0-9A-Za-z])`, 'g');

/** 010 and 02x are followed by 8-digit local numbers; 0xxx by 7 or 8. */
const localFits = (area: string, local: string): boolean => (area.length === 3 ? local.length === 8 : local.length >= 7);

function landlines(f: string, out: Candidate[]): void {
  for (const m of f.matchAll(LANDLINE)) {
    const area = m[1] ?? m[2] ?? m[3]!;
    if (!localFits(area, m[4]!)) continue;
    out.push({ start: m.index, end: m.index + m[0].length, kind: 'landline' });
  }
  for (const m of f.matchAll(LABELLED_COMPACT)) {
    const num = m[1]!;
    const area = /^0(?:10|2\d)/.test(num) ? num.slice(0, 3) : num.slice(0, 4);
    if (!localFits(area, num.slice(area.length))) continue;
    const end = m.index + m[0].length;
    out.push({ start: end - num.length, end, kind: 'landline' });
  }
  for (const m of f.matchAll(LABELLED_LOCAL)) {
    const end = m.index + m[0].length;
    out.push({ start: end - m[1]!.length, end, kind: 'landline' });
  }
}

// ------------------------------------------------------------------------ plates

export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const SERIAL = '[A-HJ-NP-Z0-9]';
const PLATE = new RegExp(
  `([${PLATE_PROVINCES}]) ?([A-HJ-Z])[·•・.\\- ]?` + `(?:([A-HJK]${SERIAL}\\d{4})|(\\d{5}[DF])|(${SERIAL}{5})|(${SERIAL}{4}[挂学警港澳领试超]))(?![0-9A-Za-z])`,
  'gu',
);

function plates(f: string, out: Candidate[]): void {
  for (const m of f.matchAll(PLATE)) {
    const ordinary = m[5] ?? m[6];
    if (ordinary !== undefined && (ordinary.match(/\d/g)?.length ?? 0) < 2) continue;
    // The province character must not be glued to a preceding Latin letter or digit.
    if (m.index > 0 && /[0-9A-Za-z]/.test(f[m.index - 1]!)) continue;
    out.push({ start: m.index, end: m.index + m[0].length, kind: 'plate' });
  }
}

// ------------------------------------------------------------------------ bank cards

/** Luhn (mod 10) check over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** A plausible issuer identification number for a card of this length (see the module comment). */
export function plausibleIin(digits: string): boolean {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  if (p2 === 62) return true; // UnionPay 16–19
  if (digits[0] === '4') return n === 16 || n === 19; // Visa
  if (p2 >= 51 && p2 <= 55) return n === 16; // Mastercard
  if (p4 >= 2221 && p4 <= 2720) return n === 16; // Mastercard 2-series
  if (p4 >= 3528 && p4 <= 3589) return true; // JCB 16–19
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65) return true; // Discover 16–19
  if (p4 === 9558 || digits.startsWith('95599')) return n >= 16; // legacy domestic debit
  return false;
}

const CARD = /(?<![0-9A-Za-z.])(?:\d{16,19}|\d{4}(?<sep>[ -])\d{4}\k<sep>\d{4}\k<sep>\d{4}(?:\k<sep>\d{1,3})?)(?![0-9A-Za-z])/g;

function bankCards(f: string, out: Candidate[]): void {
  for (const m of f.matchAll(CARD)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length < 16 || digits.length > 19) continue;
    if (!plausibleIin(digits) || !luhnValid(digits)) continue;
    out.push({ start: m.index, end: m.index + m[0].length, kind: 'bank-card' });
  }
}

// ------------------------------------------------------------------------ e-mail

const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[A-Za-z0-9])/g;

function emails(f: string, out: Candidate[]): void {
  for (const m of f.matchAll(EMAIL)) {
    if (m[0].includes('..')) continue;
    out.push({ start: m.index, end: m.index + m[0].length, kind: 'email' });
  }
}

// ------------------------------------------------------------------------ all

/** Every piece of personal data in the text, non-overlapping, sorted by start. */
export function findPersonalData(text: string): PersonalData[] {
  const f = foldWide(text);
  const candidates: Candidate[] = [];
  residentIds(f, candidates);
  emails(f, candidates);
  bankCards(f, candidates);
  mobiles(f, candidates);
  landlines(f, candidates);
  plates(f, candidates);
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || a.start - b.start);
  const taken: Candidate[] = [];
  const used = new Uint8Array(candidates.length > 0 ? text.length : 0);
  for (const c of candidates) {
    if (used.subarray(c.start, c.end).includes(1)) continue;
    used.fill(1, c.start, c.end);
    taken.push(c);
  }
  return taken.sort((a, b) => a.start - b.start).map((c) => ({ start: c.start, end: c.end, text: text.slice(c.start, c.end), kind: c.kind }));
}
