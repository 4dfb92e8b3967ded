import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSpec, GongkaiClient, uploadFile } from '#client/gongkai';
import { LEDGER_FILE, run, type Report } from '#cli/submit';
import { buildOpenApi } from '#shared/openapi';
import { validForm } from '../support/forms.ts';
import { corpus, startTestStack, type TestStack } from '../support/stack.ts';
import { apiError, claimFor } from '../support/api.ts';

/**
 * The drafting unit's tools against the local stack: the batch CLI (in-process, as
 * `npm run submit` runs it), the OpenAPI document it checks the server with.
 */
let stack: TestStack;
const dirs: string[] = [];
const interpretationFile = fileURLToPath(new URL('../../infra/local/samples/004-interpretation.txt', import.meta.url));

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.cleanup();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const folder = async () => {
  const d = await mkdtemp(join(tmpdir(), 'gongkai-submit-'));
  dirs.push(d);
  return d;
};

/** Runs the CLI in-process; stdout and the progress lines (stderr) are collected apart. */
async function cli(...args: string[]) {
  const lines: string[] = [];
  const progress: string[] = [];
  const code = await run(
    [...args, '--api', stack.apiUrl],
    (s) => lines.push(s),
    (s) => progress.push(s),
  );
  return { code, out: lines.join('\n'), progress };
}

/** Titles of the drafts waiting for approval (each should appear once, however often the CLI ran). */
const waitingTitles = async () => (await stack.approver.listTasks()).tasks.map((t) => t.title);

