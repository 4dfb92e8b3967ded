/**
 * The daily deadline query of applications (依申请公开, issue 12): "daily the scheduler lists
 * applications due within 5 working days and those overdue — an index query, not a scan", and
 * "the deadline query's cost is the same with 100 and with 10,000 open applications".
 *
 * For each size a fresh local stack (dynalite, s3rver, fauxqs; schedules off) is seeded with
 * that many open applications of the top body, then measured, the operations interleaved run
 * by run:
 *   - the watch-applications handler (the daily schedule: every body's deadlines(), the log
 *     line, the metrics ApplicationsOverdue / ApplicationsDueSoon), invoked as Lambda would;
 *   - deadlines() of shared/applications.ts (one query of the byReviewDue index, partition
 *     APPDUE#<body>, up to addWorkingDays(today, 5)), called directly;
 *   - for contrast only — NOT product code — what a Scan-based approach costs: a Scan of the
 *     whole table filtered to the body's open applications, their urgency computed in code.
 * Reported per operation: median (and p95) time over the runs, DynamoDB requests, items read
 * (ScannedCount), items returned and consumed read capacity (dynalite reports it when asked:
 * the bench's SDK middleware adds ReturnConsumedCapacity=TOTAL to every Query and Scan, which
 * changes nothing of what is read), and the ratio of the largest size to the first (the goal
 * is ≤ 1.2). By default the first size is measured again on a third stack at the end, so the
 * drift of the machine's load over the run shows. Timings are facts to report, never assertions.
 *
 * The clock is pinned (setClock) to TODAY, a Tuesday in 2026, which the holiday calendar
 * (chinese-days, last year 2026) covers, as does every deadline of the seeded applications.
 *
 * The seeded applications are built with the domain's own register() and takeStep() (登记,
 * 补正告知 / 补正, 延期, 征求意见, 办理意见, 审批), so their clocks and histories are what the
 * product would hold: applicants with Chinese names, identity numbers (with their check digit),
 * phones, addresses; organisations with a 统一社会信用代码; descriptions of the information
 * wanted as people write them; received days spread over the year before TODAY; statuses
 * across RECEIVED / AWAITING_COMPLETION / CONSULTING / PROPOSED / DECIDED. The same 13
 * applications (4 overdue, 9 due within 5 working days) are in every size, so the answer is
 * the same; every other application is on time or has its clock stopped (补正). An open
 * application received months ago is on time only because its clock started again from a
 * completion (补正, Art. 30) or was extended (Art. 33): the bulk is given the history that
 * makes it so, and each one's urgency is checked before seeding.
 *
 * Seeding: the 13 due applications and one of the bulk are stored through the store's
 * createApplication(); the rest of the bulk is written with BatchWrite through the real
 * DynamoDB client (dynamo() of shared/aws/clients), as the items createApplication would
 * write (the application with its index keys, and its tracking-code key), built by the
 * store's own toItem and trackingItem (shared/applications.ts).
 *
 * `npm run bench:applications` alone (writes bench/results/applications.{json,md}), or as
 * part of `npm run bench` (BENCH_SKIP_APPLICATIONS=1 skips it). Environment:
 * BENCH_APP_SIZES (default "100,10000"), BENCH_APP_RUNS (timed runs per operation, default
 * 21), BENCH_APP_SCAN_RUNS (default 5), BENCH_APP_RECHECK=0 (do not measure the first size again).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { createApplication, deadlines, newApplicationId, newTrackingCode, toItem, trackingItem } from '#shared/applications';
import { dynamo } from '#shared/aws/clients';
import { isWorkingDay } from '#shared/calendar';
import { resetClock, setClock } from '#shared/clock';
import {
  Application,
  OPEN_STATUSES,
  register,
  takeStep,
  urgency,
  watchDay,
  type ApplicationInput,
  type ApplicationStep,
  type StepActor,
  type Urgency,
} from '#shared/domain/application';
import type { Actor } from '#shared/domain/draft';
import { env } from '#shared/env';
import { siteConfig } from '#shared/site/config';

/** The pinned day (China time): a Tuesday, a working day, in a year the calendar covers. */
export const TODAY = '2026-11-10';
/** The instant the clock is pinned to: 10:00 on TODAY, China time. */
const NOW = new Date(`${TODAY}T10:00:00+08:00`);

// ---------------------------------------------------------------- working days

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const addDays = (day: string, n: number) => dayOf(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);

