/**
 * The approver's command line: `npm run approver -- <command>`.
 *
 *   list                         tasks waiting for a decision (approvals, filings, re-reviews)
 *   overdue                      tasks waiting longer than TASK_OVERDUE_DAYS
 *   claim [--lease SECONDS]      claim the next task for your role (under a lease, default 900 s)
 *   extend <draftId> [--lease SECONDS]   extend a live claim while you work
 *   show <draftId>               a draft: declaration, findings, history
 *   approve <draftId> [--reason TEXT]
 *   reject <draftId> --reason TEXT
 *   return <draftId> --reason TEXT        return for revision (the drafting unit uploads a new version)
 *   acknowledge <draftId> [--reason TEXT] the information centre files an ATTR-3 filing
 *   keep <draftId> --reason TEXT          re-review: keep the document non-public for another year
 *   convert <draftId> --reason TEXT       re-review: convert to 主动公开 and publish
 *   withdraw <draftId> --reason TEXT      withdraw a published document from the public site (no claim needed)
 *
 * Options: --api URL (or GONGKAI_API, default http://127.0.0.1:8700), --token TOKEN (or
 * GONGKAI_TOKEN, default the local demo approver). A claim is remembered in
 * .local/approver-claims.json so that approve/reject can bring back its token.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { runAsMain } from '#cli/main';
import { ApiError, GongkaiClient, type DraftView } from '#client/gongkai';

const root = fileURLToPath(new URL('../', import.meta.url));
const claimsFile = process.env.GONGKAI_CLAIMS_FILE ?? join(root, '.local', 'approver-claims.json');

interface SavedClaim {
  claimToken: string;
  version: number;
  leaseUntil: string;
}

async function loadClaims(): Promise<Record<string, SavedClaim>> {
  return JSON.parse(await readFile(claimsFile, 'utf8').catch(() => '{}'));
}
async function saveClaims(claims: Record<string, SavedClaim>): Promise<void> {
  await mkdir(dirname(claimsFile), { recursive: true });
  await writeFile(claimsFile, JSON.stringify(claims, null, 2));
}

function printDraft(d: DraftView, out: (s: string) => void): void {
  out(`${d.form.title}\n  编号 id: ${d.id}   状态 status: ${d.status}（${d.statusLabel}）   版本 version: ${d.version}`);
  out(`  起草单位: ${d.form.draftingUnit}   文种: ${d.form.documentType}   成文日期: ${d.form.documentDate}   文号: ${d.form.documentNumber ?? '—'}`);
  out(
    `  公开属性: ${d.form.attribute ?? '（未定）'}${d.form.nonPublicReason ? `   理由: ${d.form.nonPublicReason}` : ''}${d.form.legalBasis ? `   依据: ${d.form.legalBasis}` : ''}`,
  );
  out(
    `  政策性文件: ${d.form.isPolicy ? '是' : '否'}   解读: ${d.form.interpretation?.mode === 'attached' ? '随附' : d.form.interpretation ? `无需（${d.form.interpretation.reason}）` : '未说明'}`,
  );
  out(`  提交人 submitter: ${d.submitter.name}`);
  if (d.findings.length) {
    out('  审查发现 findings:');
    for (const f of d.findings) out(`    ${f.severity === 'block' ? '✗' : '!'} [${f.ruleId}] ${f.zh}\n      ${f.en}  (${f.source})`);
  }
  out('  记录 history:');
  for (const h of d.history) out(`    ${h.at}  ${h.event}${h.from && h.to ? ` (${h.from} → ${h.to})` : ''}  ${h.actor.name}${h.note ? `  ${h.note}` : ''}`);
}

export async function run(argv: string[], out: (s: string) => void = console.log): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        api: { type: 'string', default: process.env.GONGKAI_API ?? 'http://127.0.0.1:8700' },
        token: { type: 'string', default: process.env.GONGKAI_TOKEN ?? 'dev-approver-li' },
        reason: { type: 'string' },
        lease: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    out(`参数有误 / bad arguments: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, id] = positionals;
  const client = new GongkaiClient(values.api!, values.token!);
  try {
    switch (command) {
      case 'list':
      case 'overdue': {
        const { tasks } = await client.listTasks({ overdue: command === 'overdue' });
        if (tasks.length === 0) {
          out('没有待审批的任务 / no tasks waiting');
          return 0;
        }
        const table = new Table({ head: ['draft id', '任务 kind', '标题 title', '属性', '等待自 since', '领取人 claimed by'], style: { head: [], border: [] } });
        for (const t of tasks) {
          table.push([
            t.draftId,
            `${KIND_LABELS[t.kind ?? 'approve']}${t.overdue ? ' ⚠逾期' : t.overdueUnknown ? ' ⚠期限待定' : ''}`,
            t.title,
            t.attribute ?? '—',
            t.waitingSince,
            t.claimedBy ? `${t.claimedBy} → ${t.claimUntil}` : t.ownSubmission ? '（本人提交，不能审批）' : '—',
          ]);
        }
        out(table.toString());
        return 0;
      }
      case 'claim': {
        const claim = await client.claim(values.lease ? Number(values.lease) : undefined);
        if (!claim.claimToken || !claim.draft) {
          out('目前没有可领取的任务 / no task is waiting for you');
          return 0;
        }
        const claims = await loadClaims();
        claims[claim.draft.id] = { claimToken: claim.claimToken, version: claim.draft.version, leaseUntil: claim.leaseUntil! };
        await saveClaims(claims);
        out(`已领取 claimed, lease until ${claim.leaseUntil}`);
        printDraft(claim.draft, out);
        const text = claim.texts?.document;
        if (text) out(`\n  正文摘录 text excerpt:\n    ${text.slice(0, 400).replace(/\n/g, '\n    ')}${text.length > 400 ? ' …' : ''}`);
        const kind = claim.draft.task?.kind ?? 'approve';
        out(
          kind === 'review'
            ? `\n复核 (${claim.draft.filing?.reviewDue ?? ''}): npm run approver -- keep ${claim.draft.id} --reason "…"   转为主动公开: npm run approver -- convert ${claim.draft.id} --reason "…"`
            : kind === 'file'
              ? `\n备案: npm run approver -- acknowledge ${claim.draft.id} [--reason "…"]`
              : `\n审批: npm run approver -- approve ${claim.draft.id}   退回: npm run approver -- reject ${claim.draft.id} --reason "…"   退回修改: npm run approver -- return ${claim.draft.id} --reason "…"`,
        );
        return 0;
      }
      case 'extend': {
        if (!id) throw new UsageError('extend 需要 draft id / extend needs a draft id');
        const claims = await loadClaims();
        const saved = claims[id];
        if (!saved) throw new UsageError(`尚未领取该任务，请先 claim / you have not claimed ${id}: run claim first`);
        const res = await client.extendLease(id, { claimToken: saved.claimToken, ...(values.lease ? { leaseSeconds: Number(values.lease) } : {}) });
        claims[id] = { ...saved, version: res.version, leaseUntil: res.leaseUntil };
        await saveClaims(claims);
        out(`租约已延长 lease extended until ${res.leaseUntil}`);
        return 0;
      }
      case 'show': {
        if (!id) throw new UsageError('show 需要 draft id / show needs a draft id');
        printDraft(await client.getDraft(id), out);
        return 0;
      }
      case 'approve':
      case 'reject':
      case 'return':
      case 'acknowledge':
      case 'keep':
      case 'convert': {
        if (!id) throw new UsageError(`${command} 需要 draft id / ${command} needs a draft id`);
        if (command !== 'approve' && command !== 'acknowledge' && !values.reason)
          throw new UsageError(`${OUTCOME_LABELS[command]}必须写明理由：--reason "…" / ${command} needs --reason`);
        const claims = await loadClaims();
        const saved = claims[id];
        if (!saved) throw new UsageError(`尚未领取该任务，请先 claim / you have not claimed ${id}: run claim first`);
        const d = await client.decide(id, { claimToken: saved.claimToken, version: saved.version, outcome: command, ...(values.reason ? { reason: values.reason } : {}) });
        delete claims[id];
        await saveClaims(claims);
        out(`${OUTCOME_LABELS[command]} ${command === 'reject' ? 'rejected' : command === 'approve' ? 'approved' : command}: ${d.form.title} → ${d.status}（${d.statusLabel}）`);
        return 0;
      }
      case 'withdraw': {
        if (!id) throw new UsageError('withdraw 需要 draft id / withdraw needs a draft id');
        if (!values.reason) throw new UsageError('撤回必须写明理由：--reason "…"（显示在公开网站的撤回公告中） / withdraw needs --reason (shown on the public notice)');
        const d = await client.withdraw(id, values.reason);
        out(`已申请撤回 withdrawal requested: ${d.form.title} → ${d.status}（${d.statusLabel}）；网站页面将替换为撤回公告 / its pages become a withdrawal notice`);
        return 0;
      }
      default:
        out(USAGE);
        return command === undefined || values.help ? 0 : 2;
    }
  } catch (err) {
    if (err instanceof ApiError) {
      out(`错误 error ${err.status}: ${err.body.error?.zh ?? ''}\n  ${err.body.error?.en ?? ''}`);
      for (const i of err.body.error?.issues ?? []) out(`  - ${i.field}: ${i.zh} / ${i.en}`);
      return 1;
    }
    if (err instanceof UsageError) {
      out(err.message);
      return 2;
    }
    if (err instanceof TypeError && /fetch failed/.test(err.message)) {
      out(`无法连接 API ${values.api}：请先运行 npm start / cannot reach the API at ${values.api}: is npm start running?`);
      return 1;
    }
    throw err;
  }
}

const USAGE =
  '用法 usage: npm run approver -- list | overdue | claim [--lease S] | extend <id> [--lease S] | show <id> | approve <id> [--reason T] | reject|return|keep|convert <id> --reason T | acknowledge <id> [--reason T] | withdraw <id> --reason T  [--api URL] [--token T]';

const KIND_LABELS = { approve: '审批', file: '备案', review: '复核' } as const;
const OUTCOME_LABELS = { approve: '已批准', reject: '已退回', return: '退回修改', acknowledge: '已备案', keep: '维持不公开', convert: '转为主动公开' } as const;

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

runAsMain(import.meta.url, (argv) => run(argv));
