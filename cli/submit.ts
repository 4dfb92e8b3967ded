/**
 * The drafting unit's batch command line: `npm run submit -- <folder | file> [options]`.
 *
 *   npm run submit -- ./drafts                         a folder with manifest.json or manifest.csv
 *   npm run submit -- ./drafts --manifest list.csv     another manifest (paths in it are relative to it)
 *   npm run submit -- fangan.pdf --form form.json [--interpretation jiedu.docx]
 *   npm run submit -- ./old-files --historical         import historical documents (no attribute yet)
 *
 * Options:
 *   --report FILE     write a machine-readable report (JSON)
 *   --wait            follow every draft to PUBLISHED / FILED / REJECTED or PENDING_APPROVAL
 *   --timeout SECONDS how long --wait waits for each draft (default 120)
 *   --api URL         (or GONGKAI_API, default http://127.0.0.1:8700)
 *   --token TOKEN     (or GONGKAI_TOKEN, default the local demo drafter)
 *
 * Every row of the manifest is validated with the API's own schema before anything is
 * sent; a bad manifest prints each row's field errors and exits 2 with nothing submitted.
 * What was submitted is remembered in `.gongkai-submitted.json` beside the manifest, keyed
 * by the file's bytes and the form, so a re-run skips it and only reports its status.
 *
 * Exit codes: 0 all accepted; 1 a draft was refused or rejected (or the API unreachable or
 * incompatible); 2 bad usage or a bad manifest.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { runAsMain } from '#cli/main';
import * as z from 'zod';
import { CreateDraftRequest } from '#shared/api';
import { FIELD_LABELS } from '#shared/domain/form';
import { issuesOf } from '#shared/http';
import { API_VERSION, compatible } from '#shared/openapi';
import { HistoricalDocumentInput, type HistoricalImportRequest } from '#shared/historical';
import { ApiError, fileSpec, GongkaiClient, uploadFile, type DraftView } from '#client/gongkai';

type Form = CreateDraftRequest['form'];
type Status = DraftView['status'];

export const LEDGER_FILE = '.gongkai-submitted.json';
const MANIFEST_NAMES = ['manifest.json', 'manifest.csv'];
/** Where --wait stops following a draft: it has left the automatic stages. */
const SETTLED: readonly Status[] = ['PUBLISHED', 'FILED', 'REJECTED', 'PENDING_APPROVAL'];

/** One draft to submit, as the manifest gives it. */
export const ManifestEntry = z.object({
  file: z.string({ error: '请填写文件路径 / file (the document path) is required' }).trim().min(1, '请填写文件路径 / file (the document path) is required'),
  interpretation: z.string().trim().min(1).optional(),
  form: z.record(z.string(), z.unknown(), { error: '缺少申报表 / form is required' }),
});
export type ManifestEntry = z.infer<typeof ManifestEntry>;

/**
 * CSV column names → form field paths. The form's own field names (and dotted paths such as
 * contact.name) are always accepted; these are the Chinese headers and the flat shorthands.
 */
const COLUMN_ALIASES: Record<string, string> = {
  文件: 'file',
  正文: 'file',
  解读文件: 'interpretation',
  解读材料: 'interpretation',
  interpretationFile: 'interpretation',
  ...Object.fromEntries(Object.entries(FIELD_LABELS).map(([field, zh]) => [zh, `form.${field}`])),
  标题: 'form.title',
  文号: 'form.documentNumber',
  政策性文件: 'form.isPolicy',
  理由: 'form.nonPublicReason',
  依据: 'form.legalBasis',
  领域: 'form.domain',
  联系人: 'form.contact.name',
  联系电话: 'form.contact.phone',
  contactName: 'form.contact.name',
  contactPhone: 'form.contact.phone',
  解读方式: 'form.interpretation.mode',
  解读形式: 'form.interpretation.format',
  无需解读理由: 'form.interpretation.reason',
  interpretationMode: 'form.interpretation.mode',
  interpretationFormat: 'form.interpretation.format',
  noInterpretationReason: 'form.interpretation.reason',
  有效期年数: 'form.validity.years',
  有效期至: 'form.validity.until',
};
const VALUE_ALIASES: Record<string, Record<string, unknown>> = {
  'form.isPolicy': { true: true, false: false, 是: true, 否: false, yes: true, no: false, '1': true, '0': false },
  'form.interpretation.mode': { 随附: 'attached', 无需: 'not-needed', 无需解读: 'not-needed' },
  'form.secrecyLevel': { 非涉密: 'none', 无: 'none' },
};
const NUMERIC = new Set(['form.validity.years']);

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; a leading BOM is dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

