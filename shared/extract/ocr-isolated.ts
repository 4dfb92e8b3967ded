/**
 * OCR isolated from the process that asks for it. The engine (shared/ocr) allocates most of
 * its memory outside the V8 heap (onnxruntime's tensors, sharp's and the canvas' pixels), which
 * a worker thread's heap limit would not bound and which a crash would take the whole process
 * down with. So one file's pages are read in a child process of its own: its V8 heap is
 * limited, its resident memory is watched (and the child killed past the limit), and the whole
 * file has a wall-clock limit. A scan that would exhaust memory or never finish ends its
 * child, and becomes a clear TOO_COMPLEX rejection; the local stack's API, emulators and
 * other stages carry on. The same code runs in Lambda (ocr-document), where the child is
 * bounded inside the function's memory the same way.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExtractionError, extractionErrors, type ExtractionErrorCode } from './errors.ts';
import { OCR_LIMITS, type RecognisedPage } from './ocr.ts';

/** One call to the child: the pages of a PDF, or an image as page 1. */
export type OcrCall =
  | { readonly op: 'pdf'; readonly bytes: Uint8Array; readonly pages: readonly number[]; readonly imageWidth?: number }
  | { readonly op: 'image'; readonly bytes: Uint8Array; readonly imageWidth?: number };

export interface OcrCallResult {
  readonly engine: string;
  /** The engine's OCR_CONFIDENCE_THRESHOLD: pages below it are listed for the drafter (read here, so the engine never loads in the caller). */
  readonly threshold: number;
  /** Pages of the file (1 for an image), read by the child: the process that asks never loads pdf.js. */
  readonly totalPages: number;
  readonly pages: readonly RecognisedPage[];
  /** The pages' images (PNG) for the console, when asked for. */
  readonly images: readonly { readonly page: number; readonly png: Uint8Array }[];
}

export type OcrReply =
  | { readonly ready: true }
  | { readonly ok: OcrCallResult }
  | { readonly refused: { readonly code: ExtractionErrorCode; readonly zh: string; readonly en: string } }
  | { readonly failed: string };

export interface OcrIsolationLimits {
  readonly timeMs: number;
  readonly heapMb: number;
  readonly rssMb: number;
  readonly pagesPerCall: number;
}

/**
 * Beside this module: from source the boot file that loads ocr-child.ts through tsx; in the
 * Lambda bundle (everything in one index.mjs) the bundled child, shipped beside it.
 */
const CHILD_URL = new URL('./ocr-child.mjs', import.meta.url);

