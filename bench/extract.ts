/**
 * Extraction throughput: our extractDocument (pdf-parse / pdf.js) against poppler's
 * `pdftotext -enc UTF-8 file -`, side by side in one run, on the corpus:
 *   - the five small PDFs of pdf/ (together, one case, and each on its own)
 *   - pdf-variants/large_199p.pdf (199 pages, embedded subset fonts)
 *   - pdf-variants/large_cid.pdf (187 pages, CID TrueType fonts)
 * plus, for information, mammoth on pdf-variants/large_199p.docx; and, when the optional
 * in-process reference is present (MuPDF's WASM build, AGPL-3.0: set BENCH_MUPDF to an
 * installed mupdf/dist/mupdf.js — never a dependency of the project), MuPDF beside both.
 * The 1-minute load average is recorded at start and end (the machine is shared: compare
 * the ratios of one run, not absolute times across runs). Beside wall time, CPU time
 * (user + system) of both tools: on a loaded machine it is the steadier comparison (ours from
 * process.cpuUsage(); pdftotext's from `times` of a shell that ran it, one extra run each time).
 *
 * Each case: one untimed warm-up, then `repetitions` timed runs; the median is reported.
 * Our time excludes reading the file (pdftotext reads it itself; the read is < 1 ms here).
 * Memory: our process' RSS sampled every 5 ms while extracting, and the OS high-water mark
 * (process.resourceUsage().maxRSS). Timings are facts to report, never test assertions.
 *
 *   npx tsx bench/extract.ts [corpusDir] [repetitions]   (also writes bench/results/extract.{json,md})
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compactText, extractDocument, nativePush as pushIsNative } from '#shared/extract/index';

export interface BenchCase {
  /** e.g. "pdf/ (5 small)", "large_199p.pdf". */
  name: string;
  files: string[];
  pages: number;
  bytes: number;
  /** Median ms of our extractDocument over all files of the case. */
  oursMs: number;
  /** First (cold-ish: first call for this file, after the module is loaded) run, ms. */
  oursFirstMs: number;
  oursRunsMs: number[];
  /** Median ms of pdftotext; null when pdftotext is not installed. */
  pdftotextMs: number | null;
  pdftotextRunsMs: number[];
  /** oursMs / pdftotextMs (>1: we are slower); null without pdftotext. */
  ratio: number | null;
  /** Median CPU ms (user + system) of our extractDocument over all files of the case. */
  oursCpuMs: number;
  /** Median CPU ms (user + system) of pdftotext; null without pdftotext. */
  pdftotextCpuMs: number | null;
  /** oursCpuMs / pdftotextCpuMs; null without pdftotext. */
  cpuRatio: number | null;
  /** Whether both tools give the same characters (whitespace ignored); null without pdftotext. */
  sameText: boolean | null;
  /** Median ms of MuPDF (WASM, in this process) when the optional `mupdf` module is present, else null. */
  mupdfMs: number | null;
  /** mupdfMs / pdftotextMs; null without either. */
  mupdfRatio: number | null;
}

export interface ExtractionBenchResult {
  corpusDir: string;
  node: string;
  cpus: number;
  cpuModel: string;
  repetitions: number;
  pdftotext: { available: boolean; version?: string; note?: string };
  /** The in-process reference (MuPDF's WASM build, AGPL-3.0: bench only, never in the product). */
  mupdf: { available: boolean; version?: string; note?: string };
  /** 1-minute load average when the extraction bench started and ended (the machine is shared). */
  loadAverage: { start: number; end: number };
  /** Array.prototype.push was the engine's own after every extraction (pdf.js' legacy build replaces it; shared/extract/builtins.ts gives it back). */
  nativePush: boolean;
  cases: BenchCase[];
  /** mammoth on large_199p.docx, for information (no pdftotext counterpart). */
  docx: { name: string; bytes: number; ms: number; firstMs: number; runsMs: number[] };
  memory: {
    /** RSS before the first extraction (module loaded), MB. */
    baselineRssMB: number;
    /** Highest sampled RSS during our extractions, MB. */
    peakRssMB: number;
    /** OS high-water mark of the process (includes everything up to now), MB. */
    maxRssMB: number;
  };
}