function columnPath(header: string): string | undefined {
  const h = header.trim();
  if (COLUMN_ALIASES[h]) return COLUMN_ALIASES[h];
  if (h === 'file' || h === 'interpretation') return h;
  const top = h.replace(/^form\./, '').split('.')[0]!;
  return top in FIELD_LABELS ? `form.${h.replace(/^form\./, '')}` : undefined;
}

/** CSV rows → manifest entries (one draft a row); unknown columns are an error, not ignored. */
export function entriesFromCsv(text: string): { entries: unknown[]; issues: string[] } {
  const [header, ...rows] = parseCsv(text);
  if (!header) return { entries: [], issues: ['清单为空 / the manifest is empty'] };
  const paths = header.map(columnPath);
  const issues = header.flatMap((h, i) => (paths[i] ? [] : [`未知的列“${h}” / unknown column "${h}"`]));
  const entries = rows.map((cells) => {
    const entry: Record<string, unknown> = {};
    cells.forEach((raw, i) => {
      const path = paths[i];
      const cell = raw.trim();
      if (!path || cell === '') return;
      const value = VALUE_ALIASES[path]?.[cell] ?? (NUMERIC.has(path) && /^\d+$/.test(cell) ? Number(cell) : cell);
      const keys = path.split('.');
      let node = entry;
      for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
      node[keys.at(-1)!] = value;
    });
    // An interpretation file without a declared mode means it is attached.
    const form = (entry.form ??= {}) as Record<string, unknown>;
    if (entry.interpretation && !form.interpretation) form.interpretation = { mode: 'attached' };
    return entry;
  });
  return { entries, issues };
}

/** A manifest row checked and ready: the request the API will get, and the bytes to upload. */
export interface Prepared {
  readonly row: number;
  readonly file: string;
  readonly request: CreateDraftRequest;
  readonly bytes: { document: Uint8Array; interpretation?: Uint8Array };
  /** sha256 of the files' bytes and the canonical form: the ledger key. */
  readonly key: string;
}

export interface RowIssues {
  readonly row: number;
  readonly file?: string;
  readonly issues: { field: string; zh: string; en: string }[];
}

/** JSON with sorted keys: the same form written in another order has the same key. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

/** Validates every entry with the API's own schema (CreateDraftRequest); nothing is sent. */
export async function prepare(entries: readonly unknown[], baseDir: string): Promise<{ prepared: Prepared[]; bad: RowIssues[] }> {
  const prepared: Prepared[] = [];
  const bad: RowIssues[] = [];
  for (const [i, raw] of entries.entries()) {
    const row = i + 1;
    const shape = ManifestEntry.safeParse(raw);
    if (!shape.success) {
      bad.push({ row, issues: issuesOf(shape.error) });
      continue;
    }
    const entry = shape.data;
    const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
    const missing = [
      ['file', entry.file],
      ['interpretation', entry.interpretation],
    ]
      .filter((e): e is [string, string] => e[1] !== undefined && !existsSync(at(e[1])))
      .map(([field, p]) => ({ field, zh: `找不到文件 ${p}`, en: `no such file: ${p}` }));
    if (missing.length) {
      bad.push({ row, file: entry.file, issues: missing });
      continue;
    }
    const doc = await fileSpec(at(entry.file));
    const interp = entry.interpretation ? await fileSpec(at(entry.interpretation)) : undefined;
    const parsed = CreateDraftRequest.safeParse({ form: entry.form, files: { document: doc.spec, ...(interp ? { interpretation: interp.spec } : {}) } });
    if (!parsed.success) {
      bad.push({ row, file: entry.file, issues: issuesOf(parsed.error) });
      continue;
    }
    const hash = createHash('sha256').update(doc.bytes);
    if (interp) hash.update('\0interpretation\0').update(interp.bytes);
    hash.update('\0form\0').update(canonical(parsed.data.form));
    prepared.push({
      row,
      file: entry.file,
      // What is sent is the form as written (the server applies the defaults itself).
      request: { form: entry.form as Form, files: parsed.data.files },
      bytes: { document: doc.bytes, ...(interp ? { interpretation: interp.bytes } : {}) },
      key: hash.digest('hex'),
    });
  }
  return { prepared, bad };
}

