import type { Finding } from '#shared/domain/finding';
import type { Draft, HistoryEvent } from '#shared/domain/draft';
import { REPLACES_MAX } from '#shared/domain/validity';

/**
 * What keeps a draft item bounded under DynamoDB's 400 KB limit, whatever the documents
 * and however long the draft lives. Everything on a draft that grows with use is capped
 * here; what must be kept in full (the history) moves to items of its own (shared/store.ts).
 */

/** The bound the store enforces before every write of a draft (DynamoDB's limit is 409,600). */
export const DRAFT_ITEM_MAX_BYTES = 350_000;

/** History lines kept on the draft item; past this, the older ones move out … */
export const HISTORY_INLINE_MAX = 20;
/** … leaving this many most recent lines inline. */
export const HISTORY_INLINE_KEEP = 10;
/** A history line's note is cut to this many characters (the full reason stays on the decision). */
export const HISTORY_NOTE_MAX = 1000;

/** Places listed per finding (a rule that matches 3,000 phone numbers lists the first ones and the count). */
export const EVIDENCE_MAX = 20;
/** Characters of text quoted per place. */
export const EVIDENCE_TEXT_MAX = 200;
/** Findings kept on a draft (each rule reports per part, so a real draft has a few dozen at most). */
export const FINDINGS_MAX = 100;
/** Applications kept on a draft (the most recent; the count of all is applicationsTotal). */
export const APPLICATIONS_MAX = 100;
/** Characters of an application's note kept on the draft (the full note is in its history line). */
export const APPLICATION_NOTE_MAX = 200;

const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

export function boundEvent(e: HistoryEvent): HistoryEvent {
  return e.note && e.note.length > HISTORY_NOTE_MAX ? { ...e, note: cut(e.note, HISTORY_NOTE_MAX) } : e;
}

export function boundFinding(f: Finding): Finding {
  const fits = !f.evidence || (f.evidence.length <= EVIDENCE_MAX && f.evidence.every((e) => !e.text || e.text.length <= EVIDENCE_TEXT_MAX));
  if (fits) return f;
  const evidence = f.evidence!.slice(0, EVIDENCE_MAX).map((e) => (e.text && e.text.length > EVIDENCE_TEXT_MAX ? { ...e, text: cut(e.text, EVIDENCE_TEXT_MAX) } : e));
  return { ...f, evidence, ...(f.evidence!.length > EVIDENCE_MAX ? { evidenceTotal: f.evidenceTotal ?? f.evidence!.length } : {}) };
}

/** Blocking findings first, so a cut never hides why a draft was rejected. */
export function boundFindings(findings: readonly Finding[]): Finding[] {
  const bounded = findings.map(boundFinding);
  if (bounded.length <= FINDINGS_MAX) return bounded;
  const order = { block: 0, warn: 1, info: 2 } as const;
  return bounded
    .map((f, i) => ({ f, i }))
    .sort((a, b) => order[a.f.severity] - order[b.f.severity] || a.i - b.i)
    .slice(0, FINDINGS_MAX)
    .sort((a, b) => a.i - b.i)
    .map(({ f }) => f);
}

/** The draft with every growing field capped (history is split off by the store, not here). */
export function boundDraft(d: Draft): Draft {
  const apps = d.applications;
  return {
    ...d,
    findings: boundFindings(d.findings),
    history: d.history.map(boundEvent),
    ...(d.replaces && d.replaces.length > REPLACES_MAX ? { replaces: d.replaces.slice(-REPLACES_MAX) } : {}),
    ...(apps
      ? {
          applications: apps.slice(-APPLICATIONS_MAX).map((a) => (a.note && a.note.length > APPLICATION_NOTE_MAX ? { ...a, note: cut(a.note, APPLICATION_NOTE_MAX) } : a)),
          applicationsTotal: Math.max(d.applicationsTotal ?? 0, apps.length),
        }
      : {}),
  };
}

/** Lease extensions allowed per claim within LEASE_EXTENSION_WINDOW_MS; more are a 429. */
export const LEASE_EXTENSIONS_PER_WINDOW = 3;
export const LEASE_EXTENSION_WINDOW_MS = 10 * 60_000;
/** A claim's lease ends at most this long after it was taken (SQS's own limit from receipt is 12 hours). */
export const MAX_LEASE_LIFE_MS = 12 * 3600_000;