describe('the batch submit CLI', () => {
  it('submits a folder with a JSON manifest, waits, reports, exits 1 for the rejected draft, and a re-run submits nothing twice', async () => {
    const dir = await folder();
    const manifest = [
      { file: corpus('pdf/000_70017f665202e428.pdf'), form: validForm({ title: '批量提交测试：盐湖区工作方案' }) },
      {
        file: corpus('pdf/004_a31f9dc5403041b8.pdf'),
        interpretation: interpretationFile,
        form: validForm({
          title: '批量提交测试：江西省实施意见',
          documentNumber: '赣府厅发〔2020〕17号',
          documentType: '意见',
          isPolicy: true,
          interpretation: { mode: 'attached', format: '文字' },
        }),
      },
      {
        file: corpus('docx/002_6bc38a5105b87f60.docx'),
        form: validForm({ title: '批量提交测试：理由笼统的不予公开', documentNumber: undefined, attribute: '不予公开', nonPublicReason: '内部文件，不宜公开' }),
      },
    ];
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const reportFile = join(dir, 'report.json');

    const first = await cli(dir, '--wait', '--report', reportFile);
    expect(first.code, first.out).toBe(1);
    expect(first.progress).toHaveLength(6); // three submissions, three followed to a final status
    expect(first.progress[2]).toMatch(/^\[#+\] 3\/3 submitted/);
    expect(first.out).toContain('批量提交测试：盐湖区工作方案');
    expect(first.out).toMatch(/3 drafts: 3 submitted, 0 skipped .*1 rejected/);

    const report = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
    expect(report.totals).toEqual({ rows: 3, submitted: 3, skipped: 0, refused: 0, failed: 0, rejected: 1 });
    expect(report.waited).toBe(true);
    expect(report.apiVersion).toBe((buildOpenApi().info as { version: string }).version);
    expect(report.drafts.map((d) => d.status)).toEqual(['PENDING_APPROVAL', 'PENDING_APPROVAL', 'REJECTED']);
    expect(report.drafts[2]!.findings).toContainEqual(expect.objectContaining({ ruleId: 'ATTR-2', severity: 'block' }));
    for (const d of report.drafts) {
      expect(d.id).toMatch(/^[0-9A-Z]{26}$/);
      expect(d.key).toMatch(/^[0-9a-f]{64}$/);
      expect((await stack.drafter.getDraft(d.id!)).form.title).toBe(d.title);
    }
    // The policy draft went with its interpretation.
    expect((await stack.drafter.getDraft(report.drafts[1]!.id!)).files.interpretation?.kind).toBe('text');

    // Re-run, the manifest rewritten with its keys in another order: nothing is submitted again.
    const reordered = manifest.map(({ file, form, ...rest }) => ({ form: Object.fromEntries(Object.entries(form).reverse()), ...rest, file }));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(reordered));
    const again = await cli(dir, '--report', reportFile);
    expect(again.code).toBe(1); // the rejected draft is still rejected
    const second = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
    expect(second.totals).toMatchObject({ submitted: 0, skipped: 3, rejected: 1 });
    expect(second.drafts.map((d) => d.id)).toEqual(report.drafts.map((d) => d.id));
    expect(second.drafts.map((d) => d.status)).toEqual(['PENDING_APPROVAL', 'PENDING_APPROVAL', 'REJECTED']);
    const titles = await waitingTitles();
    expect(titles.filter((t) => t === '批量提交测试：盐湖区工作方案')).toHaveLength(1);
    expect(titles.filter((t) => t === '批量提交测试：江西省实施意见')).toHaveLength(1);
    const ledger = (JSON.parse(await readFile(join(dir, LEDGER_FILE), 'utf8')) as Record<string, Record<string, { id: string; uploaded: boolean }>>)[stack.apiUrl]!;
    expect(
      Object.values(ledger)
        .map((e) => e.id)
        .sort(),
    ).toEqual(report.drafts.map((d) => d.id).sort());
    expect(Object.values(ledger).every((e) => e.uploaded)).toBe(true);

    // The ledger lost (another machine, a cleaned folder): the server's Idempotency-Key still
    // gives back the drafts of the first run.
    await rm(join(dir, LEDGER_FILE));
    const lost = await cli(dir, '--report', reportFile);
    expect(lost.code).toBe(1);
    const third = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
    expect(third.totals).toMatchObject({ submitted: 0, skipped: 3, rejected: 1 });
    expect(third.drafts.map((d) => d.id)).toEqual(report.drafts.map((d) => d.id));
    expect((await waitingTitles()).filter((t) => t === '批量提交测试：盐湖区工作方案')).toHaveLength(1);
  });

  it('POST /drafts with an Idempotency-Key answers a repeat with the first draft, and refuses the key for another request', async () => {
    const { spec } = await fileSpec(corpus('pdf/000_70017f665202e428.pdf'));
    const req = { form: validForm({ title: '幂等键测试' }), files: { document: spec } };
    const first = await stack.drafter.createDraft(req, { idempotencyKey: 'test-key-0001' });
    expect(first.replayed).toBeUndefined();
    const repeat = await stack.drafter.createDraft(
      { files: req.files, form: Object.fromEntries(Object.entries(req.form).reverse()) as typeof req.form },
      { idempotencyKey: 'test-key-0001' },
    );
    expect(repeat).toMatchObject({ id: first.id, status: 'AWAITING_UPLOAD', replayed: true });
    expect(repeat.uploads.map((u) => u.part)).toEqual(['document']);
    // Keys belong to their submitter: another drafter with the same key gets a draft of its own.
    const other = await new GongkaiClient(stack.apiUrl, 'dev-drafter-zfb').createDraft(
      { ...req, form: { ...req.form, draftingUnit: '运城市盐湖区人民政府办公室' } },
      { idempotencyKey: 'test-key-0001' },
    );
    expect(other.id).not.toBe(first.id);
    const reused = await apiError(stack.drafter.createDraft({ ...req, form: validForm({ title: '幂等键测试（另一份）' }) }, { idempotencyKey: 'test-key-0001' }));
    expect(reused.status).toBe(409);
    const bad = await apiError(stack.drafter.createDraft(req, { idempotencyKey: 'x y' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error?.issues?.[0]?.field).toBe('headers.idempotency-key');
  });

  it('takes a CSV manifest with Chinese headers, and exits 0 when every draft reaches approval', async () => {
    const dir = await folder();
    const csv = [
      '文件,标题,起草单位,文号,文种,成文日期,是否政策性文件,公开属性,解读方式,无需解读理由,联系人,联系电话',
      `${corpus('docx/001_635c498a68e213e6.docx')},"CSV 提交测试：李沧区工作方案, 附件",运城市盐湖区发展和改革局,,通知,2020-06-11,否,主动公开,无需,印发工作方案，无需解读,赵敏,0359-2021234`,
      `${corpus('pdf/002_6bc38a5105b87f60.pdf')},CSV 提交测试：古县工作要点,运城市盐湖区发展和改革局,古政办发〔2022〕30号,要点,2022-05-20,否,主动公开,无需,工作要点，无需解读,赵敏,0359-2021234`,
    ].join('\r\n');
    await writeFile(join(dir, 'manifest.csv'), `\uFEFF${csv}\r\n`);
    const res = await cli(dir, '--wait');
    expect(res.code, res.out).toBe(0);
    expect(res.out).toContain('古县工作要点');
    expect(res.out).toMatch(/2 drafts: 2 submitted/);
    const titles = await waitingTitles();
    expect(titles).toContain('CSV 提交测试：李沧区工作方案, 附件');
    expect(titles).toContain('CSV 提交测试：古县工作要点');
  });

  it('refuses a bad manifest with per-row, per-field errors and submits nothing', async () => {
    const dir = await folder();
    const good = { file: corpus('pdf/000_70017f665202e428.pdf'), form: validForm({ title: '坏清单中的好行，不应提交' }) };
    const manifest = [
      good,
      { file: corpus('pdf/000_70017f665202e428.pdf'), form: { ...validForm(), title: '短', documentDate: '2020-02-30' } },
      { file: 'missing/nowhere.pdf', form: validForm() },
      { form: validForm({ attribute: '半公开' as never }) },
    ];
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const res = await cli(dir, '--report', join(dir, 'report.json'));
    expect(res.code).toBe(2);
    expect(res.out).toContain('nothing was submitted');
    expect(res.out).toMatch(/row 2[\s\S]*文件标题 form\.title: 文件标题至少 4 个字 \/ the title needs at least 4 characters/);
    expect(res.out).toMatch(/row 2[\s\S]*form\.documentDate: 不是有效的日期 \/ not a real calendar date/);
    expect(res.out).toMatch(/row 3[\s\S]*file: 找不到文件/);
    expect(res.out).toMatch(/row 4[\s\S]*file: 请填写文件路径/);
    expect(res.out).not.toMatch(/row 1\b/);
    expect(res.progress).toEqual([]);
    expect(existsSync(join(dir, LEDGER_FILE))).toBe(false);
    expect(existsSync(join(dir, 'report.json'))).toBe(false);

    const csvDir = await folder();
    await writeFile(join(csvDir, 'manifest.csv'), `文件,标题,颜色\n${corpus('pdf/000_70017f665202e428.pdf')},一个标题很长的文件,红\n`);
    const csv = await cli(csvDir);
    expect(csv.code).toBe(2);
    expect(csv.out).toContain('unknown column "颜色"');
    expect(csv.out).toMatch(/row 1[\s\S]*form\.documentType/);

    await new Promise((r) => setTimeout(r, 300));
    expect(await waitingTitles()).not.toContain('坏清单中的好行，不应提交');
  });

  it('submits a single file with --form, and says how to use it when called wrong', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'form.json'), JSON.stringify(validForm({ title: '单个文件提交测试' })));
    const res = await cli(corpus('txt/000_70017f665202e428.txt'), '--form', join(dir, 'form.json'), '--report', join(dir, 'r.json'));
    expect(res.code, res.out).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report;
    expect(report.drafts).toHaveLength(1);
    expect(report.drafts[0]).toMatchObject({ outcome: 'submitted', status: 'AWAITING_UPLOAD' });
    expect((await stack.drafter.waitForStatus(report.drafts[0]!.id!, ['PENDING_APPROVAL', 'REJECTED'])).status).toBe('PENDING_APPROVAL');
    // The ledger sits beside the form (the manifest of one), never beside the document.
    expect(existsSync(join(dir, LEDGER_FILE))).toBe(true);
    expect(existsSync(corpus(`txt/${LEDGER_FILE}`))).toBe(false);

    expect((await cli(corpus('txt/000_70017f665202e428.txt'))).code).toBe(2);
    expect((await cli()).code).toBe(2);
    expect((await cli(join(dir, 'no-such-folder'))).code).toBe(2);
  });
});

