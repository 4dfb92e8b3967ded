import {
  legalBasisOf,
  maskId,
  NOT_PROCESSED_REASONS,
  OTHER_REASONS,
  UNAVAILABLE_REASONS,
  WITHHOLD_GROUNDS,
  type Answer,
  type Application,
  type CHANNELS,
} from '#shared/domain/application';
import { html, trusted } from '#shared/render/html';
import { modelHtml, multiline, strong, text, type Block, type Inline, type PrintDocument, type RichText } from '#shared/render/pdf-model';

/**
 * The documents an applicant receives for an application for government information
 * (依申请公开): the 答复书 / 告知书 of a decision (《中华人民共和国政府信息公开条例》第三十六条)
 * and the 补正告知书 (第三十条). Each is a complete, printable HTML5 page: no script, nothing
 * loaded from elsewhere, every value from the application escaped by `html`.
 *
 * What a letter holds follows the notices on the format of answers: who applied and what for,
 * when the application counts as received, the decision with its reasons and the articles it
 * rests on, how the information is delivered, the remedies and their time limits, who answers
 * and how to reach them, the date and the reference.
 *
 * Each letter is first built as a `PrintDocument` (shared/render/pdf-model.ts: `answerModel`,
 * `completionModel`); the HTML page and the PDF (`renderPdf`, shared/render/pdf.ts) are both
 * rendered from that one model, so the printable page and the PDF say the same thing.
 */

export interface AnswerContext {
  /** The 公开主体 answering, e.g. 运城市盐湖区人民政府. */
  readonly bodyName: string;
  /** Its 政府信息公开工作机构 and how to reach it. */
  readonly bodyContact?: { readonly office?: string; readonly address?: string; readonly phone?: string };
  /** Documents given (for 予以公开 / 部分公开), by their draft id as listed in answer.documents. */
  readonly documents?: readonly { readonly id: string; readonly title: string; readonly number?: string }[];
  /** The people's government one level up / the body that hears 行政复议 (e.g. 运城市盐湖区人民政府), optional. */
  readonly reviewBody?: string;
  /** A reference number for the letter, e.g. 盐政公开〔2026〕第12号. */
  readonly reference: string;
  /**
   * For the 补正告知书: the period given to complete, in working days from receiving the notice
   * (Art. 30 asks for 合理的补正期限; the application does not record one).
   */
  readonly completionWorkingDays?: number;
}

const REGULATION = '《中华人民共和国政府信息公开条例》';
const REVIEW_LAW = '《中华人民共和国行政复议法》';
const LITIGATION_LAW = '《中华人民共和国行政诉讼法》';

/** The document's title by answer type: 答复书 when the request is answered on its merits, 告知书 otherwise. */
export function answerTitle(answer: Answer): string {
  switch (answer.type) {
    case '予以公开':
    case '部分公开':
    case '不予公开':
      return '政府信息公开申请答复书';
    case '无法提供':
    case '不予处理':
    case '其他处理':
      return '政府信息公开申请告知书';
  }
}

/** A date as official letters write it: 2026-10-26 → 2026年10月26日. */
export function zhDate(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : day;
}

/** How the application came in, as the sentence "您…提交的政府信息公开申请" says it. */
const CHANNEL_PHRASES: Record<(typeof CHANNELS)[number], string> = {
  互联网: '通过互联网',
  当面: '当面',
  信函: '以信函方式',
  传真: '以传真方式',
};