/** What was submitted from this folder, by ledger key. */
interface LedgerEntry {
  id: string;
  file: string;
  title: string;
  submittedAt: string;
  /** False until every file reached its presigned upload; a re-run finishes the upload. */
  uploaded: boolean;
}
/** By API base URL, then by ledger key: a draft submitted to one server says nothing about another. */
type Ledger = Record<string, Record<string, LedgerEntry>>;

export type Outcome = 'submitted' | 'skipped' | 'refused' | 'failed';
export interface ReportRow {
  row: number;
  file: string;
  title: string;
  key: string;
  outcome: Outcome;
  id?: string;
  status?: Status;
  statusLabel?: string;
  findings: { ruleId: string; severity: string; zh: string; en: string }[];
  /**
   * Files read by OCR (scans, images): the pages recognised and those still being read, and the
   * API's own wording of its page lists (the draft view's `ocr.text`, API 1.1): `check` are the
   * pages to check against the original (no text found, or below the engine's threshold, which
   * only the server knows); '' for none.
   */
  ocr?: { part: string; engine?: string; pages: number[]; pending?: number[]; text: { pages: string; check: string; pending: string } }[];
  error?: { zh: string; en: string; issues?: { field: string; zh: string; en: string }[] };
}

/** What a draft says about OCR, per file (issue 14): absent when no file was read by OCR. */
export function ocrOf(d: Pick<DraftView, 'files'>): ReportRow['ocr'] {
  const out: NonNullable<ReportRow['ocr']> = [];
  for (const [part, f] of Object.entries(d.files)) {
    const ocr = f?.ocr;
    if (!ocr) continue;
    out.push({
      part,
      ...(ocr.engine ? { engine: ocr.engine } : {}),
      pages: ocr.pages.map((p) => p.page),
      ...(ocr.pending ? { pending: ocr.pending } : {}),
      text: { pages: ocr.text.pages, check: ocr.text.check, pending: ocr.text.pending },
    });
  }
  return out.length ? out : undefined;
}

/**
 * The table's words for a row's OCR, from the API's page lists: "OCR 第 1–2 页；请核对第 2 页 /
 * check p. 2" (the English gloss lists the pages with commas).
 */
export const ocrNote = (ocr: ReportRow['ocr']): string =>
  (ocr ?? [])
    .map(({ text }) =>
      text.pending
        ? `OCR 识别中：第 ${text.pending} 页`
        : `OCR 第 ${text.pages} 页${text.check ? `；请核对第 ${text.check} 页 / check p. ${text.check.replaceAll('、', ', ')}` : ''}`,
    )
    .join('；');