describe('the OpenAPI document', () => {
  it('is served at /openapi.json to every role, and only with a token', async () => {
    const get = (token?: string) => fetch(`${stack.apiUrl}/openapi.json`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    for (const token of ['dev-drafter-fgw', 'dev-approver-li', 'dev-infocenter']) {
      const res = await get(token);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(buildOpenApi());
    }
    expect((await get()).status).toBe(401);
    expect(await stack.drafter.getOpenApi()).toMatchObject({ openapi: '3.1.0', paths: { '/drafts': { post: expect.any(Object) } } });
  });

  it('is what the CLI checks the server with: an incompatible or older server gets nothing', async () => {
    const requests: string[] = [];
    let version = '';
    const server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...buildOpenApi(), info: { title: 'other', version } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      // Another major; and 1.0, from before the draft view's ocr.text, which the CLI prints.
      for (const [served, says] of [
        ['2.0.0', 'not compatible'],
        ['1.0.0', 'older than the 1.1 this client needs'],
      ] as const) {
        version = served;
        requests.length = 0;
        const dir = await folder();
        await writeFile(join(dir, 'manifest.json'), JSON.stringify([{ file: corpus('pdf/000_70017f665202e428.pdf'), form: validForm() }]));
        const lines: string[] = [];
        const code = await run(
          [dir, '--api', `http://127.0.0.1:${(server.address() as AddressInfo).port}`],
          (s) => lines.push(s),
          () => undefined,
        );
        expect(code, served).toBe(1);
        expect(lines.join('\n'), served).toContain(says);
        expect(requests, served).toEqual(['GET /openapi.json']);
        expect(existsSync(join(dir, LEDGER_FILE)), served).toBe(false);
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('historical documents (notice 000 §二(三)1: 公函 determines the attribute)', () => {
  it('are imported in bulk, listed as undetermined, determined by the drafting unit, and go through the pipeline as drafts', async () => {
    const infocenter = new GongkaiClient(stack.apiUrl, 'dev-infocenter');
    const otherUnit = new GongkaiClient(stack.apiUrl, 'dev-drafter-zfb');
    const unit = '运城市盐湖区发展和改革局'; // the unit of dev-drafter-fgw
    const pdf = await fileSpec(corpus('pdf/000_70017f665202e428.pdf'));
    const docx = await fileSpec(corpus('docx/003_947bd769dad19b2f.docx'));
    const documents = [
      { title: '盐湖区发改局历史文件：基层政务公开工作方案', documentNumber: '运盐发改发〔2015〕12号', documentDate: '2015-04-01', draftingUnit: unit, file: pdf.spec },
      { title: '盐湖区发改局历史文件：内部分工', documentDate: '2016-09-30', draftingUnit: unit, file: docx.spec },
    ];

    // A drafting unit imports only its own documents.
    const wrongUnit = await apiError(otherUnit.importHistorical({ documents }));
    expect(wrongUnit.status).toBe(400);
    expect(wrongUnit.body.error?.issues?.map((i) => i.field)).toEqual(['documents.0.draftingUnit', 'documents.1.draftingUnit']);

    const imported = await infocenter.importHistorical({ documents });
    expect(imported.documents.map((d) => [d.status, d.imported])).toEqual([
      ['UNDETERMINED', true],
      ['UNDETERMINED', true],
    ]);
    const [first, second] = imported.documents as [(typeof imported.documents)[number], (typeof imported.documents)[number]];
    await uploadFile(first.upload!, pdf.bytes, pdf.spec.fileName);
    await uploadFile(second.upload!, docx.bytes, docx.spec.fileName);
    // Nothing is extracted or checked while the attribute is undetermined: no draft exists.
    await stack.settle();

    // Listed as undetermined for the information centre and the unit, not for another unit or approvers.
    const undetermined = await infocenter.listHistorical('UNDETERMINED');
    expect(undetermined.documents.map((d) => d.id)).toEqual(expect.arrayContaining([first.id, second.id]));
    expect((await stack.drafter.listHistorical()).documents.map((d) => d.id).sort()).toEqual([first.id, second.id].sort());
    expect((await otherUnit.listHistorical()).documents).toEqual([]);
    expect((await apiError(stack.approver.listHistorical())).status).toBe(403);

    // Importing the same documents again finds them; the originals are in, so no upload.
    const again = await stack.drafter.importHistorical({ documents });
    expect(again.documents.map((d) => [d.id, d.imported, d.upload])).toEqual([
      [first.id, false, undefined],
      [second.id, false, undefined],
    ]);

    const letter = {
      attribute: '主动公开' as const,
      reason: '该方案面向社会公布基层政务公开工作安排，不涉及国家秘密、商业秘密和个人隐私，应主动公开。',
      documentType: '通知' as const,
      isPolicy: false,
      interpretation: { mode: 'not-needed' as const, reason: '印发工作方案，无需解读' },
      contact: { name: '王明', phone: '0359-2021234' },
    };
    // Only the drafting unit writes the letter; a non-public attribute needs its legal basis.
    expect((await apiError(otherUnit.determineHistorical(first.id, letter))).status).toBe(403);
    const noBasis = await apiError(stack.drafter.determineHistorical(second.id, { ...letter, attribute: '不予公开' }));
    expect(noBasis.status).toBe(400);
    expect(noBasis.body.error?.issues?.map((i) => i.field)).toEqual(['legalBasis']);

    const determined = await stack.drafter.determineHistorical(first.id, letter);
    expect(determined.historical).toMatchObject({ status: 'DETERMINED', determination: { attribute: '主动公开', draftId: determined.draftId } });
    expect(determined.historical.determination!.letter).toContain(letter.reason);
    expect(determined.historical.determination!.letter).toContain('运盐发改发〔2015〕12号');
    expect(determined.uploads).toEqual([]); // the original was copied into place

    // The same pipeline as any draft: extraction, the rulebook, approval, publication.
    const pending = await stack.drafter.waitForStatus(determined.draftId, ['PENDING_APPROVAL', 'REJECTED']);
    expect(pending.status, JSON.stringify(pending.findings)).toBe('PENDING_APPROVAL');
    expect(pending.form).toMatchObject({
      title: documents[0]!.title,
      documentNumber: '运盐发改发〔2015〕12号',
      documentDate: '2015-04-01',
      draftingUnit: unit,
      attribute: '主动公开',
    });
    expect(pending.files.document).toMatchObject({ fileName: pdf.spec.fileName, kind: 'pdf', size: pdf.bytes.length });
    expect(pending.history[0]!.note).toContain(first.id);
    const claim = await claimFor(stack.approver, determined.draftId);
    await stack.approver.decide(determined.draftId, { claimToken: claim.claimToken, version: claim.draft.version, outcome: 'approve' });
    const published = await stack.drafter.waitForStatus(determined.draftId, ['PUBLISHED']);
    expect((await fetch(published.publication!.url)).status).toBe(200);

    // The record shows DETERMINED, links its draft, and leaves the undetermined list.
    const done = (await infocenter.listHistorical('DETERMINED')).documents.find((d) => d.id === first.id);
    expect(done).toMatchObject({
      status: 'DETERMINED',
      determination: { draftId: determined.draftId, reason: letter.reason },
      draft: { id: determined.draftId, status: 'PUBLISHED' },
    });
    expect((await infocenter.listHistorical('UNDETERMINED')).documents.map((d) => d.id)).not.toContain(first.id);
    expect((await apiError(stack.drafter.determineHistorical(first.id, letter))).status).toBe(409);
  });

  it('are imported from a folder by the CLI (--historical), once, with per-row errors for a bad manifest', async () => {
    const dir = await folder();
    const csv = [
      '文件,标题,文号,成文日期,起草单位',
      `${corpus('docx/002_6bc38a5105b87f60.docx')},发改局历史文件（命令行导入）：工作要点,运盐发改发〔2017〕3号,2017-03-01,运城市盐湖区发展和改革局`,
      `${corpus('txt/001_635c498a68e213e6.txt')},发改局历史文件（命令行导入）：工作方案,,2018-06-11,运城市盐湖区发展和改革局`,
    ].join('\n');
    await writeFile(join(dir, 'manifest.csv'), csv);
    const reportFile = join(dir, 'historical.json');
    const first = await cli(dir, '--historical', '--report', reportFile);
    expect(first.code, first.out).toBe(0);
    expect(first.progress).toHaveLength(2);
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as { totals: Record<string, number>; documents: { id: string; outcome: string; status: string }[] };
    expect(report.totals).toEqual({ rows: 2, imported: 2, skipped: 0, failed: 0 });
    const listed = (await new GongkaiClient(stack.apiUrl, 'dev-infocenter').listHistorical('UNDETERMINED')).documents;
    for (const d of report.documents) expect(listed.find((l) => l.id === d.id)).toMatchObject({ status: 'UNDETERMINED', importedBy: '王明（区发展和改革局）' });

    const again = await cli(dir, '--historical', '--report', reportFile);
    expect(again.code).toBe(0);
    expect((JSON.parse(await readFile(reportFile, 'utf8')) as typeof report).totals).toEqual({ rows: 2, imported: 0, skipped: 2, failed: 0 });

    await writeFile(join(dir, 'manifest.csv'), `${csv}\n${corpus('txt/002_6bc38a5105b87f60.txt')},缺日期的历史文件,,,运城市盐湖区发展和改革局`);
    const bad = await cli(dir, '--historical');
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/row 3[\s\S]*documentDate/);
  });
});