/** The optional in-process reference. */
interface MupdfModule {
  Document: { openDocument(data: Uint8Array, magic: string): MupdfDocument };
}
interface MupdfDocument {
  countPages(): number;
  loadPage(i: number): { toStructuredText(): { asText(): string; destroy(): void }; destroy(): void };
  destroy(): void;
}

/**
 * MuPDF's WASM build (npm `mupdf`, AGPL-3.0-or-later): loaded only here, from `$BENCH_MUPDF`
 * (a path to the package's dist/mupdf.js, installed outside the project, e.g. `npm i --prefix /tmp/m mupdf@1.28.1`)
 * or from node_modules if someone installed it; never a dependency of the product.
 */
async function loadMupdf(): Promise<{ mod?: MupdfModule; info: ExtractionBenchResult['mupdf'] }> {
  const from = process.env.BENCH_MUPDF;
  const specifier = from ? pathToFileURL(path.resolve(from)).href : 'mupdf';
  try {
    const mod = (await import(specifier)) as MupdfModule;
    let version: string | undefined;
    try {
      const pkg = from ? path.join(path.dirname(path.resolve(from)), '..', 'package.json') : undefined;
      if (pkg) version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version;
    } catch {
      // no version to report
    }
    return { mod, info: version === undefined ? { available: true } : { available: true, version } };
  } catch {
    return { info: { available: false, note: 'MuPDF not loaded (optional; AGPL-3.0, bench only): set BENCH_MUPDF to an installed mupdf/dist/mupdf.js' } };
  }
}

function mupdfText(m: MupdfModule, bytes: Uint8Array): string {
  const doc = m.Document.openDocument(bytes, 'application/pdf');
  try {
    let text = '';
    for (let i = 0, n = doc.countPages(); i < n; i++) {
      const page = doc.loadPage(i);
      const st = page.toStructuredText();
      text += st.asText();
      st.destroy();
      page.destroy();
    }
    return text;
  } finally {
    doc.destroy();
  }
}

const SMALL = ['000_70017f665202e428', '001_635c498a68e213e6', '002_6bc38a5105b87f60', '003_947bd769dad19b2f', '004_a31f9dc5403041b8'].map((id) => `pdf/${id}.pdf`);

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (bytes: number): number => round(bytes / (1024 * 1024));

function pdftotextVersion(): { available: boolean; version?: string; note?: string } {
  const probe = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
  if (probe.error) {
    return {
      available: false,
      note: `pdftotext not found (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message}); install poppler-utils (apt-get install -y poppler-utils) to compare — only our timings are reported`,
    };
  }
  const version = `${probe.stdout}${probe.stderr}`.match(/pdftotext version (\S+)/)?.[1];
  return version === undefined ? { available: true } : { available: true, version };
}

function runPdftotext(file: string): Promise<{ ms: number; text: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('pdftotext', ['-enc', 'UTF-8', file, '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`pdftotext ${file} exited ${code}: ${Buffer.concat(err).toString('utf8')}`));
      else resolve({ ms, text: Buffer.concat(out).toString('utf8') });
    });
  });
}

/** CPU ms (user + system) of one pdftotext run, from `times` of the shell that ran it. */
function pdftotextCpu(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', 'pdftotext -enc UTF-8 "$1" - >/dev/null && times', 'bash', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      // `times`: the shell's user/system, then its children's: "0m0.190s 0m0.030s".
      const children = Buffer.concat(out).toString('utf8').trim().split('\n')[1] ?? '';
      const parts = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60_000 + Number(m[2]) * 1000);
      if (code !== 0 || parts.length !== 2) reject(new Error(`pdftotext ${file} (times) exited ${code}: ${children}`));
      else resolve((parts[0] ?? 0) + (parts[1] ?? 0));
    });
  });
}

class RssSampler {
  peak = process.memoryUsage.rss();
  private timer: NodeJS.Timeout | undefined;
  start(): void {
    this.timer = setInterval(() => this.sample(), 5);
    this.timer.unref();
  }
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }
}

