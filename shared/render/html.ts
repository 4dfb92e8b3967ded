import { stripUnsafe } from '#shared/domain/text-safety';

/**
 * A tiny auto-escaping HTML template: every interpolated value is escaped unless it is
 * itself the result of `html` (or explicitly `trusted`). User text cannot become markup.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };
// Control, bidi and invisible characters never reach a page (text stored before the API refused them).
export const escapeHtml = (s: string): string => stripUnsafe(s).replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

const render = (v: Value): string => {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
};

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** For markup produced by this codebase only (never user text). */
export const trusted = (s: string): SafeHtml => new SafeHtml(s);
