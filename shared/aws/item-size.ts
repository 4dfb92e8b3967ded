/**
 * The size of an item as DynamoDB counts it against its 400 KB limit ("DynamoDB item sizes
 * and formats", Amazon DynamoDB Developer Guide), for items as the document client writes
 * them (plain JavaScript values, `undefined` removed):
 *
 * - a string is its UTF-8 bytes (a Chinese character is 3 bytes; the local emulator counts
 *   characters, so it undercounts Chinese text about 3×);
 * - a number is 1 byte per two significant digits (leading and trailing zeros trimmed) plus 1;
 * - binary is its raw bytes; a Boolean or null is 1 byte;
 * - a List or Map is 3 bytes plus its elements, each element 1 byte more; a Map's keys are
 *   attribute names, counted in UTF-8 bytes like the item's own;
 * - a set is the sum of its elements.
 *
 * Every attribute adds the UTF-8 bytes of its name.
 */

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Significant digits of a number, as DynamoDB stores it (sign, point, exponent and outer zeros dropped). */
export function significantDigits(n: number | bigint): number {
  if (typeof n === 'number' && !Number.isFinite(n)) throw new TypeError(`DynamoDB cannot store the number ${n}`);
  let text = typeof n === 'bigint' ? n.toString() : Math.abs(n).toString();
  // An exponent (1e+21, 5e-7) moves the point, not the digits.
  const e = /e[+-]?\d+$/i.exec(text);
  if (e) text = text.slice(0, e.index);
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.max(digits.length, 1);
}

export const numberSize = (n: number | bigint): number => Math.ceil(significantDigits(n) / 2) + 1;

/** Bytes of one attribute value (without its name). */
export function valueSize(value: unknown): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (value instanceof Set) {
    let total = 0;
    for (const v of value) total += valueSize(v);
    return total;
  }
  if (Array.isArray(value)) {
    let total = 3;
    for (const v of value) if (v !== undefined) total += 1 + valueSize(v);
    return total;
  }
  if (typeof value === 'object') {
    let total = 3;
    for (const [k, v] of Object.entries(value)) if (v !== undefined) total += 1 + utf8(k) + valueSize(v);
    return total;
  }
  throw new TypeError(`DynamoDB cannot store a value of type ${typeof value}`);
}

/** Bytes of a whole item: its attribute names and values. */
export function itemSize(item: Readonly<Record<string, unknown>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) if (value !== undefined) total += utf8(name) + valueSize(value);
  return total;
}

/** DynamoDB's hard limit on one item. */
export const DYNAMODB_ITEM_LIMIT = 400 * 1024;