export interface Report {
  api: string;
  apiVersion: string;
  manifest: string;
  startedAt: string;
  finishedAt: string;
  waited: boolean;
  totals: Record<Outcome, number> & { rejected: number; rows: number };
  drafts: ReportRow[];
}

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A text progress bar, one line per step: no cursor tricks, readable in CI logs. */
export function progressLine(done: number, total: number, label: string, width = 24): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`;
}

async function loadManifest(
  target: string,
  manifestOpt: string | undefined,
  formOpt: string | undefined,
  interpretation: string | undefined,
): Promise<{ entries: unknown[]; baseDir: string; ledgerDir: string; manifest: string; issues: string[] }> {
  if (!existsSync(target)) throw new UsageError(`找不到 ${target} / no such file or folder: ${target}`);
  if (!(await stat(target)).isDirectory()) {
    // One draft: the document, with its form in a JSON file.
    if (!formOpt) throw new UsageError('提交单个文件需要 --form form.json / a single file needs --form form.json');
    const form: unknown = JSON.parse(await readFile(formOpt, 'utf8'));
    return {
      entries: [{ file: resolve(target), ...(interpretation ? { interpretation: resolve(interpretation) } : {}), form }],
      baseDir: dirname(resolve(target)),
      // The form file stands in for the manifest: the ledger goes beside it, not beside the document.
      ledgerDir: dirname(resolve(formOpt)),
      manifest: resolve(formOpt),
      issues: [],
    };
  }
  const manifest = manifestOpt ? resolve(target, manifestOpt) : MANIFEST_NAMES.map((n) => join(target, n)).find(existsSync);
  if (!manifest || !existsSync(manifest))
    throw new UsageError(`文件夹中没有 manifest.json 或 manifest.csv，请用 --manifest 指定 / no manifest.json or manifest.csv in ${target}: give --manifest`);
  const text = await readFile(manifest, 'utf8');
  const baseDir = dirname(manifest);
  if (/\.csv$/i.test(manifest)) return { ...entriesFromCsv(text), baseDir, ledgerDir: resolve(target), manifest };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { entries: [], baseDir, ledgerDir: resolve(target), manifest, issues: ['清单不是有效的 JSON / the manifest is not valid JSON'] };
  }
  const entries = Array.isArray(parsed) ? parsed : (parsed as { drafts?: unknown[] })?.drafts;
  if (!Array.isArray(entries))
    return {
      entries: [],
      baseDir,
      ledgerDir: resolve(target),
      manifest,
      issues: ['JSON 清单应为数组 [{file, interpretation?, form}] / a JSON manifest is an array of {file, interpretation?, form}'],
    };
  return { entries, baseDir, ledgerDir: resolve(target), manifest, issues: [] };
}

const errorOf = (err: unknown): ReportRow['error'] =>
  err instanceof ApiError
    ? { zh: err.body.error?.zh ?? `HTTP ${err.status}`, en: err.body.error?.en ?? `HTTP ${err.status}`, ...(err.body.error?.issues ? { issues: err.body.error.issues } : {}) }
    : { zh: String((err as Error)?.message ?? err), en: String((err as Error)?.message ?? err) };

function printBadManifest(loaded: { manifest: string; issues: string[]; entries: unknown[] }, bad: readonly RowIssues[], out: (s: string) => void): void {
  out(`清单有误，未提交任何文件 / the manifest has errors; nothing was submitted (${loaded.manifest})`);
  for (const i of loaded.issues) out(`  ${i}`);
  if (loaded.entries.length === 0 && !loaded.issues.length) out('  清单中没有文件 / the manifest lists no drafts');
  for (const b of bad) {
    out(`  第 ${b.row} 行 row ${b.row}${b.file ? ` (${b.file})` : ''}:`);
    for (const i of b.issues) {
      const top = i.field.replace(/^form\./, '').split('.')[0]!;
      const label = i.field.startsWith('form.') && FIELD_LABELS[top] ? `${FIELD_LABELS[top]} ` : '';
      out(`    - ${label}${i.field}: ${i.zh} / ${i.en}`);
    }
  }
}

/**
 * The oldest API minor (of this client's major) a submit run reads: 1.1 added the draft view's
 * `ocr.text`, the OCR page lists its table and report show. Historical imports need no more than 1.0.
 */
const SUBMIT_MINOR = 1;

/**
 * Whether the server's own description (GET /openapi.json) has this client's API major, at least
 * `minor` of it, and the routes it uses.
 */
function serverFits(api: Awaited<ReturnType<GongkaiClient['getOpenApi']>>, needs: readonly [string, string][], out: (s: string) => void, minor = 0): boolean {
  const missing = needs.filter(([path, method]) => !api.paths?.[path]?.[method]);
  const version = api.info?.version;
  const sameMajor = compatible(API_VERSION, version);
  // NaN (no minor given) counts as older.
  const older = sameMajor && !(Number(version?.split('.')[1]) >= minor);
  if (sameMajor && !older && missing.length === 0) return true;
  const wanted = `${API_VERSION.split('.')[0]}.${minor}`;
  out(
    (older
      ? `服务器接口版本 ${version} 早于本工具所需的 ${wanted}，请先更新服务器 / the server's API ${version} is older than the ${wanted} this client needs: update the server`
      : `服务器接口版本 ${version ?? '?'} 与本工具（${API_VERSION}）不兼容，请更新 / the server's API ${version ?? '?'} is not compatible with this client (${API_VERSION}): update it`) +
      (missing.length ? `\n  缺少接口 missing routes: ${missing.map(([p, m]) => `${m.toUpperCase()} ${p}`).join(', ')}` : ''),
  );
  return false;
}