export async function benchExtraction(corpusDir: string, options: { repetitions?: number } = {}): Promise<ExtractionBenchResult> {
  const repetitions = Math.max(1, options.repetitions ?? 5);
  const abs = (rel: string) => path.join(corpusDir, rel);
  const pdftotext = pdftotextVersion();
  const loadStart = round(os.loadavg()[0] ?? 0, 2);
  const mupdf = await loadMupdf();
  let nativePush = true;
  const sampler = new RssSampler();
  const baselineRss = process.memoryUsage.rss();
  sampler.start();

  const cases: BenchCase[] = [];
  try {
    for (const [name, files] of [
      ['pdf/ (5 small)', SMALL],
      ...SMALL.map((f) => [path.basename(f), [f]] as const),
      ['large_199p.pdf', ['pdf-variants/large_199p.pdf']],
      ['large_cid.pdf', ['pdf-variants/large_cid.pdf']],
    ] as const) {
      const inputs = files.map((f) => ({ file: abs(f), bytes: new Uint8Array(readFileSync(abs(f))) }));

      const oursOnce = async () => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const texts: string[] = [];
        let pages = 0;
        for (const { bytes } of inputs) {
          const ex = await extractDocument(bytes);
          nativePush &&= pushIsNative();
          texts.push(ex.rawText);
          pages += ex.pages ?? 0;
          sampler.sample();
        }
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(c0);
        return { ms, cpuMs: (cpu.user + cpu.system) / 1000, texts, pages };
      };
      const pdftotextOnce = async () => {
        let ms = 0;
        const texts: string[] = [];
        for (const { file } of inputs) {
          const r = await runPdftotext(file);
          ms += r.ms;
          texts.push(r.text);
        }
        return { ms, texts };
      };

      const mupdfOnce = (m: MupdfModule) => {
        const t0 = performance.now();
        for (const { bytes } of inputs) mupdfText(m, bytes);
        return performance.now() - t0;
      };

      const first = await oursOnce(); // also the warm-up
      const mupdfRuns: number[] = [];
      if (mupdf.mod) mupdfOnce(mupdf.mod); // warm-up (WASM compiled at load)
      const oursRuns: number[] = [];
      const oursCpuRuns: number[] = [];
      const popplerRuns: number[] = [];
      const popplerCpuRuns: number[] = [];
      let popplerTexts: string[] | undefined;
      if (pdftotext.available) popplerTexts = (await pdftotextOnce()).texts; // warm-up (page cache)
      // Interleave so that machine noise hits both tools alike.
      for (let i = 0; i < repetitions; i++) {
        const ours = await oursOnce();
        oursRuns.push(ours.ms);
        oursCpuRuns.push(ours.cpuMs);
        if (pdftotext.available) {
          popplerRuns.push((await pdftotextOnce()).ms);
          let cpu = 0;
          for (const { file } of inputs) cpu += await pdftotextCpu(file);
          popplerCpuRuns.push(cpu);
        }
        if (mupdf.mod) mupdfRuns.push(mupdfOnce(mupdf.mod));
      }
      const mupdfMs = mupdf.mod ? median(mupdfRuns) : null;
      const oursMs = median(oursRuns);
      const pdftotextMs = pdftotext.available ? median(popplerRuns) : null;
      const oursCpuMs = median(oursCpuRuns);
      const pdftotextCpuMs = pdftotext.available ? median(popplerCpuRuns) : null;
      cases.push({
        name,
        files: [...files],
        pages: first.pages,
        bytes: inputs.reduce((n, i) => n + i.bytes.byteLength, 0),
        oursMs: round(oursMs),
        oursFirstMs: round(first.ms),
        oursRunsMs: oursRuns.map((x) => round(x)),
        pdftotextMs: pdftotextMs === null ? null : round(pdftotextMs),
        pdftotextRunsMs: popplerRuns.map((x) => round(x)),
        ratio: pdftotextMs === null ? null : round(oursMs / pdftotextMs, 2),
        oursCpuMs: round(oursCpuMs),
        pdftotextCpuMs: pdftotextCpuMs === null ? null : round(pdftotextCpuMs),
        cpuRatio: pdftotextCpuMs === null || pdftotextCpuMs === 0 ? null : round(oursCpuMs / pdftotextCpuMs, 2),
        sameText: popplerTexts === undefined ? null : popplerTexts.every((t, i) => compactText(t) === compactText(first.texts[i] ?? '')),
        mupdfMs: mupdfMs === null ? null : round(mupdfMs),
        mupdfRatio: mupdfMs === null || pdftotextMs === null ? null : round(mupdfMs / pdftotextMs, 2),
      });
    }

    const docxFile = 'pdf-variants/large_199p.docx';
    const docxBytes = new Uint8Array(readFileSync(abs(docxFile)));
    const docxRuns: number[] = [];
    let t0 = performance.now();
    await extractDocument(docxBytes);
    const docxFirst = performance.now() - t0;
    for (let i = 0; i < repetitions; i++) {
      t0 = performance.now();
      await extractDocument(docxBytes);
      docxRuns.push(performance.now() - t0);
      sampler.sample();
    }

    sampler.stop();
    return {
      corpusDir,
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      repetitions,
      pdftotext,
      mupdf: mupdf.info,
      loadAverage: { start: loadStart, end: round(os.loadavg()[0] ?? 0, 2) },
      nativePush,
      cases,
      docx: { name: 'large_199p.docx (mammoth)', bytes: docxBytes.byteLength, ms: round(median(docxRuns)), firstMs: round(docxFirst), runsMs: docxRuns.map((x) => round(x)) },
      memory: { baselineRssMB: mb(baselineRss), peakRssMB: mb(sampler.peak), maxRssMB: round(process.resourceUsage().maxRSS / 1024) },
    };
  } finally {
    sampler.stop();
  }
}

