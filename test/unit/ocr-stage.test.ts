import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeOcr, OCR_LIMITS, ocrRunBudget } from '#shared/extract/ocr';
import { pageRanges } from '#shared/page-ranges';
import { pageRanges as clientPageRanges } from '#client/gongkai';
import { findDocumentNumbers } from '#shared/rules/detect/index';
import { bundlesPdfjs } from '#infra/cdk/bundling/pdfjs-needed';
import { BUNDLING } from '#infra/cdk/function-defaults';
import { extractionErrors } from '#shared/extract/errors';
import { foreignRuntimes, nativeModuleClosure, shipNativeModules } from '#infra/cdk/native-modules';
import { topology } from '#shared/topology';

/** The OCR stage's pure parts: the merge with the text layer, the page lists, the limits, the bundle's native modules. */
describe('mergeOcr', () => {
  it('puts recognised pages in the place of the text-less ones, in page order, and keeps the text layer of the others', () => {
    const merged = mergeOcr({
      totalPages: 3,
      pageTexts: ['第一页 文字层', '', '第三页 文字层'],
      recognised: [{ page: 2, text: '关于印发\n第二页的通知\n', confidence: 0.934 }],
      threshold: 0.8,
    });
    expect(merged.rawText).toBe('第一页 文字层\n\n关于印发\n第二页的通知\n\n第三页 文字层');
    expect(merged.text).toBe('第一页文字层\n关于印发\n第二页的通知\n第三页文字层');
    expect(merged.pages).toEqual([{ page: 2, confidence: 0.93, chars: 10 }]);
    expect(merged.lowConfidence).toEqual([]);
    expect(merged.blank).toEqual([]);
    expect(merged.chars).toBe([...merged.text].length);
  });

  it('lists pages below the threshold and blank pages (never dropped silently); an image is its one recognised page', () => {
    const merged = mergeOcr({
      totalPages: 3,
      recognised: [
        { page: 1, text: '秘密★1年', confidence: 0.95 },
        { page: 3, text: '模糊的一页', confidence: 0.71 },
        { page: 2, text: '  \n', confidence: 0 },
      ],
      threshold: 0.8,
    });
    expect(merged.text).toBe('秘密★1年\n模糊的一页');
    expect(merged.lowConfidence).toEqual([{ page: 3, confidence: 0.71 }]);
    expect(merged.blank).toEqual([2]);
    expect(merged.pages.map((p) => p.page)).toEqual([1, 2, 3]);
  });

  it('gives empty text when OCR found nothing: the stage refuses it with a bilingual reason', () => {
    expect(mergeOcr({ totalPages: 1, recognised: [{ page: 1, text: '', confidence: 0 }], threshold: 0.8 }).text).toBe('');
    const err = extractionErrors.scanned(1);
    expect(err.code).toBe('SCANNED');
    expect(err.zh).toMatch(/未识别出文字.*请/);
    expect(err.en).toMatch(/no text/);
    const many = extractionErrors.tooManyScannedPages(400, OCR_LIMITS.pages);
    expect(many.zh).toContain(`${OCR_LIMITS.pages.toLocaleString('en-US')} 页`);
    expect(many.en).toContain('split');
  });
});

describe('recognised text is kept as read', () => {
  it('a 发文字号 read with other brackets is not rewritten; the detectors find it all the same (they fold brackets themselves)', () => {
    const merged = mergeOcr({ totalPages: 1, recognised: [{ page: 1, text: '古政办发【2022]30号\n见附件（2022）', confidence: 0.95 }], threshold: 0.9 });
    expect(merged.rawText).toBe('古政办发【2022]30号\n见附件（2022）');
    expect(findDocumentNumbers(merged.text).map((n) => [n.canonical, n.text])).toEqual([['古政办发〔2022〕30号', '古政办发【2022]30号']]);
  });
});

describe('pageRanges', () => {
  it('reads as people write page lists', () => {
    expect(pageRanges([3])).toBe('3');
    expect(pageRanges([1, 2, 3, 5, 7, 8, 9, 9])).toBe('1–3、5、7–9');
    expect(pageRanges([2, 1], ', ')).toBe('1–2');
    // One definition: the CLI gets it through the client.
    expect(clientPageRanges).toBe(pageRanges);
  });
});

describe('the OCR stage in the topology', () => {
  it('has its queue (with a lease above its function’s timeout), a function with its memory, and least-privilege grants', () => {
    const fn = topology.functions['ocr-document'];
    expect(topology.queues.ocr.consumer).toEqual({ fn: 'ocr-document', batchSize: 1 });
    expect(topology.queues.ocr.visibilityTimeoutSeconds).toBeGreaterThan(fn.timeoutSeconds);
    expect(fn).toMatchObject({
      memoryMB: 3008,
      timeoutSeconds: 900,
      table: 'readwrite',
      queues: { check: 'send' },
      buckets: { drafts: { access: 'readwrite', prefix: 'extracted/' } },
    });
    expect(topology.functions['extract-document'].queues).toMatchObject({ ocr: 'send' });
    // The limits leave the function time to record the outcome.
    expect(OCR_LIMITS.timeMs).toBeLessThan(fn.timeoutSeconds * 1000 - 60_000);
    expect(OCR_LIMITS.rssMb).toBeLessThan(fn.memoryMB);
  });
});

