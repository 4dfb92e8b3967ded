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
export const today = (): string => new Date(source().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
