// After `npm run synth`: the bundled extraction worker (shipped beside the extract function's
// index.mjs) runs on its own, as it will in Lambda, and extracts a real PDF and DOCX of the corpus.
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

const out = path.resolve('cdk.out');
const dirs = readdirSync(out)
  .map((d) => path.join(out, d))
  .filter((d) => existsSync(path.join(d, 'extract-worker.mjs')));
if (dirs.length === 0) {
  console.error('no bundle in cdk.out holds extract-worker.mjs: run `npm run synth` first (the extract function must ship its worker)');
  process.exit(1);
}
const corpus = path.resolve('../shared/corpus');
const files = ['pdf-variants/large_199p.pdf', 'pdf-variants/large_199p.docx'].map((f) => path.join(corpus, f));
for (const dir of dirs) {
  for (const file of files) {
    const worker = new Worker(path.join(dir, 'extract-worker.mjs'), { execArgv: [] });
    const bytes = new Uint8Array(readFileSync(file)).buffer;
    const reply = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      // The CMaps shipped beside it, as the handler passes $PDF_CMAP_DIR (/var/task/cmaps/).
      worker.postMessage({ bytes, options: { cmapDir: path.join(dir, 'cmaps') } }, [bytes]);
    });
    await worker.terminate();
    if (!reply.ok || reply.ok.chars < 100_000) {
      console.error(`${path.basename(dir)}/extract-worker.mjs on ${path.basename(file)}:`, reply);
      process.exit(1);
    }
    console.log(`${path.basename(dir)}/extract-worker.mjs: ${path.basename(file)} → ${reply.ok.chars} characters`);
  }
}
