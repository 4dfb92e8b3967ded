/**
 * Precision and recall of the detectors (shared/rules/detect) on the labelled set
 * test/fixtures/labelled-detectors.json: hand-written snippets of government text (positives
 * and hard negatives for every detector) plus the five seed texts of the corpus. Every
 * snippet lists everything every detector should find in it, so anything else a detector
 * returns is a false positive.
 *
 *   npx tsx bench/detectors.ts            → prints the table, writes bench/results/detectors.{md,json}
 *
 * Counting, per kind: the expected and the found values of a text are compared as
 * multisets (a document number found twice must be labelled twice). Values compared:
 * document numbers by canonical form (and, for "document-number:normative", which of them
 * are 规-numbered); 令 numbers ("order-number") by canonical form; markers by kind, span text and 保密期限; personal data by kind and span
 * text; cited titles by source and title; the validity statement by span text and
 * from/until/years; documentTypeOfTitle by the returned type. Every returned span is also
 * checked to be `input.slice(start, end)`.
 *
 * Timing of all detectors over pdf-variants/large_199p.txt (normalised) is reported as a
 * fact, never asserted.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normaliseText } from '#shared/extract/normalise';
import { documentTypeOfTitle, findCitedTitles, findDocumentNumbers, findMarkers, findOrderNumbers, findPersonalData, findValidity, type Span } from '#shared/rules/detect/index';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURE = path.resolve(here, '../test/fixtures/labelled-detectors.json');

/** The labels of one text (a missing key: nothing of that kind). */
export interface Labels {
  readonly numbers?: readonly string[];
  readonly normative?: readonly string[];
  /** 令 numbers (canonical: organ + 第N号). */
  readonly orders?: readonly string[];
  /** [kind, span text, secrecyPeriod?] */
  readonly markers?: ReadonlyArray<readonly [string, string, string?]>;
  /** [kind, span text] */
  readonly personal?: ReadonlyArray<readonly [string, string]>;
  /** [source, title] */
  readonly titles?: ReadonlyArray<readonly [string, string]>;
  readonly validity?: { readonly text: string; readonly from?: string; readonly until?: string; readonly years?: number };
}
export interface Snippet extends Labels {
  readonly id: string;
  readonly text: string;
  readonly note?: string;
}
export interface Fixture {
  readonly description: string;
  readonly snippets: readonly Snippet[];
  readonly types: ReadonlyArray<{ readonly title: string; readonly type: string | null }>;
  readonly corpus: ReadonlyArray<Labels & { readonly file: string }>;
}

export interface KindScore {
  readonly kind: string;
  readonly expected: number;
  readonly found: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** 1 when nothing was found (no false positive possible). */
  readonly precision: number;
  /** 1 when nothing was expected. */
  readonly recall: number;
}

export interface Mismatch {
  readonly id: string;
  readonly kind: string;
  readonly problem: 'missed' | 'spurious' | 'bad-span';
  readonly value: string;
}

export interface Result {
  readonly fixture: string;
  readonly snippets: number;
  readonly typeCases: number;
  /** Corpus texts scored (0 when the corpus directory is missing). */
  readonly corpusTexts: number;
  readonly corpusDir: string | null;
  readonly kinds: readonly KindScore[];
  readonly overall: Omit<KindScore, 'kind'>;
  readonly mismatches: readonly Mismatch[];
  /** All detectors once over large_199p.txt (normalised); null without the corpus. */
  readonly timing: { readonly file: string; readonly chars: number; readonly ms: Readonly<Record<string, number>>; readonly totalMs: number } | null;
}

/** ../shared/corpus from the repo root, or GONGKAI_CORPUS. */
export function corpusDir(): string {
  return process.env.GONGKAI_CORPUS ?? path.resolve(here, '../../shared/corpus');
}

type Found = Map<string, string[]>;

function add(m: Found, kind: string, value: string): void {
  const list = m.get(kind);
  if (list) list.push(value);
  else m.set(kind, [value]);
}

const markerValue = (text: string, period?: string) => (period === undefined ? text : `${text} [${period}]`);
const validityValue = (v: { text: string; from?: string; until?: string; years?: number }) => `${v.text} {from=${v.from ?? '-'} until=${v.until ?? '-'} years=${v.years ?? '-'}}`;

/** What the labels say, as kind → values. */
function expectedOf(l: Labels): Found {
  const m: Found = new Map();
  for (const n of l.numbers ?? []) add(m, 'document-number', n);
  for (const n of l.normative ?? []) add(m, 'document-number:normative', n);
  for (const n of l.orders ?? []) add(m, 'order-number', n);
  for (const [kind, text, period] of l.markers ?? []) add(m, `marker:${kind}`, markerValue(text, period));
  for (const [kind, text] of l.personal ?? []) add(m, `personal:${kind}`, text);
  for (const [source, title] of l.titles ?? []) add(m, `cited-title:${source}`, title);
  if (l.validity) add(m, 'validity', validityValue(l.validity));
  return m;
}

