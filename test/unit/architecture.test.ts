import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * Issue 11.4: the layout's rules are checked by CI (npm run lint): no AWS SDK outside the
 * adapters, no adapter in the pure domain, no process.env outside shared/env.ts, no import
 * cycle. These tests show each check bites, on code placed where the rule applies.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const eslint = new ESLint({ cwd: root });
// The layout's rules on files that do not exist yet: the type-aware promise rules need the file in
// the TypeScript project, so they are off here (and tested on existing modules below).
const untyped = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

async function lint(linter: ESLint, filePath: string, code: string): Promise<string[]> {
  const [result] = await linter.lintText(code, { filePath: join(root, filePath) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}
const findings = (filePath: string, code: string) => lint(untyped, filePath, code);
const typedFindings = (filePath: string, code: string) => lint(eslint, filePath, code);

describe('the architecture rules (ESLint)', () => {
  it('refuse an AWS SDK import in a handler, and accept it in an adapter', async () => {
    const code = "import { S3Client } from '@aws-sdk/client-s3';\nexport const c = new S3Client({});\n";
    expect(await findings('functions/new-handler.ts', code)).toEqual([expect.stringMatching(/^no-restricted-imports: .*adapters/)]);
    expect(await findings('shared/render/new-page.ts', code)).toEqual([expect.stringMatching(/^no-restricted-imports: /)]);
    expect(await findings('shared/aws/new-adapter.ts', code)).toEqual([]);
  });

  it('refuse an adapter or the configuration in the pure domain', async () => {
    for (const mod of ['#shared/store', '#shared/blobs', '#shared/env', '#shared/site/catalogue', '#shared/aws/table', '../store.ts', '../../blobs.ts']) {
      expect(await findings('shared/domain/new-rule.ts', `import * as m from '${mod}';\nexport const x = m;\n`), mod).toEqual([
        expect.stringMatching(/^no-restricted-imports: .*The domain is pure/),
      ]);
    }
    // The domain's own modules are fine.
    expect(await findings('shared/domain/new-rule.ts', "import { PILOT_DOMAINS } from '#shared/domain/form';\nexport const x = PILOT_DOMAINS;\n")).toEqual([]);
  });

  it('refuse a promise left unhandled, or passed where nothing awaits it', async () => {
    // Type-aware rules read the file through the TypeScript project: lint the text as an existing module.
    const floating = 'export async function run(): Promise<number> {\n  return 0;\n}\nrun().then((code) => process.exit(code));\n';
    expect(await typedFindings('cli/main.ts', floating)).toEqual([expect.stringMatching(/^@typescript-eslint\/no-floating-promises: /)]);
    const misused = "import { createServer } from 'node:http';\nexport const s = createServer(async (_req, res) => {\n  res.end(await Promise.resolve('x'));\n});\n";
    expect(await typedFindings('infra/local/serve.ts', misused)).toEqual([expect.stringMatching(/^@typescript-eslint\/no-misused-promises: /)]);
    const handled = 'export async function run(): Promise<number> {\n  return 0;\n}\nrun().then(\n  (code) => process.exit(code),\n  () => process.exit(1),\n);\n';
    expect(await typedFindings('cli/main.ts', handled)).toEqual([]);
  });

  it('refuse process.env outside shared/env.ts', async () => {
    const code = 'export const x = process.env.TABLE_NAME;\n';
    expect(await findings('shared/site/new-thing.ts', code)).toEqual([expect.stringMatching(/^no-restricted-properties: .*Read configuration through shared\/env.ts/)]);
    expect(await findings('functions/new-handler.ts', code)).toHaveLength(1);
    expect(await findings('shared/env.ts', code)).toEqual([]);
  });
});

describe('the cycle check (dpdm, as npm run lint:cycles runs it)', () => {
  it('fails on two modules that import each other, and passes once the cycle is gone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gongkai-cycle-'));
    try {
      await writeFile(join(dir, 'a.ts'), "import { b } from './b.ts';\nexport const a = () => b;\n");
      await writeFile(join(dir, 'b.ts'), "import { a } from './a.ts';\nexport const b = () => a;\n");
      const run = () =>
        promisify(execFile)(join(root, 'node_modules/.bin/dpdm'), ['--no-warning', '--no-tree', '--exit-code', 'circular:1', join(dir, '*.ts')], { cwd: root }).then(
          () => 0,
          (e: { code?: number; stdout?: string }) => e.code ?? -1,
        );
      expect(await run()).toBe(1);
      await writeFile(join(dir, 'b.ts'), 'export const b = () => 1;\n');
      expect(await run()).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
