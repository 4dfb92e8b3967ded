import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '#shared/routes';
import { BUNDLING } from '#infra/cdk/function-defaults';
import { bundlesPdfjs } from '#infra/cdk/bundling/pdfjs-needed';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const areaDir = path.join(root, 'shared/routes');
const areas = readdirSync(areaDir)
  .filter((f) => f.endsWith('.ts') && f !== 'spec.ts')
  .map((f) => f.replace(/\.ts$/, ''));

/** The modules with code in a function's bundle, bundled as the CDK app bundles it (esbuild's metafile). */
async function bundleInputs(entry: string): Promise<string[]> {
  const { metafile } = await build({
    ...BUNDLING.esbuild,
    mainFields: [...BUNDLING.esbuild.mainFields],
    entryPoints: [path.join(root, entry)],
    outdir: path.join(root, 'node_modules/.cache/route-areas-test'),
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint)!;
  return Object.entries(output.inputs)
    .filter(([, i]) => i.bytesInOutput > 0)
    .map(([p]) => p);
}

describe('the route table split by area (issue 17.5)', () => {
  it('ROUTES holds every route of every area, as the very object its area declares, and nothing else', async () => {
    const declared: Record<string, unknown> = {};
    for (const area of areas) {
      const mod = (await import(path.join(areaDir, `${area}.ts`))) as { ROUTES: Record<string, unknown> };
      for (const [name, spec] of Object.entries(mod.ROUTES)) {
        expect(declared[name], `${name} is declared in two areas`).toBeUndefined();
        declared[name] = spec;
      }
    }
    expect(Object.keys(ROUTES).sort()).toEqual(Object.keys(declared).sort());
    for (const [name, spec] of Object.entries(ROUTES)) expect(spec, name).toBe(declared[name]);
  });

  it('each handler imports its route from its area, never the whole table', () => {
    const files = readdirSync(path.join(root, 'functions')).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      const source = readFileSync(path.join(root, 'functions', file), 'utf8');
      expect(source, file).not.toMatch(/from '#shared\/routes'/);
      const used = [...source.matchAll(/\bROUTES\.(\w+)/g)].map((m) => m[1]!);
      if (!used.length) continue;
      const area = /import \{ ROUTES \} from '#shared\/routes\/([a-z-]+)';/.exec(source)?.[1];
      expect(area, file).toBeDefined();
      const areaSource = readFileSync(path.join(areaDir, `${area}.ts`), 'utf8');
      for (const name of used) expect(areaSource, `${file}: ROUTES.${name}`).toMatch(new RegExp(`^  ${name}: route\\(`, 'm'));
    }
  });

  it("a function's bundle holds its own area's routes and of zod only what is used", async () => {
    const inputs = await bundleInputs('functions/get-me.ts');
    expect(inputs).toContain('shared/routes/account.ts');
    expect(inputs.filter((p) => p === 'shared/routes.ts' || (p.startsWith('shared/routes/') && p !== 'shared/routes/account.ts' && p !== 'shared/routes/spec.ts'))).toEqual([]);
    // `import * as z from 'zod'` is tree-shaken; zod's namespace object brought every locale.
    expect(inputs.filter((p) => /zod\/v4\/locales\/(?!en\.js|index\.js)/.test(p))).toEqual([]);
    // An SDK client only where it is used (shared/aws/clients.ts marks them pure).
    expect(inputs.some((p) => p.includes('node_modules/@aws-sdk/client-s3/'))).toBe(false);
  }, 60_000);

  it('pdf.js and its shim only in the bundles that run it: the extraction worker, not the handler that hands it files', () => {
    const options = { mainFields: BUNDLING.esbuild.mainFields };
    expect(bundlesPdfjs(path.join(root, 'functions/extract-document.ts'), options)).toBe(false);
    expect(bundlesPdfjs(path.join(root, 'shared/extract/worker.ts'), options)).toBe(true);
  }, 60_000);
});