/** What the detectors find, as kind → values; bad spans are reported separately. */
function foundIn(text: string, badSpan: (kind: string, s: Span) => void): Found {
  const m: Found = new Map();
  const check = (kind: string, s: Span) => {
    if (text.slice(s.start, s.end) !== s.text || s.start < 0 || s.end > text.length || s.start >= s.end) badSpan(kind, s);
  };
  for (const n of findDocumentNumbers(text)) {
    check('document-number', n);
    add(m, 'document-number', n.canonical);
    if (n.normative) add(m, 'document-number:normative', n.canonical);
  }
  for (const n of findOrderNumbers(text)) {
    check('order-number', n);
    add(m, 'order-number', n.canonical);
  }
  for (const mk of findMarkers(text)) {
    check(`marker:${mk.kind}`, mk);
    add(m, `marker:${mk.kind}`, markerValue(mk.text, mk.secrecyPeriod));
  }
  for (const p of findPersonalData(text)) {
    check(`personal:${p.kind}`, p);
    add(m, `personal:${p.kind}`, p.text);
  }
  for (const t of findCitedTitles(text)) {
    check(`cited-title:${t.source}`, t);
    add(m, `cited-title:${t.source}`, t.title);
  }
  const v = findValidity(text);
  if (v) {
    check('validity', v);
    add(m, 'validity', validityValue(v));
  }
  return m;
}

/** Every kind the detectors can report (so a kind with no labels still shows up). */
export const KINDS = [
  'document-number',
  'document-number:normative',
  'order-number',
  ...['public-release', 'proactive', 'on-application', 'not-public', 'internal', 'keep-safe', 'top-secret', 'confidential', 'secret'].map((k) => `marker:${k}`),
  ...['resident-id', 'mobile', 'landline', 'plate', 'bank-card', 'email'].map((k) => `personal:${k}`),
  'cited-title:quoted',
  'cited-title:heading',
  'validity',
  'document-type',
] as const;

interface Tally {
  expected: number;
  found: number;
  tp: number;
}

function score(kind: string, t: Tally): KindScore {
  const fp = t.found - t.tp;
  const fn = t.expected - t.tp;
  return {
    kind,
    expected: t.expected,
    found: t.found,
    truePositives: t.tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: t.found === 0 ? 1 : t.tp / t.found,
    recall: t.expected === 0 ? 1 : t.tp / t.expected,
  };
}

export function loadFixture(file = FIXTURE): Fixture {
  return JSON.parse(readFileSync(file, 'utf8')) as Fixture;
}