/** Resident memory of a process in MB (Linux /proc), or undefined where it cannot be read. */
function residentMb(pid: number): number | undefined {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return Number.isFinite(pages) ? (pages * 4096) / 1024 / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** What recognising one file's pages gave: the engine, the pages read, their images, and the pages left for another run. */
export interface OcrFileResult extends OcrCallResult {
  /** Pages not read because the run's budget was spent (read them in another run). */
  readonly remaining: readonly number[];
  /** Highest resident memory of the child seen while it worked (MB; 0 where unknown). */
  readonly peakRssMb: number;
}

/**
 * Recognises the given pages of a PDF (or an image, `pages` = [1]) in a child process, a few
 * pages per call. No call is started once `budgetMs` has passed: the pages not read are
 * `remaining` (a long scan is read over several runs). Rejects with an ExtractionError for the
 * drafter (the engine's refusals, TOO_COMPLEX when the time or memory limit was reached) or
 * with an Error when the child itself could not run (the message is then retried).
 */
export async function ocrIsolated(
  input: { readonly kind: 'pdf' | 'image'; readonly bytes: Uint8Array; readonly pages: readonly number[]; readonly imageWidth?: number; readonly budgetMs?: number },
  limits: OcrIsolationLimits = OCR_LIMITS,
): Promise<OcrFileResult> {
  if (!existsSync(CHILD_URL)) throw new Error(`OCR child not found at ${fileURLToPath(CHILD_URL)}`);
  const child = fork(fileURLToPath(CHILD_URL), [], {
    // A clean start whatever flags this process was started with (the boot file registers tsx itself).
    execArgv: [`--max-old-space-size=${limits.heapMb}`],
    // Uint8Arrays cross as bytes, not as JSON arrays of numbers.
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const budgetEnd = Date.now() + Math.min(input.budgetMs ?? limits.timeMs, limits.timeMs);
  let peak = 0;
  let stopped: ExtractionError | undefined;
  const kill = (reason: ExtractionError) => {
    stopped ??= reason;
    child.kill('SIGKILL');
  };
  const watch = setInterval(() => {
    const rss = child.pid === undefined ? undefined : residentMb(child.pid);
    if (rss !== undefined) peak = Math.max(peak, rss);
    if (rss !== undefined && rss > limits.rssMb) kill(extractionErrors.tooComplex('memory', `${limits.rssMb} MB`));
  }, 100);
  const timer = setTimeout(() => kill(extractionErrors.tooComplex('time', `${Math.round(limits.timeMs / 1000)} s`)), limits.timeMs);
  try {
    await reply(child, () => stopped);
    const calls: OcrCall[] =
      input.kind === 'image'
        ? [{ op: 'image', bytes: input.bytes, ...(input.imageWidth ? { imageWidth: input.imageWidth } : {}) }]
        : chunks(input.pages, limits.pagesPerCall).map((pages) => ({ op: 'pdf', bytes: input.bytes, pages, ...(input.imageWidth ? { imageWidth: input.imageWidth } : {}) }));
    let engine = '';
    let threshold = 1;
    let totalPages = 0;
    const pages: RecognisedPage[] = [];
    const images: { page: number; png: Uint8Array }[] = [];
    const remaining: number[] = [];
    for (const call of calls) {
      // At least one call per run, so every run makes progress.
      if (pages.length > 0 && Date.now() > budgetEnd) {
        remaining.push(...(call.op === 'pdf' ? call.pages : [1]));
        continue;
      }
      child.send(call);
      const r = await reply(child, () => stopped);
      if (!('ok' in r)) throw new Error('OCR child answered out of turn');
      engine = r.ok.engine;
      threshold = r.ok.threshold;
      totalPages = r.ok.totalPages;
      pages.push(...r.ok.pages);
      images.push(...r.ok.images);
    }
    return { engine, threshold, totalPages, pages, images, remaining, peakRssMb: Math.round(peak) };
  } finally {
    clearInterval(watch);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

const chunks = <T>(xs: readonly T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** The child's next answer; a refusal rejects with its ExtractionError, a death with the limit that killed it (or an Error). */
function reply(child: ChildProcess, stoppedBy: () => ExtractionError | undefined): Promise<Exclude<OcrReply, { refused: unknown } | { failed: string }>> {
  return new Promise((resolve, reject) => {
    const done = () => {
      child.off('message', onMessage).off('exit', onExit).off('error', onError);
    };
    const onMessage = (r: OcrReply) => {
      done();
      if ('refused' in r) reject(new ExtractionError(r.refused.code, r.refused.zh, r.refused.en));
      else if ('failed' in r) reject(new Error(`OCR child failed: ${r.failed}`));
      else resolve(r);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      done();
      const limit = stoppedBy();
      if (limit) return reject(limit);
      // V8 out of heap ends the process with a fatal error (exit 134 / SIGABRT), the kernel's OOM killer with SIGKILL.
      if (code === 134 || signal === 'SIGABRT' || signal === 'SIGKILL') return reject(extractionErrors.tooComplex('memory', `${OCR_LIMITS.heapMb} MB`));
      reject(new Error(`OCR child exited (code ${code}, signal ${signal}) without an answer`));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    child.on('message', onMessage).on('exit', onExit).on('error', onError);
  });
}