/** Every working day from 400 days before TODAY to TODAY, oldest first. */
const WORKING_DAYS: readonly string[] = (() => {
  const out: string[] = [];
  for (let d = addDays(TODAY, -400); d <= TODAY; d = addDays(d, 1)) if (isWorkingDay(d)) out.push(d);
  if (out.at(-1) !== TODAY) throw new Error(`TODAY (${TODAY}) must be a working day`);
  return out;
})();
/** The working day `n` working days before TODAY (0: TODAY). */
const back = (n: number): string => WORKING_DAYS[WORKING_DAYS.length - 1 - n]!;
/** How many working days before TODAY the working day `day` is (the first working day on or after `day`). */
const age = (day: string): number => WORKING_DAYS.length - 1 - WORKING_DAYS.findIndex((d) => d >= day);

// ---------------------------------------------------------------- realistic applicants and requests

/** A small deterministic PRNG (mulberry32): the same data at every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
type Rnd = () => number;
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const int = (rnd: Rnd, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const digits = (rnd: Rnd, n: number) => Array.from({ length: n }, () => int(rnd, 0, 9)).join('');

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '胡',
  '朱',
  '高',
  '林',
  '何',
  '郭',
  '马',
  '罗',
  '梁',
  '宋',
  '郑',
  '谢',
  '韩',
  '唐',
  '冯',
  '董',
  '薛',
  '卫',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀兰',
  '霞',
  '平',
  '刚',
  '桂英',
  '建华',
  '志强',
  '海燕',
  '文静',
  '晓东',
  '国庆',
  '玉兰',
  '红梅',
  '春生',
];
const PINYIN = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'zhao', 'huang', 'zhou', 'wu', 'xu', 'sun', 'hu', 'zhu', 'gao'];
const MAIL = ['163.com', 'qq.com', '126.com', 'sina.com', 'foxmail.com'];
const REGIONS = [
  { code: '140802', province: '山西省', city: '运城市', county: '盐湖区', postcode: '044000', area: '0359' },
  { code: '370213', province: '山东省', city: '青岛市', county: '李沧区', postcode: '266041', area: '0532' },
  { code: '141025', province: '山西省', city: '临汾市', county: '古县', postcode: '042400', area: '0357' },
  { code: '350426', province: '福建省', city: '三明市', county: '尤溪县', postcode: '365100', area: '0598' },
  { code: '360102', province: '江西省', city: '南昌市', county: '东湖区', postcode: '330006', area: '0791' },
] as const;
const ROADS = ['解放', '人民', '中山', '建设', '红旗', '和平', '胜利', '河东', '新华', '学府'];
const COMMUNITIES = ['盐湖花园', '幸福里', '东城佳苑', '康乐', '翠苑', '锦绣华庭', '南关', '北园新村', '滨河', '书香门第'];
const VILLAGES = ['东郭', '西王', '南张', '北关', '姚孟', '解州', '上王', '龙居', '金井', '泓芝驿'];

/** A resident identity card number: region, birthday, sequence and the ISO 7064 check digit. */
function idNumber(rnd: Rnd, region: string): string {
  const birth = `${int(rnd, 1950, 2003)}${String(int(rnd, 1, 12)).padStart(2, '0')}${String(int(rnd, 1, 28)).padStart(2, '0')}`;
  const body = `${region}${birth}${digits(rnd, 3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  return `${body}${'10X98765432'[sum % 11]}`;
}
const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const personName = (rnd: Rnd) => `${pick(rnd, SURNAMES)}${pick(rnd, GIVEN)}`;

const ORGANISATIONS = [
  { suffix: '建材有限公司', kind: '商业企业', prefix: '91' },
  { suffix: '房地产开发有限公司', kind: '商业企业', prefix: '91' },
  { suffix: '环保科技有限公司', kind: '商业企业', prefix: '91' },
  { suffix: '律师事务所', kind: '法律服务机构', prefix: '31' },
  { suffix: '社会工作服务中心', kind: '社会公益组织', prefix: '52' },
  { suffix: '农业科学研究所', kind: '科研机构', prefix: '12' },
  { suffix: '种植专业合作社', kind: '其他', prefix: '93' },
] as const;
const TRADE_NAMES = ['鑫源', '华泰', '恒通', '宏达', '金诚', '中盐', '河东', '晋南', '瑞丰', '正阳'];

function description(rnd: Rnd, county: string): string {
  const year = int(rnd, 2021, 2026);
  const community = pick(rnd, COMMUNITIES);
  const village = pick(rnd, VILLAGES);
  const road = `${pick(rnd, ROADS)}路`;
  return pick(rnd, [
    `${county}${year}年${village}村集体土地征收的征地批复文件、征地补偿安置方案及补偿标准`,
    `${county}${year}年度老旧小区改造项目（${community}小区）的资金安排、施工单位名单及竣工验收情况`,
    `${county}城市管理局对${road}${int(rnd, 1, 300)}号商铺作出的行政处罚决定书（${year}年）`,
    `${county}${year}年部门预算、决算及“三公”经费支出情况`,
    `${road}拓宽改造工程的建设工程规划许可证及规划总平面图`,
    `${community}小区北侧垃圾中转站建设项目的环境影响评价报告表及审批意见`,
    `${county}${year}年${village}村城乡居民最低生活保障对象名单及保障金发放标准`,
    `${county}第${int(rnd, 1, 9)}中学新校区建设项目的立项批复、招标文件和政府采购合同`,
    `${county}${year}年农村危房改造补助对象名单、补助标准及资金拨付凭证`,
    `${road}片区旧城改造项目的房屋征收决定、征收补偿方案及房屋价值评估报告`,
    `${county}${year}年道路货物运输经营许可的办理条件、办理流程及已许可企业名单`,
    `${county}人民政府关于${community}片区控制性详细规划调整的批复（${year}年）`,
  ]);
}
const PURPOSES = ['了解本人房屋征收补偿的依据和标准', '维护本人合法权益', '了解本小区改造进度', '学术研究需要', '企业经营决策参考', '代理诉讼案件需要', '监督财政资金使用'];
const COMPLETION_ITEMS = ['请明确所需信息的名称、文号或其他特征性描述', '请提供申请人身份证件复印件', '请说明所需信息的形成时间范围', '请补充法定代表人身份证明'];

function applicationInput(rnd: Rnd): ApplicationInput {
  const region = pick(rnd, REGIONS);
  const organisation = rnd() < 0.2 ? pick(rnd, ORGANISATIONS) : undefined;
  const delivery = pick(rnd, ['电子邮件', '电子邮件', '电子邮件', '邮寄', '当面领取'] as const);
  const email = delivery === '电子邮件' || rnd() < 0.4 ? `${pick(rnd, PINYIN)}${digits(rnd, 4)}@${pick(rnd, MAIL)}` : undefined;
  const withAddress = delivery === '邮寄' || rnd() < 0.5;
  const address = `${region.province}${region.city}${region.county}${pick(rnd, ROADS)}路${int(rnd, 1, 400)}号${int(rnd, 1, 30)}栋${int(rnd, 1, 6)}单元${int(rnd, 1, 28)}0${int(rnd, 1, 4)}室`;
  const phone = rnd() < 0.8 ? `1${pick(rnd, ['39', '58', '86', '37', '50', '88', '77'])}${digits(rnd, 8)}` : `${region.area}-${int(rnd, 2, 8)}${digits(rnd, 6)}`;
  return {
    body: siteConfig.bodyId,
    applicant: {
      ...(organisation
        ? {
            type: '法人或其他组织' as const,
            name: `${region.city}${pick(rnd, TRADE_NAMES)}${organisation.suffix}`,
            organisationKind: organisation.kind,
            representative: personName(rnd),
            idType: '统一社会信用代码' as const,
            idNumber: `${organisation.prefix}${region.code}${Array.from({ length: 10 }, () => pick(rnd, [...USCC])).join('')}`,
          }
        : { type: '公民' as const, name: personName(rnd), idType: '居民身份证' as const, idNumber: idNumber(rnd, region.code) }),
      phone,
      ...(email ? { email } : {}),
      ...(withAddress ? { address, postcode: region.postcode } : {}),
    },
    request: { description: description(rnd, region.county), ...(rnd() < 0.8 ? { purpose: pick(rnd, PURPOSES) } : {}) },
    delivery,
    format: delivery === '电子邮件' ? '电子文档' : pick(rnd, ['电子文档', '纸质文本'] as const),
  };
}

function answer(rnd: Rnd): Extract<ApplicationStep, { step: 'propose' }>['answer'] {
  return pick(rnd, [
    { type: '予以公开', given: '提供所申请信息的复制件一份', documents: [] },
    { type: '予以公开', given: '该信息已主动公开', documents: [], publishedAt: '本机关门户网站“政府信息公开”专栏' },
    {
      type: '部分公开',
      given: '提供补偿安置方案及补偿标准',
      documents: [],
      withheld: [{ what: '被征收人姓名、身份证号码及银行账号', ground: 'third-party', reason: '涉及第三方个人隐私，公开会对第三方合法权益造成损害' }],
    },
    { type: '无法提供', reason: 'not-held', explanation: '经检索，本机关未制作或获取该政府信息', holder: '县自然资源局，电话 0359-2021234' },
    { type: '不予处理', reason: 'petition', explanation: '申请内容属于信访举报投诉事项，请通过信访渠道反映' },
  ] as const);
}

const OFFICE: Actor = { sub: 'u-infocenter-liu', name: '刘晓燕（县政府办公室信息公开科）', role: 'infocenter' };
const APPROVER: Actor = { sub: 'u-approver-zhang', name: '张建国（县政府办公室副主任）', role: 'approver' };

/** How one application reached where it stands: the days of its steps (working days, ≤ TODAY). */
interface Plan {
  readonly status: (typeof OPEN_STATUSES)[number];
  readonly receivedOn: string;
  /** AWAITING_COMPLETION: the day of the 补正 notice. Otherwise: the day the clock (re)started: receipt, or the completion received. */
  readonly clockOn: string;
  /** A 补正 before clockOn: the notice's day (the clock started again from clockOn). */
  readonly completionRequestedOn?: string;
  readonly extension?: { readonly on: string; readonly workingDays: number };
  readonly consultOn?: string;
  readonly proposeOn?: string;
  readonly decideOn?: string;
}

function build(plan: Plan, rnd: Rnd): Application {
  const instant = (day: string) => new Date(Date.parse(`${day}T08:30:00+08:00`) + int(rnd, 0, 8 * 60) * 60_000).toISOString();
  const input = applicationInput(rnd);
  const channel = pick(rnd, ['互联网', '互联网', '互联网', '当面', '信函', '传真'] as const);
  const applicant: Actor = { sub: 'public', name: input.applicant.name, role: 'public' };
  const receivedAt = instant(plan.receivedOn);
  let app = register({
    id: newApplicationId(new Date(receivedAt)),
    trackingCode: newTrackingCode(),
    input,
    channel,
    receivedOn: plan.receivedOn,
    by: channel === '互联网' ? applicant : OFFICE,
    at: receivedAt,
  });
  const step = (input: Parameters<typeof takeStep>[1], as: StepActor, day: string) => {
    const who = as === 'approver' ? APPROVER : as === 'applicant' ? applicant : OFFICE;
    app = takeStep(app, input, { who, as }, day, instant(day)).application;
  };
  const items = [pick(rnd, COMPLETION_ITEMS), ...(rnd() < 0.4 ? [pick(rnd, COMPLETION_ITEMS)] : [])];
  if (plan.status === 'AWAITING_COMPLETION') {
    step({ step: 'request-completion', items: [...new Set(items)] }, 'infocenter', plan.clockOn);
    return Application.parse(app);
  }
  if (plan.completionRequestedOn) {
    step({ step: 'request-completion', items: [...new Set(items)] }, 'infocenter', plan.completionRequestedOn);
    step({ step: 'complete', supplement: '已按要求补正：所需信息为上述项目的批复文件及补偿标准，附身份证复印件一份' }, rnd() < 0.6 ? 'applicant' : 'infocenter', plan.clockOn);
  }
  if (plan.extension)
    step({ step: 'extend', workingDays: plan.extension.workingDays, reason: '所需信息涉及多个部门，需协调汇总后答复，经审批延长答复期限' }, 'approver', plan.extension.on);
  if (plan.status === 'CONSULTING') step({ step: 'consult', thirdParty: `${pick(rnd, TRADE_NAMES)}建材有限公司（涉及其商业秘密）` }, 'infocenter', plan.consultOn!);
  if (plan.status === 'PROPOSED' || plan.status === 'DECIDED') step({ step: 'propose', answer: answer(rnd) }, 'infocenter', plan.proposeOn!);
  if (plan.status === 'DECIDED') step({ step: 'approve' }, 'approver', plan.decideOn!);
  return Application.parse(app);
}

/**
 * The plan of an application whose clock (re)started `k` working days before TODAY, received
 * on `receivedOn` (a completion restarted the clock when it is earlier), in `status`.
 */
function planOf(rnd: Rnd, status: Plan['status'], receivedOn: string, k: number, opts: { extension?: number; consultAge?: number } = {}): Plan {
  const clockOn = back(k);
  const received = receivedOn > clockOn ? clockOn : receivedOn;
  const completionRequestedOn = received < clockOn ? back(Math.max(k, age(received) - int(rnd, 0, 4))) : undefined;
  const between = (from: number) => back(int(rnd, 0, from));
  const extension = opts.extension ? { on: back(Math.max(0, k - 1)), workingDays: opts.extension } : undefined;
  const after = extension ? Math.max(0, k - 1) : k;
  const proposeOn = status === 'PROPOSED' || status === 'DECIDED' ? between(after) : undefined;
  return {
    status,
    receivedOn: received,
    clockOn,
    ...(completionRequestedOn ? { completionRequestedOn } : {}),
    ...(extension ? { extension } : {}),
    ...(status === 'CONSULTING' ? { consultOn: back(opts.consultAge ?? int(rnd, 0, Math.min(after, 9))) } : {}),
    ...(proposeOn ? { proposeOn } : {}),
    ...(status === 'DECIDED' ? { decideOn: back(int(rnd, 0, age(proposeOn!))) } : {}),
  };
}

/**
 * The 13 applications due in every size: 4 overdue, 9 due within 5 working days (what the
 * office must see). [status, working days since the clock started, extension, consultation's age].
 */
const DUE: readonly [Plan['status'], number, number?, number?][] = [
  ['RECEIVED', 24],
  ['PROPOSED', 22],
  ['DECIDED', 26],
  ['CONSULTING', 25, undefined, 18],
  ['RECEIVED', 15],
  ['RECEIVED', 17],
  ['RECEIVED', 20],
  ['CONSULTING', 12, undefined, 10],
  ['CONSULTING', 14, undefined, 12],
  ['PROPOSED', 16],
  ['PROPOSED', 19],
  ['DECIDED', 18],
  ['RECEIVED', 27, 10],
];
export const DUE_EXPECTED = { overdue: 4, dueSoon: 9 } as const;

function dueApplications(): Application[] {
  const rnd = prng(12);
  return DUE.map(([status, k, extension, consultAge], i) => {
    // Half of them received as their clock started, the others earlier, with a 补正.
    const receivedOn = i % 2 ? back(k) : addDays(back(k), -int(rnd, 20, 200));
    return build(planOf(rnd, status, receivedOn, k, { ...(extension ? { extension } : {}), ...(consultAge !== undefined ? { consultAge } : {}) }), rnd);
  });
}

/** `n` open applications on time (or with the clock stopped), received over the year before TODAY. */
function bulkApplications(n: number): Application[] {
  const rnd = prng(2026);
  const out: Application[] = [];
  for (let i = 0; i < n; i++) {
    const receivedOn = addDays(TODAY, -int(rnd, 0, 364));
    const r = rnd();
    const status: Plan['status'] = r < 0.32 ? 'RECEIVED' : r < 0.54 ? 'AWAITING_COMPLETION' : r < 0.68 ? 'CONSULTING' : r < 0.86 ? 'PROPOSED' : 'DECIDED';
    if (status === 'AWAITING_COMPLETION') {
      // The 补正 notice within 7 working days of receipt; the applicant has not completed (yet).
      const noticeAge = Math.max(0, age(receivedOn) - int(rnd, 0, 6));
      out.push(build({ status, receivedOn, clockOn: back(noticeAge) }, rnd));
      continue;
    }
    // On time: 20 working days from the clock's start end after TODAY + 5; with an extension
    // of e working days, 20 + e. A consultation's 15 days end after TODAY + 5 too.
    const extension = status !== 'DECIDED' && rnd() < 0.12 ? int(rnd, 15, 20) : undefined;
    const k = extension ? int(rnd, 15, 13 + extension) : int(rnd, 0, 14);
    out.push(build(planOf(rnd, status, receivedOn, k, extension ? { extension } : {}), rnd));
  }
  return out;
}

// ---------------------------------------------------------------- seeding

async function batchWrite(items: readonly Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25) as Record<string, unknown>[]);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let requests = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; requests.length; attempt++) {
          if (attempt > 20) throw new Error('BatchWrite left items unprocessed after 20 attempts');
          const res = await dynamo().send(new BatchWriteCommand({ RequestItems: { [env.tableName()]: requests } }));
          requests = (res.UnprocessedItems?.[env.tableName()] ?? []) as typeof requests;
          if (requests.length) await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
        }
      }
    }),
  );
}

const EXPECTED_URGENCY = (i: number): Urgency => (i < DUE_EXPECTED.overdue ? 'overdue' : 'due-soon');

/** Seeds `size` open applications (the 13 due ones among them); answers the seconds it took. */
async function seed(size: number): Promise<{ seconds: number; byStatus: Record<string, number>; inDeadlineIndex: number }> {
  const t0 = performance.now();
  const due = dueApplications();
  const bulk = bulkApplications(Math.max(0, size - due.length));
  due.forEach((a, i) => {
    if (urgency(a, TODAY) !== EXPECTED_URGENCY(i)) throw new Error(`due application ${i} (${a.status}) is ${urgency(a, TODAY)}, not ${EXPECTED_URGENCY(i)}`);
  });
  for (const a of bulk) {
    const u = urgency(a, TODAY);
    if (u !== 'on-time' && u !== 'none') throw new Error(`a bulk application (${a.status}, received ${a.receivedOn}) is ${u}: the generator is wrong`);
  }
  // Through the store: the due ones; the bulk as the same items, written in batches.
  for (const a of due) await createApplication(a);
  await batchWrite(bulk.flatMap((a) => [toItem(a), trackingItem(a)]));
  const all = [...due, ...bulk];
  const byStatus: Record<string, number> = {};
  for (const a of all) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
  return { seconds: round((performance.now() - t0) / 1000, 1), byStatus, inDeadlineIndex: all.filter((a) => watchDay(a)).length };
}

// ---------------------------------------------------------------- counting and measuring

interface Tally {
  requests: number;
  /** ScannedCount summed over the Query and Scan calls: the items DynamoDB read. */
  itemsRead: number;
  /** Count summed: the items handed back. */
  itemsReturned: number;
  /** ConsumedCapacity.CapacityUnits summed (read capacity units, as dynalite computes them). */
  capacity: number;
}

/** Counts every DynamoDB request of the process's client, and asks Query and Scan for their consumed capacity. */
function instrument(): { reset(): void; snapshot(): Tally } {
  const t: Tally = { requests: 0, itemsRead: 0, itemsReturned: 0, capacity: 0 };
  const client = dynamo();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const reads = context.commandName === 'QueryCommand' || context.commandName === 'ScanCommand';
      const out = await next(reads ? { ...args, input: { ...(args.input as object), ReturnConsumedCapacity: 'TOTAL' } } : args);
      if (reads) {
        const o = out.output as { ScannedCount?: number; Count?: number; ConsumedCapacity?: { CapacityUnits?: number } };
        t.itemsRead += o.ScannedCount ?? 0;
        t.itemsReturned += o.Count ?? 0;
        t.capacity += o.ConsumedCapacity?.CapacityUnits ?? 0;
      }
      return out;
    },
    { step: 'initialize', name: 'benchApplicationsReads' },
  );
  client.middlewareStack.add(
    (next) => async (args) => {
      t.requests++;
      return next(args);
    },
    // One count per HTTP request.
    { step: 'finalizeRequest', name: 'benchApplicationsRequests' },
  );
  return {
    reset() {
      t.requests = t.itemsRead = t.itemsReturned = t.capacity = 0;
    },
    snapshot: () => ({ ...t }),
  };
}

/**
 * CONTRAST ONLY, not product code: the deadline lists from a Scan of the whole table, filtered
 * to the body's open applications, each parsed as the store does and its urgency computed.
 */
async function scanDeadlines(body: string, today: string): Promise<{ overdue: number; dueSoon: number; uncovered: number }> {
  const apps: Application[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await dynamo().send(
      new ScanCommand({
        TableName: env.tableName(),
        FilterExpression: `begins_with(#pk, :app) AND #body = :body AND #status IN (${OPEN_STATUSES.map((_, i) => `:s${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#pk': 'pk', '#body': 'body', '#status': 'status' },
        ExpressionAttributeValues: { ':app': 'APP#', ':body': body, ...Object.fromEntries(OPEN_STATUSES.map((s, i) => [`:s${i}`, s])) },
        ExclusiveStartKey: startKey,
      }),
    );
    apps.push(...(res.Items ?? []).map((i) => Application.parse(i)));
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  const u = apps.map((a) => urgency(a, today));
  return { overdue: u.filter((x) => x === 'overdue').length, dueSoon: u.filter((x) => x === 'due-soon').length, uncovered: u.filter((x) => x === 'uncovered').length };
}

