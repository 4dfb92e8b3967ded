import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchDetectors, KINDS, loadFixture } from '../../bench/detectors.ts';

/**
 * The labelled set (test/fixtures/labelled-detectors.json) must be detected perfectly:
 * every miss or extra finding is a detector bug — fix the detector, never the label.
 */

const corpusDir = process.env.GONGKAI_CORPUS ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');

describe('labelled detector set', () => {
  const fixture = loadFixture();

  it('is big enough and covers every kind with positives and hard negatives', () => {
    expect(fixture.snippets.length).toBeGreaterThanOrEqual(150);
    expect(new Set(fixture.snippets.map((s) => s.id)).size).toBe(fixture.snippets.length);
    const prefixes = [
      'dn-',
      'dn-n',
      'mk-',
      'mk-n',
      'pd-id-',
      'pd-id-n',
      'pd-mo-',
      'pd-mo-n',
      'pd-ll-',
      'pd-ll-n',
      'pd-pl-',
      'pd-pl-n',
      'pd-bc-',
      'pd-bc-n',
      'pd-em-',
      'pd-em-n',
      'ti-',
      'va-',
      'va-n',
    ];
    for (const p of prefixes) expect(fixture.snippets.filter((s) => s.id.startsWith(p)).length, p).toBeGreaterThanOrEqual(2);
  });

  it('precision = recall = 1 for every kind', () => {
    const r = benchDetectors({ fixture, corpusDir: existsSync(corpusDir) ? corpusDir : null });
    expect(r.mismatches).toEqual([]);
    for (const k of r.kinds) {
      expect(k.precision, k.kind).toBe(1);
      expect(k.recall, k.kind).toBe(1);
    }
    // every kind is exercised by at least one positive label
    for (const kind of KINDS) expect(r.kinds.find((k) => k.kind === kind)?.expected ?? 0, kind).toBeGreaterThan(0);
    expect(r.corpusTexts).toBe(existsSync(corpusDir) ? 10 : 0);
  });
});
