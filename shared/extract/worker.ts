/**
 * The extraction worker: one file at a time in, its Extraction (or ExtractionError) out. It runs in its own thread with its own V8 heap limit (see isolated.ts), so a
 * file that exhausts memory ends this worker, never the process that started it.
 */
import { parentPort } from 'node:worker_threads';
import { extractDocument, ExtractionError, type ExtractOptions } from './index.ts';
import type { WorkerReply, WorkerRequest } from './isolated.ts';

const port = parentPort;
if (port === null) throw new Error('shared/extract/worker.ts runs as a worker thread (see isolated.ts)');

port.on('message', (request: WorkerRequest) => {
  const options: ExtractOptions = request.options;
  extractDocument(new Uint8Array(request.bytes), options).then(
    (extraction) => port.postMessage({ ok: extraction } satisfies WorkerReply),
    (err: unknown) =>
      port.postMessage(
        (err instanceof ExtractionError
          ? { refused: { code: err.code, zh: err.zh, en: err.en } }
          : { failed: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }) satisfies WorkerReply,
      ),
  );
});