/** A plain-text table of the result. */
export function formatExtractionBench(r: ExtractionBenchResult): string {
  const header = [
    'case',
    'pages',
    'KB',
    'ours ms (median)',
    'ours first ms',
    'pdftotext ms',
    'ours/pdftotext',
    'ours CPU ms',
    'pdftotext CPU ms',
    'CPU ratio',
    'same text',
    'MuPDF ms',
    'MuPDF/pdftotext',
  ];
  const rows = r.cases.map((c) => [
    c.name,
    String(c.pages),
    String(Math.round(c.bytes / 1024)),
    String(c.oursMs),
    String(c.oursFirstMs),
    c.pdftotextMs === null ? 'n/a' : String(c.pdftotextMs),
    c.ratio === null ? 'n/a' : `${c.ratio}×`,
    String(c.oursCpuMs),
    c.pdftotextCpuMs === null ? 'n/a' : String(c.pdftotextCpuMs),
    c.cpuRatio === null ? 'n/a' : `${c.cpuRatio}×`,
    c.sameText === null ? 'n/a' : c.sameText ? 'yes' : 'NO',
    c.mupdfMs === null ? 'n/a' : String(c.mupdfMs),
    c.mupdfRatio === null ? 'n/a' : `${c.mupdfRatio}×`,
  ]);
  rows.push([r.docx.name, '-', String(Math.round(r.docx.bytes / 1024)), String(r.docx.ms), String(r.docx.firstMs), '-', '-', '-', '-', '-', '-', '-', '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [
    `Extraction bench — node ${r.node}, ${r.cpus} × ${r.cpuModel}, ${r.repetitions} runs per case (median), corpus ${r.corpusDir}`,
    r.pdftotext.available ? `pdftotext ${r.pdftotext.version ?? '(version unknown)'}` : `NOTE: ${r.pdftotext.note}`,
    r.mupdf.available ? `MuPDF ${r.mupdf.version ?? ''} (WASM, in this process; AGPL-3.0, bench only)` : `NOTE: ${r.mupdf.note}`,
    `1-min load average ${r.loadAverage.start} at start, ${r.loadAverage.end} at end; Array.prototype.push native after every extraction: ${r.nativePush ? 'yes' : 'NO'}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `RSS: baseline ${r.memory.baselineRssMB} MB, peak sampled ${r.memory.peakRssMB} MB, process max ${r.memory.maxRssMB} MB`,
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const corpusDir = process.argv[2] ?? process.env.GONGKAI_CORPUS ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/corpus');
  const repetitions = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
  const result = await benchExtraction(corpusDir, repetitions === undefined ? {} : { repetitions });
  const text = formatExtractionBench(result);
  console.log(text);
  // Standalone runs keep their figures beside the other benches' (npm run bench puts them in latest.*).
  const outDir = path.resolve(process.env.BENCH_OUT ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results'));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'extract.json'), `${JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'extract.md'), `# Extraction bench — ${new Date().toISOString()}\n\n\`\`\`\n${text}\n\`\`\`\n`);
}