const STYLE = `
@page{size:A4;margin:25mm 22mm 22mm}
*{box-sizing:border-box}
html{font-size:100%}
body{margin:2rem auto;max-width:46rem;padding:0 1rem;font-family:"FangSong","STFangsong","仿宋","Noto Serif CJK SC","Source Han Serif SC","SimSun",serif;font-size:1.15rem;line-height:1.8;color:#000;background:#fff;overflow-wrap:anywhere}
h1{font-family:"SimHei","STHeiti","Noto Sans CJK SC","Source Han Sans SC",sans-serif;font-size:1.7rem;font-weight:bold;text-align:center;letter-spacing:.05em;margin:0 0 .3em;line-height:1.4}
p{margin:.25em 0;text-indent:2em}
p.ref{text-align:center;text-indent:0;margin-bottom:1.2em}
p.to{text-indent:0;margin-top:1em}
p.label{text-indent:0;font-weight:bold;margin-top:.8em}
ol,ul{margin:.3em 0 .3em 2em;padding-left:1.2em}
li{margin:.15em 0}
table{width:100%;border-collapse:collapse;margin:.6em 0;font-size:.95rem;line-height:1.6}
caption{text-align:left;font-weight:bold;padding:.2em 0}
th,td{border:1px solid #000;padding:.25em .45em;text-align:left;vertical-align:top}
th{font-weight:bold;background:#f2f2f2}
table.facts th{width:9em;white-space:nowrap}
td.n{width:3em;text-align:center}
.sign{margin-top:2.5em;text-align:right}
.sign p{text-indent:0;margin:0}
.contact{margin-top:2em;border-top:1px solid #000;padding-top:.5em;font-size:.95rem}
.contact p{text-indent:0}
@media print{
body{margin:0;max-width:none;padding:0;font-size:16pt;line-height:1.75}
h1{font-size:22pt}
table{font-size:12pt}
th{background:none}
thead{display:table-header-group}
tr,li,.sign,.contact{break-inside:avoid}
}
`;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

/** Text the office wrote, ended as a sentence (it may or may not end with its own full stop). */
const sentence = (s: string): string => (/[。！？；.!?;]$/.test(s.trimEnd()) ? s.trimEnd() : `${s.trimEnd()}。`);

/** A paragraph of running text. */
const para = (...parts: readonly (Inline | readonly Inline[] | string | false | undefined)[]): Block => ({
  kind: 'paragraph',
  text: parts.flatMap((p): Inline[] =>
    p === false || p === undefined || p === '' ? [] : typeof p === 'string' ? [text(p)] : Array.isArray(p) ? [...(p as Inline[])] : [p as Inline],
  ),
});