describe('pdf.js in the OCR stage', () => {
  it('is in the OCR child’s bundle (which gets its Node shim, the function shipping the CMaps), not in the handler’s', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const fn = topology.functions['ocr-document'];
    const options = { mainFields: BUNDLING.esbuild.mainFields, external: [...(fn.nativeModules ?? [])] };
    expect(bundlesPdfjs(path.join(root, 'functions/ocr-document.ts'), options)).toBe(false);
    expect(fn.workers?.map((w) => w.entry)).toEqual(['shared/extract/ocr-child.ts']);
    expect(bundlesPdfjs(path.join(root, 'shared/extract/ocr-child.ts'), options)).toBe(true);
    // The workers get the shim where the function ships pdf.js' CMaps (infra/cdk/function-defaults.ts).
    expect(fn.assets?.some((a) => a.from.startsWith('pdfjs-dist/'))).toBe(true);
  }, 60_000);
});

describe('native modules of the bundle', () => {
  it('ships the closure of the packages (dependencies, optional ones installed), and only Lambda’s onnxruntime', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'gongkai-native-'));
    try {
      const pkg = (name: string, deps: Record<string, string> = {}, optional: Record<string, string> = {}) => {
        mkdirSync(path.join(root, 'node_modules', name), { recursive: true });
        writeFileSync(path.join(root, 'node_modules', name, 'package.json'), JSON.stringify({ name, dependencies: deps, optionalDependencies: optional }));
      };
      pkg('engine', { 'onnxruntime-node': '1', sharp: '0' });
      pkg('onnxruntime-node', { 'onnxruntime-common': '1' });
      pkg('onnxruntime-common');
      pkg('sharp', { 'detect-libc': '2' }, { '@img/sharp-linux-x64': '0', '@img/sharp-darwin-arm64': '0' });
      pkg('detect-libc');
      pkg('@img/sharp-linux-x64');
      // A nested dependency (sharp's own color) whose dependency sits at the top (simple-swizzle).
      pkg('sharp/node_modules/color', { 'simple-swizzle': '0' });
      pkg('simple-swizzle');
      writeFileSync(
        path.join(root, 'node_modules/sharp/package.json'),
        JSON.stringify({ name: 'sharp', dependencies: { 'detect-libc': '2', color: '4' }, optionalDependencies: { '@img/sharp-linux-x64': '0', '@img/sharp-darwin-arm64': '0' } }),
      );
      for (const d of ['linux/x64', 'linux/arm64', 'darwin/arm64', 'win32/x64']) mkdirSync(path.join(root, 'node_modules/onnxruntime-node/bin/napi-v6', d), { recursive: true });
      expect(nativeModuleClosure(root, ['engine']).map((c) => c.name)).toEqual([
        '@img/sharp-linux-x64',
        'detect-libc',
        'engine',
        'onnxruntime-common',
        'onnxruntime-node',
        'sharp',
        'simple-swizzle',
      ]);
      expect(foreignRuntimes(root, 'x64').sort()).toEqual(['bin/napi-v6/darwin', 'bin/napi-v6/linux/arm64', 'bin/napi-v6/win32'].map((p) => path.normalize(p)));
      const commands = shipNativeModules(root, '/asset-input', ['engine'], '/out', 'x64');
      expect(commands.filter((c) => c.startsWith('rm -rf'))).toHaveLength(3);
      expect(commands).toContain('mkdir -p "/out/node_modules/@img" && cp -r "/asset-input/node_modules/@img/sharp-linux-x64" "/out/node_modules/@img/sharp-linux-x64"');
      expect(() => nativeModuleClosure(root, ['missing'])).toThrow(/not found/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('ocrRunBudget', () => {
  it('keeps the reserve of the time left, never more than the run budget, never nothing', () => {
    const fn = topology.functions['ocr-document'];
    // A fresh invocation of the deployed function: the whole run budget, and the reserve fits what is left.
    expect(ocrRunBudget(fn.timeoutSeconds * 1000)).toBe(OCR_LIMITS.runBudgetMs);
    expect(OCR_LIMITS.runBudgetMs + OCR_LIMITS.runReserveMs).toBeLessThanOrEqual(fn.timeoutSeconds * 1000);
    // Later in a batch, less time left: less budget.
    expect(ocrRunBudget(OCR_LIMITS.runReserveMs + 60_000)).toBe(60_000);
    // Almost no time left: still one call, so the scan moves on.
    expect(ocrRunBudget(1_000)).toBe(1);
  });
});