/** A historical document's row: flat, or its fields under `form` (as a CSV row with 标题, 起草单位… gives them). */
function historicalRow(raw: unknown): Record<string, unknown> {
  if (!raw || typeof raw !== 'object') return {};
  const { form, ...rest } = raw as { form?: Record<string, unknown> };
  return { ...(form ?? {}), ...rest };
}

export interface HistoricalReport {
  kind: 'historical';
  api: string;
  manifest: string;
  totals: { rows: number; imported: number; skipped: number; failed: number };
  documents: { row: number; file: string; title: string; id?: string; outcome: 'imported' | 'skipped' | 'failed'; status?: string; error?: ReportRow['error'] }[];
}

/**
 * --historical: bulk import of historical documents (no attribute yet) with their originals.
 * Rows: file, title (标题), documentNumber (文号, optional), documentDate (成文日期), draftingUnit
 * (起草单位). A document imported before is found again by the server (same unit, number or
 * title, date) and skipped; its original is uploaded only while missing.
 */
async function importHistorical(
  client: GongkaiClient,
  target: string,
  options: { manifest?: string | undefined; report?: string | undefined; api: string },
  out: (s: string) => void,
  progress: (s: string) => void,
): Promise<number> {
  if (!existsSync(target) || !(await stat(target)).isDirectory()) throw new UsageError('--historical 需要一个含清单的文件夹 / --historical needs a folder with a manifest');
  const loaded = await loadManifest(target, options.manifest, undefined, undefined);
  const bad: RowIssues[] = [];
  const rows: { row: number; file: string; doc: HistoricalImportRequest['documents'][number]; bytes: Uint8Array }[] = [];
  for (const [i, raw] of loaded.entries.entries()) {
    const { file, interpretation: _none, ...fields } = historicalRow(raw);
    if (typeof file !== 'string' || !file.trim()) {
      bad.push({ row: i + 1, issues: [{ field: 'file', zh: '请填写文件路径', en: 'file (the original) is required' }] });
      continue;
    }
    const path = isAbsolute(file) ? file : resolve(loaded.baseDir, file);
    if (!existsSync(path)) {
      bad.push({ row: i + 1, file, issues: [{ field: 'file', zh: `找不到文件 ${file}`, en: `no such file: ${file}` }] });
      continue;
    }
    const { spec, bytes } = await fileSpec(path);
    const parsed = HistoricalDocumentInput.safeParse({ ...fields, file: spec });
    if (!parsed.success) bad.push({ row: i + 1, file, issues: issuesOf(parsed.error) });
    else rows.push({ row: i + 1, file, doc: parsed.data, bytes });
  }
  if (loaded.issues.length || bad.length || loaded.entries.length === 0) {
    printBadManifest(loaded, bad, out);
    return 2;
  }
  if (!serverFits(await client.getOpenApi(), [['/historical', 'post']], out)) return 1;

  const report: HistoricalReport = {
    kind: 'historical',
    api: options.api,
    manifest: loaded.manifest,
    totals: { rows: rows.length, imported: 0, skipped: 0, failed: 0 },
    documents: [],
  };
  for (let start = 0; start < rows.length; start += 100) {
    const chunk = rows.slice(start, start + 100);
    const res = await client.importHistorical({ documents: chunk.map((r) => r.doc) });
    for (const [j, d] of res.documents.entries()) {
      const r = chunk[j]!;
      const line: HistoricalReport['documents'][number] = { row: r.row, file: r.file, title: d.title, id: d.id, outcome: d.imported ? 'imported' : 'skipped', status: d.status };
      try {
        if (d.upload) await uploadFile(d.upload, r.bytes, r.doc.file.fileName);
      } catch (err) {
        Object.assign(line, { outcome: 'failed', error: errorOf(err) });
      }
      report.documents.push(line);
      report.totals[line.outcome]++;
      progress(progressLine(report.documents.length, rows.length, `${line.outcome} ${basename(r.file)}`));
    }
  }
  const table = new Table({
    head: ['#', '文件 file', '标题 title', '结果 outcome', 'id', '状态 status'],
    style: { head: [], border: [] },
    colWidths: [4, 24, 34, 12, 28, 14],
    wordWrap: true,
  });
  for (const d of report.documents) table.push([String(d.row), basename(d.file), d.title, d.outcome, d.id ?? '—', d.status ?? '—']);
  out(table.toString());
  const { imported, skipped, failed } = report.totals;
  out(
    `历史文件 ${rows.length} 件：新导入 ${imported}，已导入过 ${skipped}，失败 ${failed}。由起草单位出具公函确定公开属性：POST /historical/{id}/determination\n${rows.length} historical documents: ${imported} imported, ${skipped} already imported, ${failed} failed`,
  );
  if (options.report) {
    await writeFile(options.report, `${JSON.stringify(report, null, 2)}\n`);
    out(`报告 report: ${options.report}`);
  }
  return failed > 0 ? 1 : 0;
}