/** A letter's model as its complete, printable HTML5 page. */
export function renderAnswerPage(doc: PrintDocument): string {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${trusted(CSP)}">
<meta name="referrer" content="no-referrer">
<title>${doc.title}（${doc.reference}）</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<main>
<article>
<h1>${doc.title}</h1>
<p class="ref">${doc.reference}</p>
${modelHtml(doc.blocks)}</article>
</main>
</body>
</html>
`.value;
}

const isCitizen = (app: Application) => app.input.applicant.type === '公民';
/** How the letter addresses the applicant. */
const you = (app: Application) => (isCitizen(app) ? '您' : '贵单位');

type Row = readonly [string, RichText | string];

/** The facts of the application: who, when, what, how. */
function facts(app: Application, extra: readonly Row[] = []): Block {
  const a = app.input.applicant;
  const completedOn = app.completion?.completedOn;
  const rows: (Row | false | '' | undefined)[] = [
    ['申请编号', app.trackingCode],
    [isCitizen(app) ? '申请人姓名' : '申请人名称', a.name],
    !isCitizen(app) && ['申请人类型', `法人或其他组织${a.organisationKind ? `（${a.organisationKind}）` : ''}`],
    a.representative && ['法定代表人或负责人', a.representative],
    ['证件类型及号码', `${a.idType} ${maskId(a.idNumber)}`],
    ['收到申请日期', zhDate(app.receivedOn)],
    completedOn && ['收到补正申请日期', zhDate(app.clock.startOn)],
    ['申请获取的信息', multiline(app.input.request.description)],
    ['获取信息的方式', app.input.delivery],
    ['信息的载体形式', app.input.format],
    ...extra,
  ];
  return {
    kind: 'table',
    className: 'facts',
    caption: '申请基本情况',
    columns: [{ em: 9 }, { weight: 1 }],
    header: false,
    rowHeader: true,
    rows: rows.filter((r): r is Row => Boolean(r)).map(([k, v]) => [[text(k)], typeof v === 'string' ? [text(v)] : v]),
  };
}

/** The opening: to whom, when the application was received, what it asks. */
function opening(app: Application): Block[] {
  const completed = Boolean(app.completion?.completedOn);
  return [
    { kind: 'paragraph', variant: 'to', text: [text(`${app.input.applicant.name}：`)] },
    para(
      `本机关于${zhDate(app.receivedOn)}收到${you(app)}${CHANNEL_PHRASES[app.channel]}提交的政府信息公开申请（申请编号：${app.trackingCode}），`,
      completed && `并于${zhDate(app.clock.startOn)}收到补正后的申请，`,
      `申请获取“${app.input.request.description.replace(/\s+/g, ' ')}”的政府信息。${completed ? `本机关自${zhDate(app.clock.startOn)}起计算答复期限。` : ''}`,
    ),
  ];
}

type Withheld = Extract<Answer, { type: '不予公开' }>['withheld'];

function withheldTable(withheld: Withheld): Block {
  return {
    kind: 'table',
    className: 'withheld',
    caption: '不予公开的内容、理由及法律依据',
    columns: [
      { header: '序号', numeric: true, em: 3 },
      { header: '不予公开的内容', weight: 1.2 },
      { header: '不予公开的情形', weight: 1.2 },
      { header: '法律依据', weight: 1.3 },
      { header: '具体理由', weight: 1.3 },
    ],
    header: true,
    rows: withheld.map((w, i) => {
      const g = WITHHOLD_GROUNDS[w.ground];
      return [[text(String(i + 1))], multiline(w.what), [text(g.zh)], [text(g.article)], multiline(w.reason)];
    }),
  };
}

function documentsTable(ids: readonly string[], ctx: AnswerContext): Block[] {
  if (!ids.length) return [];
  const docs = ids.map((id) => {
    const d = ctx.documents?.find((x) => x.id === id);
    // A letter naming a document by an internal id would tell the applicant nothing.
    if (!d) throw new Error(`The answer lists document ${id}, but the context gives no title for it.`);
    return d;
  });
  return [
    {
      kind: 'table',
      className: 'documents',
      caption: '提供的政府信息',
      columns: [
        { header: '序号', numeric: true, em: 3 },
        { header: '文件名称', weight: 2 },
        { header: '文号', weight: 1 },
      ],
      header: true,
      rows: docs.map((d, i) => [[text(String(i + 1))], [text(d.title)], [text(d.number ?? '—')]]),
    },
  ];
}

/** The decision itself, by type. */
function decisionText(app: Application, answer: Answer, ctx: AnswerContext): Block[] {
  const y = you(app);
  switch (answer.type) {
    case '予以公开':
      return [
        para(`经审查，${y}申请获取的政府信息属于公开范围，本机关决定`, strong('予以公开'), `。现向${y}提供：`, multiline(sentence(answer.given))),
        ...documentsTable(answer.documents, ctx),
        ...(answer.publishedAt ? [para(`${y}申请获取的政府信息已经主动公开，可以通过以下途径获取：${sentence(answer.publishedAt)}`)] : []),
      ];
    case '部分公开':
      return [
        para(
          `经审查，${y}申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。本机关决定`,
          strong('部分公开'),
          `：对可以公开的部分予以公开，现向${y}提供：`,
          multiline(sentence(answer.given)),
        ),
        ...documentsTable(answer.documents, ctx),
        para('对不予公开的部分，其内容、理由及法律依据如下表。'),
        withheldTable(answer.withheld),
      ];
    case '不予公开':
      return [
        para(`经审查，${y}申请获取的政府信息属于依法不予公开的范围，本机关决定`, strong('不予公开'), '。不予公开的内容、理由及法律依据如下表。'),
        withheldTable(answer.withheld),
      ];
    case '无法提供': {
      const r = UNAVAILABLE_REASONS[answer.reason];
      return [
        para(`经审查，${r.zh}，本机关`, strong('无法提供'), `${y}申请获取的政府信息。`),
        para('具体说明：', multiline(sentence(answer.explanation))),
        ...(answer.reason === 'not-held' && answer.holder ? [para(`负责公开该政府信息的机关及其联系方式：${sentence(answer.holder)}${y}可以向该机关申请获取。`)] : []),
      ];
    }
    case '不予处理': {
      const r = NOT_PROCESSED_REASONS[answer.reason];
      return [
        para(`经审查，${y}的申请属于“${r.zh}”的情形，本机关对该申请`, strong('不予处理'), '（不作为政府信息公开申请处理）。'),
        para('具体说明：', multiline(sentence(answer.explanation))),
      ];
    }
    case '其他处理': {
      const r = OTHER_REASONS[answer.reason];
      return [para(`经审查，本机关对${y}的申请作如下处理：`, strong(r.zh), '。'), para('具体说明：', multiline(sentence(answer.explanation)))];
    }
  }
}

/** The articles the answer rests on, one by one. */
function legalBasis(answer: Answer): Block[] {
  const basis = legalBasisOf(answer);
  return [
    para(`本机关作出上述${answer.type === '予以公开' || answer.type === '部分公开' || answer.type === '不予公开' ? '答复' : '告知'}的法律依据：`),
    { kind: 'list', className: 'basis', items: basis.map((b) => [text(`${b.zh}：${b.article}`)]) },
  ];
}

/** How the information, or this letter, reaches the applicant (Art. 40). */
function deliveryText(app: Application, answer: Answer): Block {
  const { delivery, format } = app.input;
  const y = you(app);
  if (answer.type === '予以公开' || answer.type === '部分公开')
    return para(`根据${y}在申请中选择的方式，本机关以`, strong(format), '形式、通过', strong(delivery), `方式向${y}提供上述政府信息，并一并送达本答复书。`);
  return para(`本${answer.type === '不予公开' ? '答复书' : '告知书'}按${y}在申请中选择的获取方式（${delivery}；信息形式：${format}）送达。`);
}

/**
 * The remedies (Art. 51 of the regulation). Since the 2023 revision of the 行政复议法 (in force
 * 2024-01-01), its Art. 23(1)(四) makes 行政复议 come first when a body 不予公开: the applicant
 * cannot go to court directly against a refusal, only against the review decision (15 days,
 * 行政诉讼法 Art. 45). Telling an applicant they may sue within 6 months would mislead them.
 */
function remedies(app: Application, answer: Answer, ctx: AnswerContext): Block {
  const y = you(app);
  const doc = answerTitle(answer).slice(-3);
  const to = ctx.reviewBody ? `向${ctx.reviewBody}` : '';
  const review = `自收到本${doc}之日起60日内${to}申请行政复议`;
  const general = `可以依照${REVIEW_LAW}，${review}；也可以依照${LITIGATION_LAW}，自收到本${doc}之日起6个月内向人民法院提起行政诉讼`;
  const first = `应当依照${REVIEW_LAW}第二十三条第一款第（四）项的规定，先${review}；对行政复议决定不服的，可以依照${LITIGATION_LAW}，自收到行政复议决定书之日起15日内向人民法院提起行政诉讼`;
  switch (answer.type) {
    case '不予公开':
      return para(`${y}如对本答复不服，${first}。`);
    case '部分公开':
      return para(`${y}如对本答复中不予公开的部分不服，${first}。${y}如对本答复的其他内容不服，${general}。`);
    default:
      return para(`${y}如对本${doc}不服，${general}。`);
  }
}

const signature = (ctx: AnswerContext, on: string): Block => ({ kind: 'signature', lines: [ctx.bodyName, zhDate(on)] });

const hasContact = (ctx: AnswerContext) => Boolean(ctx.bodyContact?.office || ctx.bodyContact?.address || ctx.bodyContact?.phone);

function contact(ctx: AnswerContext): Block {
  const c = ctx.bodyContact ?? {};
  const lines = [`机关名称：${ctx.bodyName}`];
  if (c.office) lines.push(`承办机构：${c.office}`);
  if (c.address) lines.push(`通信地址：${c.address}`);
  if (c.phone) lines.push(`联系电话：${c.phone}`);
  return { kind: 'contact', lines };
}

/** The answer document of a decided application as the printable model both the HTML page and the PDF are rendered from. */
export function answerModel(app: Application, ctx: AnswerContext): PrintDocument {
  if (!app.decision) throw new Error(`Application ${app.id} has no decision yet: there is no answer to print. / 该申请尚未作出答复决定。`);
  const { answer, on } = app.decision;
  const title = answerTitle(answer);
  return {
    title,
    reference: ctx.reference,
    author: ctx.bodyName,
    date: on,
    blocks: [
      facts(app, [['答复结果', answer.type]]),
      ...opening(app),
      para(`现${title.endsWith('答复书') ? '答复' : '告知'}如下：`),
      ...decisionText(app, answer, ctx),
      ...legalBasis(answer),
      deliveryText(app, answer),
      remedies(app, answer, ctx),
      signature(ctx, on),
      contact(ctx),
    ],
  };
}

/** The answer document of a decided application, as a complete, valid, printable HTML5 page (lang zh-CN, <title>, a print stylesheet inline in <style>, no script, no external resource). */
export function answerDocument(app: Application, ctx: AnswerContext): string {
  return renderAnswerPage(answerModel(app, ctx));
}

export const COMPLETION_TITLE = '政府信息公开申请补正告知书';

/** A 补正告知书 (Art. 30) as the printable model: what to complete, that the clock restarts from the completed application, and (Art. 30) that without completion in a reasonable time the application is deemed withdrawn. */
export function completionModel(app: Application, ctx: AnswerContext): PrintDocument {
  const completion = app.completion;
  if (!completion) throw new Error(`Application ${app.id} was not asked to complete anything. / 该申请没有补正事项。`);
  const y = you(app);
  const within: Inline[] = ctx.completionWorkingDays
    ? [text(`请${y}自收到本告知书之日起`), strong(`${ctx.completionWorkingDays}个工作日内`)]
    : [text(`请${y}在收到本告知书后及时`)];
  return {
    title: COMPLETION_TITLE,
    reference: ctx.reference,
    author: ctx.bodyName,
    date: completion.requestedOn,
    blocks: [
      facts(app),
      { kind: 'paragraph', variant: 'to', text: [text(`${app.input.applicant.name}：`)] },
      para(
        `本机关于${zhDate(app.receivedOn)}收到${y}${CHANNEL_PHRASES[app.channel]}提交的政府信息公开申请（申请编号：${app.trackingCode}），申请获取“${app.input.request.description.replace(/\s+/g, ' ')}”的政府信息。经审查，${y}的申请内容需要补正。根据${REGULATION}第三十条的规定，现一次性告知${y}需要补正的事项如下：`,
      ),
      { kind: 'list', className: 'items', items: completion.items.map((item) => [text(item)]) },
      para(within, `通过原申请渠道${hasContact(ctx) ? '或按下列联系方式' : ''}向本机关提交补正后的申请。`),
      para('答复期限自本机关收到补正后的申请之日起重新计算。'),
      para(`${y}无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。`),
      para(`本告知书按${y}在申请中选择的获取方式（${app.input.delivery}）送达。`),
      signature(ctx, completion.requestedOn),
      contact(ctx),
    ],
  };
}

/** A 补正告知书 (Art. 30) for an application waiting for completion, as a complete, printable HTML5 page. */
export function completionNotice(app: Application, ctx: AnswerContext): string {
  return renderAnswerPage(completionModel(app, ctx));
}
