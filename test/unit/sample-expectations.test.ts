import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES, corpusDir } from '#infra/local/samples';
import { extractDocument, ExtractionError } from '#shared/extract/index';

/**
 * `npm start` prints each sample's outcome beside what it expects (✓ / ✗). The problem files'
 * expectations follow from extraction alone (their forms are valid): a file extraction refuses
 * ends REJECTED, one it reads (a renamed file, a scan named for OCR) goes on and is published.
 * When extraction learns something new (issue 14: scans are read), the samples must say so.
 */
describe('the samples of `npm start`: what the problem files are expected to give', () => {
  const problems = SAMPLES.filter((s) => s.document.startsWith('bad/'));

  it('covers the corpus problem files', () => {
    expect(problems.length).toBeGreaterThanOrEqual(8);
  });

  for (const sample of problems) {
    it(`${sample.document}: ${sample.expect}`, async () => {
      const bytes = new Uint8Array(await readFile(join(corpusDir(), sample.document)));
      const outcome = await extractDocument(bytes).then(
        () => 'PUBLISHED',
        (err: unknown) => {
          if (err instanceof ExtractionError) return 'REJECTED';
          throw err;
        },
      );
      expect(outcome, sample.why).toBe(sample.expect);
    }, 60_000);
  }
});
