/**
 * Extraction isolated from the process that asks for it, as one Lambda invocation is
 * isolated from another: each file is extracted in a fresh worker thread with its own V8
 * heap limit and a wall-clock limit. A file that would exhaust memory or never finish ends
 * its worker, and becomes a clear TOO_COMPLEX rejection; the API, the emulators and the other
 * stages of the local stack, which share this process, carry on.
 *
 * The heap limit does not cover Buffers (inflated ZIP entries are allocated outside the V8
 * heap): those are bounded before inflating, by checkDocx (zip.ts), and PDFs by their
 * page count (pdf.ts). Text length is bounded in extractDocument.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ExtractionError, extractionErrors, type ExtractionErrorCode } from './errors.ts';
import type { Extraction, ExtractOptions } from './index.ts';
import { EXTRACT_LIMITS } from './limits.ts';

export interface WorkerRequest {
  readonly bytes: ArrayBuffer;
  readonly options: ExtractOptions;
}

export type WorkerReply =
  { readonly ok: Extraction } | { readonly refused: { readonly code: ExtractionErrorCode; readonly zh: string; readonly en: string } } | { readonly failed: string };

export interface IsolationLimits {
  readonly timeMs: number;
  readonly heapMb: number;
}

/**
 * Beside this module: from source the boot file that loads worker.ts through tsx; in the
 * Lambda bundle (everything in one index.mjs) the bundled worker, shipped beside it.
 */
const WORKER_URL = new URL('./extract-worker.mjs', import.meta.url);

/**
 * Files extracted at once: one worker per core (at least 2). Extraction is CPU-bound, so more
 * workers would only share the same cores and each file would take longer; a file beyond
 * them waits for a worker (its time limit starts when a worker takes it), and a caller may
 * have more files in flight than there are cores.
 */
export const EXTRACT_POOL_SIZE = Math.max(2, availableParallelism());

/** Workers that answered and may take the next file; at most EXTRACT_POOL_SIZE are kept, unref'd (they never hold the process open). */
const idle: Worker[] = [];
const IDLE_MAX = EXTRACT_POOL_SIZE;

/** Extractions running, and those waiting for one of them to end. */
let running = 0;
const waiting: (() => void)[] = [];

async function slot<T>(run: () => Promise<T>): Promise<T> {
  if (running >= EXTRACT_POOL_SIZE) await new Promise<void>((r) => waiting.push(r));
  else running++;
  try {
    return await run();
  } finally {
    // The slot passes straight to the next waiting file, if any.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function spawn(limits: IsolationLimits): Worker {
  const worker = new Worker(WORKER_URL, {
    // A clean start whatever flags this process was started with (the boot file registers tsx itself).
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: limits.heapMb },
  });
  // A warm worker that dies while idle is dropped from the pool.
  worker.on('exit', () => {
    const i = idle.indexOf(worker);
    if (i !== -1) idle.splice(i, 1);
  });
  worker.on('error', () => undefined);
  return worker;
}

/**
 * Extract one file in a worker of its own: one file at a time per worker, so a file that
 * ends its worker fails no other. A worker that answered is kept warm for the next file
 * (loading pdf.js and mammoth costs more than most extractions); one that reached a limit or
 * failed is terminated. Resolves with the Extraction; rejects with an ExtractionError for the
 * drafter (TOO_COMPLEX when the time or heap limit was reached) or with an Error when the
 * worker itself could not run (the message is then retried).
 */
export function extractIsolated(bytes: Uint8Array, options: ExtractOptions = {}, limits: IsolationLimits = EXTRACT_LIMITS): Promise<Extraction> {
  if (!existsSync(WORKER_URL)) return Promise.reject(new Error(`extraction worker not found at ${fileURLToPath(WORKER_URL)}`));
  // A copy of the bytes (of exactly them: a Buffer may be a view of a shared pool), moved, not copied again, to the worker.
  const copy = new Uint8Array(bytes).buffer;
  return slot(() => inWorker(copy, options, limits));
}

function inWorker(copy: ArrayBuffer, options: ExtractOptions, limits: IsolationLimits): Promise<Extraction> {
  const warm = limits === EXTRACT_LIMITS ? idle.pop() : undefined;
  const worker = warm ?? spawn(limits);
  worker.ref();
  return new Promise<Extraction>((resolve, reject) => {
    let settled = false;
    const settle = (reusable: boolean, finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Only our own listeners: Worker keeps internal ones (removeAllListeners would stop its port).
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (reusable && limits === EXTRACT_LIMITS && idle.length < IDLE_MAX) {
        worker.unref();
        idle.push(worker);
      } else void worker.terminate();
      finish();
    };
    const timer = setTimeout(() => settle(false, () => reject(extractionErrors.tooComplex('time', `${Math.round(limits.timeMs / 1000)} s`))), limits.timeMs);
    const onMessage = (reply: WorkerReply) =>
      settle(!('failed' in reply), () => {
        if ('ok' in reply) resolve(reply.ok);
        else if ('refused' in reply) reject(new ExtractionError(reply.refused.code, reply.refused.zh, reply.refused.en));
        else reject(new Error(`extraction worker failed: ${reply.failed}`));
      });
    const onError = (err: Error & { code?: string }) =>
      settle(false, () => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? extractionErrors.tooComplex('memory', `${limits.heapMb} MB`) : err));
    const onExit = (code: number) => settle(false, () => reject(new Error(`extraction worker exited (code ${code}) without an answer`)));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage({ bytes: copy, options } satisfies WorkerRequest, [copy]);
  });
}

/**
 * Starts the pool's workers ahead of the first file, each taking a few bytes of text, so that
 * the first files do not wait for workers to start (a long-running process expecting files: the
 * local stack, the bench). Resolves once every worker has answered and waits, warm, in the pool.
 */
export async function warmExtractionPool(): Promise<void> {
  const probe = new TextEncoder().encode('预热 / warm-up');
  await Promise.all(Array.from({ length: EXTRACT_POOL_SIZE }, () => extractIsolated(probe)));
}
