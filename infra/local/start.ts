/**
 * `npm start`: the whole pipeline on this machine, no AWS account. Starts the emulators
 * and the local runner, pushes the sample drafts through it (first run only: a second
 * start finds the data of the first), lets a demo approver approve what reaches approval,
 * prints what happened to each draft, and serves the API and the site until Ctrl-C.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Table from 'cli-table3';
import { GongkaiClient, TERMINAL, type DraftView } from '#client/gongkai';
import { startLocalStack } from '#infra/local/stack';
import { pollerConcurrencySetting, portSetting, queueConcurrencySetting, StartSettingError } from '#infra/local/start-settings';
import { SAMPLES, submitSample } from '#infra/local/samples';
import { SAMPLE_BODIES } from '#infra/local/sample-bodies';
import { loadUsers } from '#infra/local/users';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = process.env.GONGKAI_DATA_DIR ?? join(root, '.local');
const port = (name: string, fallback: number) => portSetting(name, fallback);

const APPROVER = 'dev-approver-li';
const ADMIN = 'dev-admin';
/** `npm start -- --metrics`: print the handlers' metrics (EMF, as CloudWatch would read them) every minute and at the end. */
const PRINT_METRICS = process.argv.includes('--metrics');

async function main() {
  // Settings first: a value that is not allowed stops the start with its variable named.
  const ports = { api: port('API', 8700), site: port('SITE', 8701), s3: port('S3', 8702), dynamodb: port('DYNAMODB', 8703), sqs: port('SQS', 8704) };
  const pollerConcurrency = pollerConcurrencySetting();
  const queueConcurrency = queueConcurrencySetting(process.env, pollerConcurrency);
  await mkdir(dataDir, { recursive: true });
  console.log('正在启动本地环境 / starting the local stack …');
  const stack = await startLocalStack({
    dataDir,
    ports,
    // Concurrent batches on the standard queues, as Lambda runs them (GONGKAI_POLLER_CONCURRENCY=1: one at a time).
    pollerConcurrency,
    // Per queue (GONGKAI_POLLER_CONCURRENCY_<QUEUE>); extraction, whose work is in a worker pool, twice the others by default.
    queueConcurrency,
  });
  if (PRINT_METRICS) setInterval(() => console.log(stack.metrics.summary()), 60_000).unref();
  const shutdown = async () => {
    if (PRINT_METRICS) console.log(stack.metrics.summary());
    console.log('\n正在停止 / stopping …');
    await stack.stop();
    process.exit(0);
  };
  const stopOn = (signal: NodeJS.Signals) =>
    process.once(signal, () => {
      shutdown().catch((err: unknown) => {
        console.error(`停止时出错 / error while stopping: ${String(err)}`);
        process.exit(1);
      });
    });
  stopOn('SIGINT');
  stopOn('SIGTERM');

  const approver = new GongkaiClient(stack.apiUrl, APPROVER);
  // Each sample is submitted by a drafter of its own unit (a drafter acts for their unit only).
  const users = await loadUsers();
  const drafterOf = (unit: string): GongkaiClient => {
    const user = users.find((u) => u.unit === unit && u.groups.length === 1 && u.groups[0] === 'drafter');
    if (!user) throw new Error(`config/local-users.json has no drafter of ${unit} (each sample's unit needs one)`);
    return new GongkaiClient(stack.apiUrl, user.token);
  };

  // The sample platform: the top body (config/site.json) and its office, departments and townships, added once.
  const admin = new GongkaiClient(stack.apiUrl, ADMIN);
  const present = new Set((await admin.listBodies()).bodies.map((b) => b.id));
  const missing = SAMPLE_BODIES.filter((b) => !present.has(b.id));
  for (const b of missing) await admin.createBody(b);
  if (missing.length) console.log(`添加 ${missing.length} 个示例公开主体 / added ${missing.length} sample publishing bodies`);

  // Seed once: remember which sample became which draft.
  const seedFile = join(dataDir, 'seeded.json');
  const seeded: Record<string, string> = JSON.parse(await readFile(seedFile, 'utf8').catch(() => '{}'));
  const fresh = SAMPLES.filter((s) => !seeded[s.name]);
  if (fresh.length) console.log(`提交 ${fresh.length} 份示例草稿 / submitting ${fresh.length} sample drafts …`);
  else console.log('示例草稿已在上次运行中提交，读取已有数据 / samples were submitted by an earlier run; reading them back');
  for (const sample of fresh) {
    const created = await submitSample(drafterOf(sample.form.draftingUnit), sample);
    seeded[sample.name] = created.id;
    await writeFile(seedFile, JSON.stringify(seeded, null, 2));
  }

  // The demo approver decides every seeded draft that reaches approval.
  const ids = new Set(Object.values(seeded));
  const settled = await Promise.all([...ids].map((id) => approver.waitForStatus(id, [...TERMINAL, 'PENDING_APPROVAL'], 180_000)));
  let pending = settled.filter((d) => d.status === 'PENDING_APPROVAL').length;
  while (pending > 0) {
    const claim = await approver.claim();
    if (!claim.claimToken || !claim.draft) break;
    if (ids.has(claim.draft.id)) {
      await approver.decide(claim.draft.id, { claimToken: claim.claimToken, version: claim.draft.version, outcome: 'approve', reason: '示例审批：同意 / demo approval' });
      pending--;
    }
  }
  const results = new Map<string, DraftView>();
  for (const id of ids) results.set(id, await approver.waitForStatus(id, [...TERMINAL, 'PENDING_APPROVAL'], 120_000));

  const table = new Table({
    head: ['示例 sample', '状态 status', '预期 expected', '发现 findings', '公开页面 page'],
    wordWrap: true,
    wrapOnWordBoundary: false,
    colWidths: [32, 14, 16, 14, 64],
    ...(process.stdout.isTTY ? {} : { style: { head: [], border: [] } }),
  });
  for (const sample of SAMPLES) {
    const d = results.get(seeded[sample.name]!);
    if (!d) continue;
    const findings =
      d.findings
        .map((f) => `${f.severity === 'block' ? '✗' : '!'} ${f.ruleId}`)
        .filter((v, i, all) => all.indexOf(v) === i)
        .join('\n') || '—';
    table.push([
      sample.name,
      `${d.status}\n${d.statusLabel}`,
      d.status === sample.expect ? `✓ ${sample.expect}` : `✗ ${sample.expect}`,
      findings,
      d.publication?.url ?? (d.filing ? `不公开，复核 ${d.filing.reviewDue}` : '—'),
    ]);
  }
  console.log(table.toString());
  const rejected = [...results.values()].filter((d) => d.status === 'REJECTED').slice(0, 3);
  for (const d of rejected) {
    console.log(
      `\n${d.form.title}\n  ${d.findings
        .filter((f) => f.severity === 'block')
        .map((f) => `[${f.ruleId}] ${f.zh}\n    (${f.en})`)
        .join('\n  ')}`,
    );
  }
  if (PRINT_METRICS) console.log(`\n${stack.metrics.summary()}`);
  console.log(`
公开网站 / public site:   ${stack.siteUrl}/
审批控制台 / console:      ${stack.siteUrl}/app/console/index.html   (token dev-approver-li)
上传页面 / upload page:    ${stack.siteUrl}/app/upload/index.html    (token dev-drafter-fgw)
公开主体 / bodies page:   ${stack.siteUrl}/app/bodies/index.html    (token dev-admin)
API:                      ${stack.apiUrl}   (tokens: config/local-users.json)
审批 / approver CLI:       npm run approver -- list | overdue | claim | extend <id> | show <id> | approve <id> | reject|return|keep|convert <id> --reason …
数据目录 / data:           ${dataDir}
按 Ctrl-C 停止 / Ctrl-C to stop.`);
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (err instanceof StartSettingError) {
    console.error(`启动失败 / failed to start:\n${err.message}`);
  } else if (e.code === 'EADDRINUSE') {
    const name = Object.entries({ API: 8700, SITE: 8701, S3: 8702, DYNAMODB: 8703, SQS: 8704 }).find(([n, p]) => port(n, p) === e.port)?.[0] ?? 'API';
    console.error(
      `启动失败：端口 ${e.port} 已被占用。是否已有一个 npm start 在运行？请先停止它，或用环境变量 GONGKAI_PORT_${name} 换一个端口。\n` +
        `Failed to start: port ${e.port} is in use. Is another npm start running? Stop it, or set GONGKAI_PORT_${name} to another port.`,
    );
  } else {
    console.error('启动失败 / failed to start:', err);
  }
  process.exit(1);
});