/** Score every detector on the labelled set (and the corpus texts, when the corpus is there). */
export function benchDetectors(options: { fixture?: Fixture; corpusDir?: string | null } = {}): Result {
  const fixture = options.fixture ?? loadFixture();
  const dir = options.corpusDir === undefined ? corpusDir() : options.corpusDir;
  const haveCorpus = dir !== null && existsSync(path.join(dir, 'txt'));
  const tallies = new Map<string, Tally>(KINDS.map((k) => [k, { expected: 0, found: 0, tp: 0 }]));
  const tally = (kind: string): Tally => {
    let t = tallies.get(kind);
    if (!t) tallies.set(kind, (t = { expected: 0, found: 0, tp: 0 }));
    return t;
  };
  const mismatches: Mismatch[] = [];

  const scoreText = (id: string, text: string, labels: Labels) => {
    const expected = expectedOf(labels);
    const found = foundIn(text, (kind, s) => mismatches.push({ id, kind, problem: 'bad-span', value: JSON.stringify(s) }));
    for (const kind of new Set([...expected.keys(), ...found.keys()])) {
      const want = [...(expected.get(kind) ?? [])];
      const got = found.get(kind) ?? [];
      const t = tally(kind);
      t.expected += want.length;
      t.found += got.length;
      for (const g of got) {
        const i = want.indexOf(g);
        if (i >= 0) {
          want.splice(i, 1);
          t.tp++;
        } else mismatches.push({ id, kind, problem: 'spurious', value: g });
      }
      for (const w of want) mismatches.push({ id, kind, problem: 'missed', value: w });
    }
  };

  for (const s of fixture.snippets) scoreText(s.id, s.text, s);
  let corpusTexts = 0;
  if (haveCorpus) {
    for (const c of fixture.corpus) {
      const raw = readFileSync(path.join(dir, c.file), 'utf8');
      scoreText(`${c.file} (raw)`, raw, c);
      scoreText(`${c.file} (normalised)`, normaliseText(raw), c);
      corpusTexts += 2;
    }
  }
  const types = tally('document-type');
  for (const { title, type } of fixture.types) {
    const got = documentTypeOfTitle(title) ?? null;
    if (type !== null) types.expected++;
    if (got !== null) types.found++;
    if (got !== null && got === type) types.tp++;
    else {
      if (got !== null) mismatches.push({ id: `type:${title}`, kind: 'document-type', problem: 'spurious', value: got });
      if (type !== null) mismatches.push({ id: `type:${title}`, kind: 'document-type', problem: 'missed', value: type });
    }
  }

  const kinds = [...tallies].map(([k, t]) => score(k, t));
  const sum = kinds.reduce<Tally>((a, k) => ({ expected: a.expected + k.expected, found: a.found + k.found, tp: a.tp + k.truePositives }), {
    expected: 0,
    found: 0,
    tp: 0,
  });
  const { kind: _, ...overall } = score('overall', sum);

  let timing: Result['timing'] = null;
  const large = dir === null ? '' : path.join(dir, 'pdf-variants', 'large_199p.txt');
  if (haveCorpus && existsSync(large)) {
    const text = normaliseText(readFileSync(large, 'utf8'));
    const fns = { findDocumentNumbers, findMarkers, findPersonalData, findCitedTitles, findValidity } as const;
    for (const fn of Object.values(fns)) fn(text); // warm-up
    const ms: Record<string, number> = {};
    for (const [name, fn] of Object.entries(fns)) {
      const t0 = performance.now();
      fn(text);
      ms[name] = Math.round((performance.now() - t0) * 10) / 10;
    }
    timing = { file: 'pdf-variants/large_199p.txt', chars: text.length, ms, totalMs: Math.round(Object.values(ms).reduce((a, b) => a + b, 0) * 10) / 10 };
  }

  return {
    fixture: path.relative(path.resolve(here, '..'), FIXTURE),
    snippets: fixture.snippets.length,
    typeCases: fixture.types.length,
    corpusTexts,
    corpusDir: haveCorpus ? dir : null,
    kinds,
    overall,
    mismatches,
    timing,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function toMarkdown(r: Result): string {
  const lines = [
    '# Detectors: precision and recall on the labelled set',
    '',
    `Fixture \`${r.fixture}\`: ${r.snippets} labelled snippets, ${r.typeCases} title→文种 cases, ${r.corpusTexts} corpus texts (the five seeds, raw and normalised). ` +
      'Every snippet lists everything every detector should find in it; anything else found is a false positive.',
    '',
    '| kind | expected | found | TP | FP | FN | precision | recall |',
    '| :-- | --: | --: | --: | --: | --: | --: | --: |',
    ...r.kinds.map((k) => `| ${k.kind} | ${k.expected} | ${k.found} | ${k.truePositives} | ${k.falsePositives} | ${k.falseNegatives} | ${pct(k.precision)} | ${pct(k.recall)} |`),
    `| **overall** | ${r.overall.expected} | ${r.overall.found} | ${r.overall.truePositives} | ${r.overall.falsePositives} | ${r.overall.falseNegatives} | ${pct(r.overall.precision)} | ${pct(r.overall.recall)} |`,
    '',
  ];
  if (r.mismatches.length > 0) {
    lines.push('## Mismatches', '', '| text | kind | problem | value |', '| :-- | :-- | :-- | :-- |');
    for (const m of r.mismatches) lines.push(`| ${m.id} | ${m.kind} | ${m.problem} | ${m.value.replace(/\n/g, '⏎').replace(/\|/g, '\\|')} |`);
    lines.push('');
  } else lines.push('No mismatches.', '');
  if (r.timing) {
    lines.push(
      `## Speed (a fact, not a test)`,
      '',
      `All detectors once over \`${r.timing.file}\` (${r.timing.chars} characters, normalised), after a warm-up: ${r.timing.totalMs} ms — ` +
        Object.entries(r.timing.ms)
          .map(([k, v]) => `${k} ${v} ms`)
          .join(', ') +
        '.',
      '',
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = benchDetectors();
  const out = path.resolve(here, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'detectors.json'), `${JSON.stringify(r, null, 2)}\n`);
  const md = toMarkdown(r);
  writeFileSync(path.join(out, 'detectors.md'), md);
  console.log(md);
  console.log(`written: ${path.relative(process.cwd(), path.join(out, 'detectors.md'))}, ${path.relative(process.cwd(), path.join(out, 'detectors.json'))}`);
}
