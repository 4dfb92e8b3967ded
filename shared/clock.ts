/** The one source of "now". Tests and the local runner can move it (re-review a year later). */
let source: () => Date = () => new Date();

export const now = (): Date => source();
export const nowIso = (): string => source().toISOString();
export function setClock(fn: () => Date): void {
  source = fn;
}
export function resetClock(): void {
  source = () => new Date();
}

/** Today's date (YYYY-MM-DD) in China Standard Time (UTC+8): validity periods and the report use it. */
export const today = (): string => chinaDay(source());

/** The date (YYYY-MM-DD) of an instant in China Standard Time (UTC+8): the one meaning of "the day" everywhere. */
export const chinaDay = (at: Date): string => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** The same day `years` later: the one meaning of "a year" (29 February becomes 28 February in a common year). */
export const addYears = (day: string, years: number): string => `${String(Number(day.slice(0, 4)) + years).padStart(4, '0')}${day.slice(4)}`.replace(/-02-29$/, '-02-28');