export async function run(argv: string[], out: (s: string) => void = console.log, progress: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        api: { type: 'string', default: process.env.GONGKAI_API ?? 'http://127.0.0.1:8700' },
        token: { type: 'string', default: process.env.GONGKAI_TOKEN ?? 'dev-drafter-fgw' },
        manifest: { type: 'string' },
        form: { type: 'string' },
        interpretation: { type: 'string' },
        report: { type: 'string' },
        wait: { type: 'boolean', default: false },
        historical: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '120' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    out(`${(err as Error).message}\n用法 usage: npm run submit -- <folder | file --form form.json> [--manifest M] [--report R] [--wait] [--api URL] [--token T]`);
    return 2;
  }
  const [target] = positionals;
  if (!target || values.help) {
    out(
      '用法 usage: npm run submit -- <folder | file --form form.json [--interpretation F]> [--manifest manifest.json|csv] [--report report.json] [--wait] [--timeout S] [--api URL] [--token T]\n           npm run submit -- <folder> --historical [--manifest M] [--report R]   (历史文件批量导入 / import historical documents)',
    );
    return values.help ? 0 : 2;
  }
  const startedAt = new Date().toISOString();
  const client = new GongkaiClient(values.api!, values.token!);
  try {
    if (values.historical) return await importHistorical(client, target, { manifest: values.manifest, report: values.report, api: values.api! }, out, progress);

    // 1. Read and check the whole manifest before sending anything.
    const loaded = await loadManifest(target, values.manifest, values.form, values.interpretation);
    const { prepared, bad } = await prepare(loaded.entries, loaded.baseDir);
    if (loaded.issues.length || bad.length || loaded.entries.length === 0) {
      printBadManifest(loaded, bad, out);
      return 2;
    }

    // 2. Check that the server speaks this client's API (its own description says so).
    const api = await client.getOpenApi();
    if (
      !serverFits(
        api,
        [
          ['/drafts', 'post'],
          ['/drafts/{id}', 'get'],
        ],
        out,
        SUBMIT_MINOR,
      )
    )
      return 1;

    // 3. Submit what the ledger does not know yet; report the status of what it does.
    const ledgerFile = join(loaded.ledgerDir, LEDGER_FILE);
    const ledgerAll: Ledger = JSON.parse(await readFile(ledgerFile, 'utf8').catch(() => '{}'));
    const apiBase = values.api!.replace(/\/+$/, '');
    const ledger = (ledgerAll[apiBase] ??= {});
    const saveLedger = () => writeFile(ledgerFile, `${JSON.stringify(ledgerAll, null, 2)}\n`);
    const rows: ReportRow[] = [];
    const seen = new Set<string>();
    let done = 0;
    for (const p of prepared) {
      const title = p.request.form.title;
      const base = { row: p.row, file: p.file, title, key: p.key, findings: [] };
      const known = ledger[p.key];
      try {
        if (seen.has(p.key)) {
          rows.push({ ...base, outcome: 'skipped', ...(known ? { id: known.id } : {}), error: { zh: '与清单中前面一行相同', en: 'same file and form as an earlier row' } });
        } else if (known && known.uploaded) {
          const d = await client.getDraft(known.id);
          rows.push({
            ...base,
            outcome: 'skipped',
            id: d.id,
            status: d.status,
            statusLabel: d.statusLabel,
            findings: d.findings.map(({ ruleId, severity, zh, en }) => ({ ruleId, severity, zh, en })),
            ...(ocrOf(d) ? { ocr: ocrOf(d) } : {}),
          });
        } else {
          // A draft created by an interrupted run gets fresh uploads instead of a second draft;
          // 409 says every file of it arrived after all.
          const created = known
            ? await client.renewUploads(known.id).then(
                (r) => ({ ...r, preflight: [] }),
                (err: unknown) => {
                  if (err instanceof ApiError && err.status === 409) return { id: known.id, status: 'EXTRACTING' as Status, uploads: [], preflight: [] };
                  throw err;
                },
              )
            : await client.createDraft(p.request, { idempotencyKey: p.key });
          ledger[p.key] = { id: created.id, file: p.file, title, submittedAt: known?.submittedAt ?? new Date().toISOString(), uploaded: false };
          await saveLedger();
          for (const u of created.uploads) {
            const bytes = u.part === 'document' ? p.bytes.document : p.bytes.interpretation!;
            const name = u.part === 'document' ? p.request.files.document.fileName : p.request.files.interpretation!.fileName;
            await uploadFile(u, bytes, name);
          }
          ledger[p.key]!.uploaded = true;
          await saveLedger();
          // replayed: the server knew the key (the ledger was lost): the draft of the first run.
          const replayed = 'replayed' in created && created.replayed === true;
          rows.push({
            ...base,
            outcome: replayed ? 'skipped' : 'submitted',
            id: created.id,
            status: created.status,
            findings: created.preflight.map(({ ruleId, severity, zh, en }) => ({ ruleId, severity, zh, en })),
          });
        }
      } catch (err) {
        // The API went away: stop here rather than fail every remaining row.
        if (err instanceof TypeError && /fetch failed/.test(err.message)) throw err;
        rows.push({ ...base, outcome: err instanceof ApiError && err.status < 500 ? 'refused' : 'failed', error: errorOf(err) });
      }
      seen.add(p.key);
      progress(progressLine(++done, prepared.length, `${rows.at(-1)!.outcome} ${basename(p.file)}`));
    }

    // 4. Optionally follow each draft until it leaves the automatic stages.
    if (values.wait) {
      const timeoutMs = Number(values.timeout) * 1000;
      let followed = 0;
      const toFollow = rows.filter((r) => r.id && r.outcome !== 'refused');
      for (const r of toFollow) {
        try {
          const d = await client.waitForStatus(r.id!, SETTLED, timeoutMs);
          Object.assign(r, {
            status: d.status,
            statusLabel: d.statusLabel,
            findings: d.findings.map(({ ruleId, severity, zh, en }) => ({ ruleId, severity, zh, en })),
            ...(ocrOf(d) ? { ocr: ocrOf(d) } : {}),
          });
        } catch (err) {
          r.error = errorOf(err);
        }
        progress(progressLine(++followed, toFollow.length, `${r.status ?? '?'} ${basename(r.file)}`));
      }
    }

    // 5. The summary, the report and the exit code.
    const count = (o: Outcome) => rows.filter((r) => r.outcome === o).length;
    const rejected = rows.filter((r) => r.status === 'REJECTED').length;
    const report: Report = {
      api: values.api!,
      apiVersion: api.info.version,
      manifest: loaded.manifest,
      startedAt,
      finishedAt: new Date().toISOString(),
      waited: values.wait === true,
      totals: { rows: rows.length, submitted: count('submitted'), skipped: count('skipped'), refused: count('refused'), failed: count('failed'), rejected },
      drafts: rows,
    };
    const table = new Table({
      head: ['#', '文件 file', '标题 title', '结果 outcome', 'id', '状态 status', '发现 findings'],
      style: { head: [], border: [] },
      colWidths: [4, 24, 34, 12, 28, 18, 30],
      wordWrap: true,
    });
    for (const r of rows) {
      const blocking = r.findings.filter((f) => f.severity === 'block').map((f) => f.ruleId);
      const note = r.error
        ? `${r.error.zh}${r.error.issues ? `: ${r.error.issues.map((i) => i.field).join(', ')}` : ''}`
        : [blocking.length ? `✗ ${blocking.join(', ')}` : r.findings.length ? `${r.findings.length} 条提示` : '', ocrNote(r.ocr)].filter(Boolean).join('；');
      table.push([String(r.row), basename(r.file), r.title, r.outcome, r.id ?? '—', r.status ?? '—', note]);
    }
    out(table.toString());
    out(
      `共 ${rows.length} 件：新提交 ${report.totals.submitted}，已提交过（跳过）${report.totals.skipped}，被拒收 ${report.totals.refused}，失败 ${report.totals.failed}，已退回 ${rejected}` +
        `\n${rows.length} drafts: ${report.totals.submitted} submitted, ${report.totals.skipped} skipped (already submitted), ${report.totals.refused} refused, ${report.totals.failed} failed, ${rejected} rejected`,
    );
    if (values.report) {
      await writeFile(values.report, `${JSON.stringify(report, null, 2)}\n`);
      out(`报告 report: ${values.report}`);
    }
    return report.totals.refused + report.totals.failed + rejected > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      out(err.message);
      return 2;
    }
    if (err instanceof SyntaxError) {
      out(`无法读取 JSON 文件 / cannot read a JSON file: ${err.message}`);
      return 2;
    }
    if (err instanceof ApiError) {
      out(`错误 error ${err.status}: ${err.body.error?.zh ?? ''}\n  ${err.body.error?.en ?? ''}`);
      return 1;
    }
    if (err instanceof TypeError && /fetch failed/.test(err.message)) {
      out(`无法连接 API ${values.api}：请先运行 npm start / cannot reach the API at ${values.api}: is npm start running?`);
      return 1;
    }
    throw err;
  }
}

runAsMain(import.meta.url, (argv) => run(argv));