export interface OperationFigures extends Tally {
  readonly runs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
}
export interface ApplicationsBenchRow {
  /** Open applications of the body. */
  readonly size: number;
  /** "again": the first size measured once more at the end (the machine's drift). */
  readonly pass: 'first' | 'again';
  readonly seedSeconds: number;
  readonly byStatus: Record<string, number>;
  /** Open applications with a deadline in the byReviewDue index (those awaiting a 补正 have none). */
  readonly inDeadlineIndex: number;
  readonly answer: { readonly overdue: number; readonly dueSoon: number; readonly uncovered: number };
  readonly handler: OperationFigures;
  readonly deadlines: OperationFigures;
  /** Contrast (not product code): a Scan of the table. */
  readonly scan: OperationFigures;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
};

async function measureSize(size: number, pass: ApplicationsBenchRow['pass'], runs: number, scanRuns: number, progress: (m: string) => void): Promise<ApplicationsBenchRow> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-bench-applications-'));
  let stack: LocalStack | undefined;
  try {
    stack = await startLocalStack({ dataDir, schedules: false });
    const seeded = await seed(size);
    progress(`  ${size} open applications seeded in ${seeded.seconds} s (${seeded.inDeadlineIndex} in the deadline index)`);
    const counter = instrument();
    const body = siteConfig.bodyId;
    const event = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
    const samples = { handler: [] as number[], deadlines: [] as number[], scan: [] as number[] };
    const tallies: Partial<Record<keyof typeof samples, Tally>> = {};
    let answer: ApplicationsBenchRow['answer'] | undefined;
    const s = stack;
    const ops: Record<keyof typeof samples, () => Promise<void>> = {
      handler: async () => {
        const r = await s.invoke<{ overdue: number; dueSoon: number }>('watch-applications', event);
        if (r.overdue !== DUE_EXPECTED.overdue || r.dueSoon !== DUE_EXPECTED.dueSoon) throw new Error(`watch-applications counted ${r.overdue} overdue, ${r.dueSoon} due soon`);
      },
      deadlines: async () => {
        const d = await deadlines(body, TODAY);
        answer = { overdue: d.overdue.length, dueSoon: d.dueSoon.length, uncovered: d.uncovered.length };
      },
      scan: async () => {
        const d = await scanDeadlines(body, TODAY);
        if (d.overdue !== DUE_EXPECTED.overdue || d.dueSoon !== DUE_EXPECTED.dueSoon) throw new Error(`the scan found ${d.overdue} overdue, ${d.dueSoon} due soon`);
      },
    };
    const timed = async (op: keyof typeof samples) => {
      counter.reset();
      const t0 = performance.now();
      await ops[op]();
      samples[op].push(performance.now() - t0);
      const t = counter.snapshot();
      const prev = tallies[op];
      if (prev && !isDeepStrictEqual(prev, t)) progress(`  note: ${op} tallies differ between runs (${JSON.stringify(prev)} vs ${JSON.stringify(t)})`);
      tallies[op] = t;
    };
    // Warm-up (module loads, JIT, the emulator's caches), not counted.
    for (const op of ['handler', 'deadlines', 'scan'] as const) await ops[op]();
    samples.handler.length = samples.deadlines.length = samples.scan.length = 0;
    for (let r = 0; r < runs; r++) {
      await timed('handler');
      await timed('deadlines');
      if (r < scanRuns) await timed('scan');
    }
    const figures = (op: keyof typeof samples): OperationFigures => ({
      runs: samples[op].length,
      medianMs: round(quantile(samples[op], 0.5)),
      p95Ms: round(quantile(samples[op], 0.95)),
      ...tallies[op]!,
      capacity: round(tallies[op]!.capacity, 1),
    });
    if (!answer || answer.overdue !== DUE_EXPECTED.overdue || answer.dueSoon !== DUE_EXPECTED.dueSoon) throw new Error(`deadlines() answered ${JSON.stringify(answer)}`);
    return {
      size,
      pass,
      seedSeconds: seeded.seconds,
      byStatus: seeded.byStatus,
      inDeadlineIndex: seeded.inDeadlineIndex,
      answer,
      handler: figures('handler'),
      deadlines: figures('deadlines'),
      scan: figures('scan'),
    };
  } finally {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function benchApplicationDeadlines(progress: (m: string) => void = console.error): Promise<ApplicationsBenchRow[]> {
  const sizes = (process.env.BENCH_APP_SIZES ?? '100,10000')
    .split(',')
    .map((x) => Number(x.trim()))
    .filter((n) => Number.isInteger(n) && n >= DUE.length);
  const runs = Number(process.env.BENCH_APP_RUNS ?? 21);
  const scanRuns = Number(process.env.BENCH_APP_SCAN_RUNS ?? 5);
  const rows: ApplicationsBenchRow[] = [];
  setClock(() => NOW);
  try {
    for (const size of sizes) {
      progress(`application deadlines: ${size} open applications, today pinned to ${TODAY}`);
      rows.push(await measureSize(size, 'first', runs, scanRuns, progress));
    }
    if (sizes.length > 1 && process.env.BENCH_APP_RECHECK !== '0') {
      progress(`application deadlines: ${sizes[0]} open applications again (drift check)`);
      rows.push(await measureSize(sizes[0]!, 'again', runs, scanRuns, progress));
    }
  } finally {
    resetClock();
  }
  return rows;
}

export function applicationsMarkdown(rows: readonly ApplicationsBenchRow[]): string {
  const first = rows[0];
  const last = rows.filter((r) => r.pass === 'first').at(-1);
  const ratio = (a?: number, b?: number) => (a !== undefined && b ? `${(a / b).toFixed(2)}×` : '—');
  const label = (r: ApplicationsBenchRow) => `${r.size.toLocaleString('en-US')}${r.pass === 'again' ? ' (again)' : ''}`;
  const line = (name: string, f: (r: ApplicationsBenchRow) => OperationFigures) =>
    rows.map((r) => {
      const x = f(r);
      return `| ${name} | ${label(r)} | ${x.runs} | ${x.medianMs} | ${x.p95Ms} | ${ratio(x.medianMs, f(first!).medianMs)} | ${x.requests} | ${x.itemsRead} | ${x.itemsReturned} | ${x.capacity} |`;
    });
  const out = [
    `## Application deadlines (daily watch) at ${rows
      .filter((r) => r.pass === 'first')
      .map((r) => r.size.toLocaleString('en-US'))
      .join(' vs ')} open applications`,
    '',
    `Today pinned to ${TODAY}; in every size the same ${DUE_EXPECTED.overdue} overdue and ${DUE_EXPECTED.dueSoon} due within 5 working days, the rest on time or awaiting a 补正. Fresh local stack per size, operations interleaved run by run after a warm-up; ratio = median against the first row. Items read = ScannedCount; RCU = consumed capacity as dynalite reports it.`,
    '',
    '| operation | open applications | runs | median ms | p95 ms | ratio | DynamoDB requests | items read | items returned | RCU |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...line('watch-applications handler', (r) => r.handler),
    ...line('deadlines() (byReviewDue query)', (r) => r.deadlines),
    ...line('contrast, not product code: Scan', (r) => r.scan),
    '',
    '| open applications | seed s | in the deadline index | by status | answer (overdue / due soon / uncovered) |',
    '|---:|---:|---:|---|---|',
    ...rows.map(
      (r) =>
        `| ${label(r)} | ${r.seedSeconds} | ${r.inDeadlineIndex} | ${Object.entries(r.byStatus)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} | ${r.answer.overdue} / ${r.answer.dueSoon} / ${r.answer.uncovered} |`,
    ),
  ];
  if (first && last && last !== first)
    out.push(
      '',
      `Ratio ${last.size.toLocaleString('en-US')} : ${first.size.toLocaleString('en-US')} of the medians (goal ≤ 1.2): handler ${ratio(last.handler.medianMs, first.handler.medianMs)}, deadlines() ${ratio(last.deadlines.medianMs, first.deadlines.medianMs)}; contrast Scan ${ratio(last.scan.medianMs, first.scan.medianMs)}.`,
    );
  return `${out.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const load = () => round(os.loadavg()[0] ?? 0);
  const machine = {
    date: new Date().toISOString(),
    node: process.version,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    loadAverage: { start: load(), end: 0 },
  };
  const started = performance.now();
  const rows = await benchApplicationDeadlines();
  machine.loadAverage.end = load();
  const seconds = round((performance.now() - started) / 1000, 1);
  const out = path.resolve(process.env.BENCH_OUT ?? path.join(path.dirname(new URL(import.meta.url).pathname), 'results'));
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'applications.json'), `${JSON.stringify({ ...machine, today: TODAY, seconds, rows }, null, 2)}\n`);
  const md = `${applicationsMarkdown(rows)}\nMachine: ${machine.cores} × ${machine.cpuModel}, node ${machine.node}; 1-min load average ${machine.loadAverage.start} at start, ${machine.loadAverage.end} at end; ${machine.date}; whole run ${seconds} s.\n`;
  await writeFile(path.join(out, 'applications.md'), md);
  console.log(md);
  process.exit(0);
}
