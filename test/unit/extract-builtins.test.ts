/**
 * pdf.js' legacy build (loaded by pdf-parse) and its fake worker each bundle core-js, which
 * replaces Array.prototype.push for the whole process with a slower JavaScript function
 * (issue 17.3). shared/extract/builtins.ts gives the engine's own back once pdf.js is loaded:
 * extraction must leave it untouched, and give the same text as before.
 *
 * Nothing of the project is imported statically: the engine's push is recorded first, before
 * any module could load pdf.js.
 */
import { describe, expect, it } from 'vitest';

const ENGINE_PUSH = Array.prototype.push;
const ENGINE_PUSH_DESCRIPTOR = Object.getOwnPropertyDescriptor(Array.prototype, 'push');

const { compactText, extractDocument, nativePush, normaliseText } = await import('#shared/extract/index');
const { bytes, IDS, utf8 } = await import('../support/corpus.ts');

const pushUntouched = () => {
  expect(Array.prototype.push).toBe(ENGINE_PUSH);
  expect(Object.getOwnPropertyDescriptor(Array.prototype, 'push')).toEqual(ENGINE_PUSH_DESCRIPTOR);
  expect(nativePush()).toBe(true);
};

describe('Array.prototype.push after pdf.js (issue 17.3)', () => {
  it('pdf.js and its polyfills did load (the check below is not vacuous), and push is the engine’s own', () => {
    // core-js leaves its shared store on the global object when it runs.
    expect(Object.getOwnPropertyNames(globalThis)).toContain('__core-js_shared__');
    expect((globalThis as { pdfjsWorker?: unknown }).pdfjsWorker).toBeDefined();
    pushUntouched();
  });

  it.each(IDS)('pdf/%s.pdf: the text of txt/, and push untouched after extraction', async (id) => {
    const ex = await extractDocument(bytes(`pdf/${id}.pdf`));
    expect(compactText(ex.rawText)).toBe(compactText(utf8(`txt/${id}.txt`)));
    pushUntouched();
  });

  it('large_cid.pdf (CID TrueType) gives the text of large_199p.txt; gbk_nonembedded.pdf (CMaps) its .txt; push untouched', async () => {
    const cid = await extractDocument(bytes('pdf-variants/large_cid.pdf'));
    expect(compactText(cid.rawText)).toBe(compactText(utf8('pdf-variants/large_199p.txt')));
    const gbk = await extractDocument(bytes('pdf-variants/gbk_nonembedded.pdf'));
    expect(gbk.text).toBe(normaliseText(utf8('pdf-variants/gbk_nonembedded.txt')));
    pushUntouched();
  });

  it('push still behaves as the engine’s (arrays, array-likes, return value)', () => {
    const a: number[] = [];
    expect(a.push(1, 2, 3)).toBe(3);
    expect(a).toEqual([1, 2, 3]);
    const like = { length: 1, 0: 'x' } as unknown as string[];
    expect(Array.prototype.push.call(like, 'y')).toBe(2);
    expect(like[1]).toBe('y');
  });
});
