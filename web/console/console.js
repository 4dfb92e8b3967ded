// The approver console: plain ES module, no build step, no outside hosts. Tasks (list, claim,
// decide), documents (open one by id or public address, follow its status, withdraw it) and,
// in applications.js, the applications for government information (依申请公开).
// Every piece of text that comes from the API is inserted as a text node (textContent),
// never as HTML: titles, reasons and document text are written by users.

import { ApiError, callApi, loadConfig } from '../shared/api.js';
import { createApplications } from './applications.js';
import { createAnnualReports } from './annual-report.js';
import { createOversight } from './oversight.js';

const TOKEN_KEY = 'gongkai.console.token';

const KIND = {
  approve: { zh: '审批', en: 'approval' },
  file: { zh: '备案（信息中心）', en: 'filing' },
  review: { zh: '复核', en: 're-review' },
};

const SEVERITY = [
  ['block', '阻断', 'blocking'],
  ['warn', '警告', 'warning'],
  ['info', '提示', 'information'],
];

const FIELD_LABELS = [
  ['title', '标题'],
  ['draftingUnit', '起草单位'],
  ['documentNumber', '文号'],
  ['documentType', '文种'],
  ['documentDate', '成文日期'],
  ['isPolicy', '是否政策性文件'],
  ['attribute', '公开属性'],
  ['nonPublicReason', '不公开理由'],
  ['legalBasis', '法律依据'],
  ['interpretation', '政策解读'],
  ['domain', '试点领域'],
  ['contact', '联系人'],
];

const TEXT_LABELS = { document: '正文', interpretation: '政策解读' };

/** Decision buttons per task kind: outcome, Chinese label, whether a reason is required. */
const OUTCOMES = {
  approve: [
    ['approve', '批准', false],
    ['return', '退回修改', true],
    ['reject', '不予通过', true],
  ],
  file: [['acknowledge', '确认备案', false]],
  review: [
    ['keep', '维持', true],
    ['convert', '转为主动公开', true],
  ],
};

const $ = (id) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el;
};

/** Creates an element with text content (never HTML) and optional attributes / children. */
function el(tag, text, attrs = {}, children = []) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

const state = {
  apiUrl: '',
  token: sessionStorage.getItem(TOKEN_KEY) ?? '',
  claim: null, // { claimToken, leaseUntil, taskId, draft, texts, version }
  timer: 0,
  busy: false,
  doc: null, // the draft shown in the document view (GET /drafts/{id})
  docPoll: 0, // timeout id of the status poll while the document is in a transient status
  docPollUntil: 0,
  lastDecided: '', // the draft of the last decision, to follow it in the document view
  pendingReason: '', // the withdrawal reason awaiting confirmation
};

const api = (method, path, body) => callApi({ apiUrl: state.apiUrl, token: state.token }, method, path, body);

const STATUS_TEXT = {
  400: ['请求有误', 'Bad request'],
  401: ['未登录或令牌无效', 'Not signed in or invalid token'],
  403: ['无权执行此操作', 'Forbidden'],
  404: ['未找到', 'Not found'],
  409: ['冲突：任务或文件状态已变化', 'Conflict: the task or draft changed'],
};

function showStatus(text) {
  $('status').textContent = text;
}

function clearError() {
  const box = $('error');
  box.replaceChildren();
  box.hidden = true;
}

/** Shows an API (or network) error in Chinese with its English gloss, field issues listed. */
function showError(err) {
  const box = $('error');
  box.replaceChildren();
  if (err instanceof ApiError) {
    const [zh, en] = STATUS_TEXT[err.status] ?? ['请求失败', 'Request failed'];
    const e = err.body?.error ?? {};
    box.append(el('p', `${zh}（HTTP ${err.status}）`, {}, []));
    if (e.zh) box.append(el('p', e.zh, { class: 'zh' }));
    box.append(el('p', e.en ?? en, { lang: 'en', class: 'en' }));
    if (Array.isArray(e.issues) && e.issues.length) {
      const ul = el('ul', null, { class: 'issues' });
      for (const issue of e.issues) {
        const li = el('li');
        li.append(
          el('code', issue.field ?? ''),
          document.createTextNode('：'),
          el('span', issue.zh ?? '', { class: 'zh' }),
          document.createTextNode(' '),
          el('span', issue.en ?? '', { lang: 'en', class: 'en' }),
        );
        ul.append(li);
      }
      box.append(ul);
    }
    if (err.status === 401) signOut(false);
  } else {
    box.append(el('p', '无法连接服务器或发生意外错误。'), el('p', String(err?.message ?? err), { lang: 'en', class: 'en' }));
  }
  box.hidden = false;
  box.focus?.();
}

function show(section) {
  for (const id of ['sign-in', 'tasks', 'claim', 'result', 'document', 'applications', 'app-register', 'application', 'annual-reports', 'oversight']) $(id).hidden = id !== section;
  $('lookup').hidden = section !== 'tasks';
  $('whoami').hidden = section === 'sign-in';
  // The console's two parts: the tasks of drafts and the applications (依申请公开).
  $('nav').hidden = section === 'sign-in';
  const inApps = ['applications', 'app-register', 'application'].includes(section);
  const inReports = section === 'annual-reports';
  const inOversight = section === 'oversight';
  for (const [id, current] of [
    ['nav-tasks', !inApps && !inReports && !inOversight],
    ['nav-applications', inApps],
    ['nav-annual-reports', inReports],
    ['nav-oversight', inOversight],
  ]) {
    if (current) $(id).setAttribute('aria-current', 'page');
    else $(id).removeAttribute('aria-current');
  }
  if (section !== 'document') stopDocPoll();
}

const fmtTime = (iso) => {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString('zh-CN', { hour12: false });
};

function signOut(clearMessages = true) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = '';
  stopLease();
  state.claim = null;
  state.doc = null;
  applications.reset();
  annualReports.reset();
  oversight.reset();
  show('sign-in');
  if (clearMessages) clearError();
}

// ---------------------------------------------------------------- task list

async function loadTasks() {
  clearError();
  showStatus('正在加载任务列表…');
  try {
    const { tasks } = await api('GET', $('overdue-only').checked ? '/tasks?overdue=true' : '/tasks');
    renderTasks(tasks ?? []);
    showStatus(`共 ${tasks?.length ?? 0} 个任务。`);
  } catch (err) {
    showStatus('');
    showError(err);
  }
}

function renderTasks(tasks) {
  const rows = $('task-rows');
  rows.replaceChildren();
  for (const t of tasks) {
    const kind = KIND[t.kind ?? 'approve'] ?? { zh: String(t.kind), en: '' };
    const tr = el('tr', null, { 'data-draft-id': t.draftId });
    const title = el('td', t.title, { class: 'title' });
    if (t.ownSubmission) title.append(el('span', '（本人提交，不能审批）', { class: 'note' }));
    tr.append(
      title,
      el('td', t.draftingUnit),
      el('td', t.attribute ?? ''),
      el('td', kind.zh),
      el('td', fmtTime(t.waitingSince)),
      el('td', t.claimedBy ? `${t.claimedBy}${t.claimUntil ? `（至 ${fmtTime(t.claimUntil)}）` : ''}` : '—'),
      el('td', t.overdue ? '已超期' : '否', t.overdue ? { class: 'overdue' } : {}),
    );
    rows.append(tr);
  }
  $('task-table').hidden = tasks.length === 0;
  $('no-tasks').hidden = tasks.length !== 0;
}

// ---------------------------------------------------------------- claim

async function claimNext() {
  if (state.busy) return;
  state.busy = true;
  clearError();
  showStatus('正在领取任务…');
  try {
    const claim = await api('POST', '/tasks/claim', {});
    if (!claim.claimToken) {
      showStatus(`${claim.message?.zh ?? '目前没有可领取的任务。'} ${claim.message?.en ?? ''}`);
      await loadTasks();
      return;
    }
    state.claim = { ...claim, version: claim.draft.version };
    renderClaim();
    show('claim');
    showStatus('已领取任务。');
    $('claim-h').focus?.();
  } catch (err) {
    showStatus('');
    showError(err);
  } finally {
    state.busy = false;
  }
}

function renderClaim() {
  const { draft, texts } = state.claim;
  const kindKey = draft.task?.kind ?? 'approve';
  const kind = KIND[kindKey] ?? { zh: kindKey, en: kindKey };
  $('claim-title').textContent = draft.form?.title ?? '';
  $('claim-kind').textContent = `${kind.zh}任务`;
  $('claim-draft-id').textContent = draft.id;
  $('claim-status').textContent = draft.statusLabel ?? draft.status;

  renderDeclaration(draft.form ?? {});
  renderFindings(draft.findings ?? []);
  renderTexts(texts ?? {});
  loadPreview(draft.id);
  renderDecision(kindKey, draft.form?.attribute);
  startLease();
}

function describe(value) {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'object') {
    if ('mode' in value) {
      if (value.mode === 'attached') return `随附解读${value.format ? `（形式：${value.format}）` : ''}`;
      if (value.mode === 'not-needed') return `无需解读：${value.reason ?? ''}`;
    }
    if ('name' in value || 'phone' in value) return [value.name, value.phone].filter(Boolean).join('，');
    return JSON.stringify(value);
  }
  return String(value);
}

function renderDeclaration(form) {
  const rows = $('declaration-rows');
  rows.replaceChildren();
  const seen = new Set();
  const add = (label, key) => {
    seen.add(key);
    rows.append(el('tr', null, { 'data-field': key }, [el('th', label, { scope: 'row' }), el('td', describe(form[key]))]));
  };
  for (const [key, label] of FIELD_LABELS) add(label, key);
  for (const key of Object.keys(form)) if (!seen.has(key)) add(key, key);
}

function renderFindings(findings) {
  const box = $('findings');
  box.replaceChildren();
  if (findings.length === 0) {
    box.append(el('p', '没有检查结果。'));
    return;
  }
  for (const [sev, zh, en] of SEVERITY) {
    const group = findings.filter((f) => f.severity === sev);
    if (group.length === 0) continue;
    const section = el('section', null, { class: `sev sev-${sev}` });
    section.append(el('h4', `${zh}（${group.length}）`, {}, [el('span', ` ${en}`, { lang: 'en' })]));
    const list = el('ul', null, { class: 'findings' });
    for (const f of group) {
      const li = el('li', null, { 'data-rule': f.ruleId });
      li.append(el('p', null, {}, [el('strong', f.ruleId, { class: 'rule' }), document.createTextNode(' '), el('span', f.zh, { class: 'zh' })]));
      li.append(el('p', f.en, { lang: 'en', class: 'en' }));
      li.append(el('p', `依据：${f.source}`, { class: 'source' }));
      if (Array.isArray(f.evidence) && f.evidence.length) {
        const ev = el('ul', null, { class: 'evidence' });
        for (const e of f.evidence) {
          const where = e.in === 'document' ? '正文' : e.in === 'interpretation' ? '解读' : String(e.in ?? '');
          const pos = typeof e.start === 'number' ? ` @${e.start}${typeof e.end === 'number' ? `–${e.end}` : ''}` : '';
          ev.append(el('li', null, {}, [el('span', `${where}${pos}：`, { class: 'where' }), el('q', e.text ?? '')]));
        }
        li.append(ev);
        // The draft keeps the first places of a rule that matched many (the count is evidenceTotal).
        if (typeof f.evidenceTotal === 'number' && f.evidenceTotal > f.evidence.length) {
          li.append(
            el('p', `共 ${f.evidenceTotal} 处，仅列出前 ${f.evidence.length} 处`, { class: 'more' }, [
              el('span', ` (${f.evidenceTotal} places; the first ${f.evidence.length} listed)`, { lang: 'en' }),
            ]),
          );
        }
      }
      list.append(li);
    }
    section.append(list);
    box.append(section);
  }
}

function renderTexts(texts) {
  const box = $('texts');
  box.replaceChildren();
  const parts = Object.entries(texts).filter(([, t]) => typeof t === 'string');
  if (parts.length === 0) box.append(el('p', '没有提取到文本。'));
  for (const [part, text] of parts) {
    const fig = el('section', null, { class: 'text', 'data-part': part });
    fig.append(el('h4', TEXT_LABELS[part] ?? part));
    fig.append(el('pre', text, { tabindex: '0', role: 'region', 'aria-label': `${TEXT_LABELS[part] ?? part}全文` }));
    box.append(fig);
  }
}

const MASK_KINDS = {
  'resident-id': '身份证号码',
  'bank-card': '银行卡号',
  mobile: '手机号码',
  landline: '固定电话',
  email: '电子邮箱',
  plate: '车牌号',
  name: '姓名',
  address: '住址',
  manual: '人工遮盖',
};
const NEVER_UNMASK = ['resident-id', 'bank-card'];

/** GET /drafts/{id}/preview: the text as it will be published, masked spans marked (PUB-4). */
async function loadPreview(id) {
  const box = $('preview');
  box.replaceChildren(el('p', '正在生成预览…'));
  try {
    renderPreview(id, await api('GET', `/drafts/${encodeURIComponent(id)}/preview`));
  } catch (err) {
    box.replaceChildren();
    showError(err);
  }
}

function renderPreview(id, preview) {
  const box = $('preview');
  box.replaceChildren();
  for (const [part, p] of Object.entries(preview.parts ?? {})) {
    const fig = el('section', null, { class: 'text preview', 'data-part': part });
    fig.append(el('h4', `${TEXT_LABELS[part] ?? part}（公开文本）`));
    const pre = el('pre', null, { tabindex: '0', role: 'region', 'aria-label': `${TEXT_LABELS[part] ?? part}公开文本` });
    let at = 0;
    for (const s of p.spans) {
      pre.append(document.createTextNode(p.text.slice(at, s.start)));
      const kind = MASK_KINDS[s.kind] ?? s.kind;
      pre.append(
        el('mark', p.text.slice(s.start, s.end), {
          class: `masked ${s.state}`,
          'data-span-id': s.id,
          'data-kind': s.kind,
          title: `${kind}${s.state === 'unmasked' ? '（已取消遮盖）' : '（已遮盖）'}`,
        }),
      );
      at = s.end;
    }
    pre.append(document.createTextNode(p.text.slice(at)));
    fig.append(pre);
    if (p.ocr?.pages?.length) fig.append(renderOcrPages(part, p.ocr));
    if (p.spans.length === 0) fig.append(el('p', '没有需要遮盖的个人信息。'));
    else {
      const list = el('ol', null, { class: 'mask-list' });
      for (const s of p.spans) {
        const kind = MASK_KINDS[s.kind] ?? s.kind;
        const li = el('li', null, { 'data-span-id': s.id });
        li.append(el('span', `${kind}：${s.masked}`));
        if (s.original !== undefined) li.append(el('span', ` 原文：${s.original}`, { class: 'original' }));
        if (s.decision) li.append(el('span', ` 〔${s.decision === 'confirm' ? '已确认' : s.decision === 'unmask' ? '已取消遮盖' : '人工增加'}〕`));
        const confirm = el('button', '确认遮盖', { type: 'button', class: 'mask-confirm' });
        confirm.addEventListener('click', () => decideMask(id, { part, spanId: s.id, action: 'confirm' }));
        li.append(' ', confirm);
        if (!NEVER_UNMASK.includes(s.kind) && s.state === 'masked') {
          const reason = el('input', null, { type: 'text', class: 'mask-reason', 'aria-label': `取消遮盖${kind}的理由`, placeholder: '取消遮盖的理由' });
          const unmask = el('button', '取消遮盖', { type: 'button', class: 'mask-unmask' });
          unmask.addEventListener('click', () => decideMask(id, { part, spanId: s.id, action: 'unmask', reason: reason.value }));
          li.append(' ', reason, ' ', unmask);
        }
        list.append(li);
      }
      fig.append(list);
    }
    box.append(fig);
  }
}

/**
 * The pages read by OCR (issue 14), each beside its image as it was read, with the engine's
 * confidence; pages to check (low confidence, no text found) are marked. The image comes by a
 * short-lived link from the preview and is shown as a data: URL (the console's CSP allows no
 * other image origin).
 */
function renderOcrPages(part, ocr) {
  const section = el('section', null, { class: 'ocr-pages', 'data-part': part });
  const label = TEXT_LABELS[part] ?? part;
  section.append(
    el('h5', `${label}：以下各页的文字由文字识别（OCR${ocr.engine ? `，${ocr.engine}` : ''}）读取，请对照扫描图像核对`, {}, [
      el('span', ' Read by OCR: check each page against its image', { lang: 'en' }),
    ]),
  );
  for (const page of ocr.pages) {
    const fig = el('figure', null, { class: `ocr-page${page.check ? ' check' : ''}`, 'data-page': String(page.page) });
    const caption = `第 ${page.page} 页 · 识别置信度 ${page.confidence.toFixed(2)}${page.check ? (page.chars === 0 ? '（未识别出文字，请核对）' : '（置信度低，请核对）') : ''}`;
    fig.append(el('figcaption', caption));
    const img = el('img', null, { alt: `${label}第 ${page.page} 页扫描图像`, width: '500' });
    if (page.image) loadPageImage(img, page.image);
    const text = el('pre', page.text || '（未识别出文字）', { tabindex: '0', role: 'region', 'aria-label': `${label}第 ${page.page} 页识别文字` });
    fig.append(el('div', null, { class: 'ocr-side' }, [img, text]));
    section.append(fig);
  }
  return section;
}

/** Fetches a page image by its link and shows it as a data: URL. */
async function loadPageImage(img, url) {
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const blob = await res.blob();
    img.src = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
  } catch {
    img.replaceWith(el('p', '扫描图像暂时无法显示（链接已过期或不可用），请刷新预览。', { class: 'note' }));
  }
}

/** POST /drafts/{id}/masks, then the preview again. */
async function decideMask(id, body) {
  clearError();
  try {
    await api('POST', `/drafts/${encodeURIComponent(id)}/masks`, body);
    showStatus('已记录遮盖决定。');
    await loadPreview(id);
  } catch (err) {
    showError(err);
  }
}

function renderDecision(kind, attribute) {
  const buttons = $('decision-buttons');
  buttons.replaceChildren();
  $('reason').value = '';
  $('publish-at').value = '';
  $('publish-at-field').hidden = !(kind === 'approve' && attribute === '主动公开');
  const outcomes = OUTCOMES[kind] ?? [];
  const needs = outcomes.filter(([, , required]) => required).map(([, label]) => label);
  $('reason-note').textContent = needs.length ? `（${needs.join('、')}时必填）` : '（可选）';
  $('reason-help').textContent = needs.length ? `${needs.join('、')}必须写明理由；批准时可写审批意见。` : '可填写备注。';
  for (const [outcome, label] of outcomes) {
    const b = el('button', label, { type: 'button', 'data-outcome': outcome, class: `outcome outcome-${outcome}` });
    b.addEventListener('click', () => decide(outcome, label));
    buttons.append(b);
  }
}

async function decide(outcome, label) {
  if (!state.claim || state.busy) return;
  state.busy = true;
  clearError();
  showStatus(`正在提交决定：${label}…`);
  const reason = $('reason').value.trim();
  const publishAtLocal = $('publish-at').value;
  const body = { claimToken: state.claim.claimToken, version: state.claim.version, outcome };
  if (reason) body.reason = reason;
  if (outcome === 'approve' && publishAtLocal) {
    const d = new Date(publishAtLocal);
    if (!Number.isNaN(d.getTime())) body.publishAt = d.toISOString();
  }
  try {
    const draft = await api('POST', `/tasks/${encodeURIComponent(state.claim.draft.id)}/decision`, body);
    stopLease();
    state.lastDecided = draft.id ?? state.claim.draft.id;
    state.claim = null;
    $('result-text').textContent = `「${draft.form?.title ?? ''}」：${label}。当前状态：${draft.statusLabel ?? draft.status}。`;
    show('result');
    showStatus('决定已提交。');
  } catch (err) {
    showStatus('');
    showError(err);
  } finally {
    state.busy = false;
  }
}

// ---------------------------------------------------------------- lease

function stopLease() {
  if (state.timer) clearInterval(state.timer);
  state.timer = 0;
}

function tickLease() {
  if (!state.claim) return;
  const left = Math.max(0, Math.floor((Date.parse(state.claim.leaseUntil) - Date.now()) / 1000));
  const m = Math.floor(left / 60);
  const s = String(left % 60).padStart(2, '0');
  $('lease-left').textContent = left > 0 ? `${m} 分 ${s} 秒` : '已过期，请重新领取';
  $('lease-until').textContent = fmtTime(state.claim.leaseUntil);
}

function startLease() {
  stopLease();
  tickLease();
  state.timer = setInterval(tickLease, 1000);
}

async function extendLease() {
  if (!state.claim || state.busy) return;
  state.busy = true;
  clearError();
  try {
    const r = await api('POST', `/tasks/${encodeURIComponent(state.claim.draft.id)}/lease`, { claimToken: state.claim.claimToken });
    state.claim.leaseUntil = r.leaseUntil;
    if (typeof r.version === 'number') state.claim.version = r.version;
    tickLease();
    showStatus(`租约已延长至 ${fmtTime(r.leaseUntil)}。`);
  } catch (err) {
    showError(err);
  } finally {
    state.busy = false;
  }
}

// ---------------------------------------------------------------- documents: open one, withdraw it

/** Statuses the pipeline moves on by itself: the document view polls while the draft is in one. */
const TRANSIENT = ['PUBLISHING', 'LISTING', 'WITHDRAWING'];
const POLL_MS = 1500;
const POLL_LIMIT_MS = 10 * 60_000;
/** The API's bounds of a withdrawal reason (WithdrawalRequest); the API's own messages are shown. */
const REASON_MIN = 5;
const REASON_MAX = 500;

const WITHDRAW_NOTES = {
  PUBLISHED: '撤回后，该文件（及其解读）在公开网站上的页面将替换为撤回公告并显示撤回理由，文件从各栏目、目录和检索中移除。',
  PUBLISHING: '文件正在发布，发布完成后可以撤回。',
  WITHDRAWING: '正在撤回：公开页面正在替换为撤回公告，完成后状态变为“已撤回”。',
  WITHDRAWN: '该文件已从公开网站撤回，原网址现显示撤回公告。',
};

/** A draft id (ULID), or the id in a public address …/documents/<id>.html or …/interpretations/<id>.html. */
function parseLookup(query) {
  const text = query.trim();
  if (/^[0-9A-Z]{26}$/i.test(text)) return text.toUpperCase();
  const m = /(?:^|\/)(?:documents|interpretations)\/([0-9A-Z]{26})\.html(?:[?#]|$)/i.exec(text);
  return m ? m[1].toUpperCase() : undefined;
}

/** Bilingual lines of an API error: its field issues, or its message. */
function errorLines(err) {
  const e = err.body?.error ?? {};
  if (Array.isArray(e.issues) && e.issues.length) return e.issues.map((i) => [i.zh ?? '', i.en ?? '']);
  const [zh, en] = STATUS_TEXT[err.status] ?? ['请求失败', 'Request failed'];
  return [[e.zh ?? zh, e.en ?? en]];
}

/** Shows [zh, en] lines in the error paragraph beside an input, tied to it by aria-describedby. */
function setFieldError(input, box, lines) {
  box.replaceChildren();
  for (const [zh, en] of lines) {
    const line = el('span', null, { class: 'error-line' }, [el('span', zh, { class: 'zh' })]);
    if (en && en !== zh) line.append(document.createTextNode(' '), el('span', en, { lang: 'en', class: 'en' }));
    box.append(line);
  }
  box.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  const ids = new Set((input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  ids.add(box.id);
  input.setAttribute('aria-describedby', [...ids].join(' '));
}

function clearFieldError(input, box) {
  box.replaceChildren();
  box.hidden = true;
  input.removeAttribute('aria-invalid');
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((i) => i && i !== box.id);
  if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
  else input.removeAttribute('aria-describedby');
}

/** The public address as a link, only for http(s) addresses; anything else is shown as text. */
function publicLink(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return el('span', url);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return el('span', url);
  return el('a', url, { href: u.href, target: '_blank', rel: 'noopener noreferrer' });
}

function renderDoc() {
  const d = state.doc;
  if (!d) return;
  const label = d.statusLabel ?? d.status;
  $('doc-title').textContent = d.form?.title ?? '';
  $('doc-id').textContent = d.id;
  $('doc-status').textContent = label;
  $('doc-status').dataset.status = d.status;

  const rows = $('doc-rows');
  rows.replaceChildren();
  const add = (key, name, value) => {
    const td = value instanceof Node ? el('td', null, {}, [value]) : el('td', describe(value));
    rows.append(el('tr', null, { 'data-field': key }, [el('th', name, { scope: 'row' }), td]));
  };
  add('draftingUnit', '起草单位', d.form?.draftingUnit);
  add('documentNumber', '文号', d.form?.documentNumber);
  add('attribute', '公开属性', d.form?.attribute);
  add('status', '状态', label);
  const pub = d.publication;
  if (pub) {
    add('url', d.status === 'WITHDRAWN' ? '公开网址（现为撤回公告）' : '公开网址', pub.url ? publicLink(pub.url) : undefined);
    add('indexNumber', '索引号', pub.indexNumber);
    add('publishedAt', '发布时间', fmtTime(pub.publishedAt));
  } else {
    add('url', '公开网址', '尚未在公开网站发布');
  }
  const c = d.validityChange;
  if (c) {
    add(
      'validityChange',
      c.kind === 'amended' ? '修订' : '废止',
      `自 ${c.date} 起${c.kind === 'amended' ? '修订' : '废止'}${c.replacedBy ? `，替代文件：${c.replacedBy.title}` : ''}${c.reason ? `；理由：${c.reason}` : ''}（${c.by?.name ?? ''}）`,
    );
  }
  if (d.replaces?.length) add('replaces', '本文件替代', d.replaces.map((r) => r.title).join('；'));
  const w = d.withdrawal;
  if (w) {
    add('withdrawalReason', '撤回理由', w.reason);
    add('withdrawnAt', '撤回时间', fmtTime(w.at));
    add('withdrawnBy', '撤回人', w.by?.name);
  }

  $('withdraw-note').textContent = WITHDRAW_NOTES[d.status] ?? `只有已公开发布的文件可以撤回（当前状态：${label}）。`;
  const open = d.status === 'PUBLISHED';
  $('withdraw-form').hidden = !open;
  if (!open) hideConfirm();
  renderValidity(d);
}

// ---------------------------------------------------------------- 废止 / 修订 of a normative document

const VALIDITY_FIELDS = { date: 'validity-date', replacedBy: 'validity-replaced-by', reason: 'validity-reason' };

function clearValidityErrors() {
  for (const id of Object.values(VALIDITY_FIELDS)) clearFieldError($(id), $(`${id}-error`));
  $('validity-error').replaceChildren();
  $('validity-error').hidden = true;
}

function renderValidity(d) {
  const normative = d.form?.documentType === '行政规范性文件';
  $('validity').hidden = !normative;
  if (!normative) return;
  const c = d.validityChange;
  const open = d.status === 'PUBLISHED' && !c;
  $('validity-note').textContent = c
    ? `该文件已登记为自 ${c.date} 起${c.kind === 'amended' ? '修订' : '废止'}；公开页面、行政规范性文件栏目和目录随之更新。`
    : d.status === 'PUBLISHED'
      ? '行政规范性文件被修订或废止后，登记在此：该文件的公开页面显示修订或废止公告并链接替代文件，栏目将其列入“已废止、已修订”。'
      : '只有已公开发布的行政规范性文件可以登记废止或修订。';
  $('validity-form').hidden = !open;
}

async function changeValidity() {
  if (!state.doc || state.busy) return;
  clearError();
  clearValidityErrors();
  const action = $('validity-repeal').checked ? 'repeal' : 'amend';
  const replacing = $('validity-replaced-by').value.trim();
  const body = { action, date: $('validity-date').value };
  if (replacing) body.replacedBy = parseLookup(replacing) ?? replacing;
  const reason = $('validity-reason').value.trim();
  if (reason) body.reason = reason;
  state.busy = true;
  showStatus('正在登记…');
  try {
    const d = await api('POST', `/documents/${encodeURIComponent(state.doc.id)}/validity`, body);
    state.doc = d;
    renderDoc();
    showStatus(`已登记${action === 'amend' ? '修订' : '废止'}：公开页面和栏目即将更新。`);
    $('validity-note').focus?.();
  } catch (err) {
    showStatus('');
    if (err instanceof ApiError && (err.status === 400 || err.status === 409)) {
      const issues = err.body?.error?.issues ?? [];
      let shown = false;
      for (const i of issues) {
        const id = VALIDITY_FIELDS[i.field];
        if (id) {
          setFieldError($(id), $(`${id}-error`), [[i.zh ?? '', i.en ?? '']]);
          shown = true;
        }
      }
      if (!shown) {
        const box = $('validity-error');
        box.replaceChildren(
          ...errorLines(err).map(([zh, en]) =>
            el('span', null, { class: 'error-line' }, [el('span', zh, { class: 'zh' }), document.createTextNode(' '), el('span', en, { lang: 'en', class: 'en' })]),
          ),
        );
        box.hidden = false;
      }
      $(Object.values(VALIDITY_FIELDS).find((id) => $(id).getAttribute('aria-invalid')) ?? 'validity-date').focus();
    } else showError(err);
  } finally {
    state.busy = false;
  }
}

function hideConfirm() {
  $('withdraw-confirm').hidden = true;
  $('withdraw-start').hidden = false;
  state.pendingReason = '';
}

function resetWithdrawForm() {
  hideConfirm();
  $('withdraw-reason').value = '';
  $('withdraw-count').textContent = '0';
  clearFieldError($('withdraw-reason'), $('withdraw-error'));
}

function stopDocPoll() {
  if (state.docPoll) clearTimeout(state.docPoll);
  state.docPoll = 0;
}

/** While the document is publishing or being withdrawn, reads it again every POLL_MS. */
function followDoc() {
  stopDocPoll();
  const d = state.doc;
  if (!d || !TRANSIENT.includes(d.status) || $('document').hidden) return;
  if (!state.docPollUntil) state.docPollUntil = Date.now() + POLL_LIMIT_MS;
  if (Date.now() > state.docPollUntil) {
    showStatus('状态暂未更新，请稍后点击“刷新状态”。');
    return;
  }
  state.docPoll = setTimeout(async () => {
    state.docPoll = 0;
    try {
      const next = await api('GET', `/drafts/${encodeURIComponent(d.id)}`);
      if (state.doc?.id !== d.id || $('document').hidden) return;
      const before = state.doc.status;
      state.doc = next;
      renderDoc();
      if (next.status !== before) showStatus(`文件状态：${next.statusLabel ?? next.status}。`);
    } catch (err) {
      // A refused request will not get better by asking again; a network hiccup may.
      if (err instanceof ApiError) {
        showError(err);
        return;
      }
    }
    followDoc();
  }, POLL_MS);
}

/** Opens the document view of a draft; throws the API's error. */
async function openDoc(id) {
  const d = await api('GET', `/drafts/${encodeURIComponent(id)}`);
  state.doc = d;
  state.docPollUntil = 0;
  resetWithdrawForm();
  renderDoc();
  show('document');
  showStatus(`文件状态：${d.statusLabel ?? d.status}。`);
  $('doc-h').focus?.();
  followDoc();
}

async function lookup() {
  if (state.busy) return;
  const input = $('lookup-q');
  const box = $('lookup-error');
  clearError();
  clearFieldError(input, box);
  const id = parseLookup(input.value);
  if (!id) {
    setFieldError(input, box, [
      ['请输入 26 位文件编号，或文件的公开网址（…/documents/<文件编号>.html）。', 'Enter a 26-character document id or the public address of the document.'],
    ]);
    input.focus();
    return;
  }
  state.busy = true;
  showStatus('正在读取文件…');
  try {
    await openDoc(id);
    input.value = '';
  } catch (err) {
    showStatus('');
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) {
      setFieldError(input, box, errorLines(err));
      input.focus();
    } else showError(err);
  } finally {
    state.busy = false;
  }
}

async function openDecided() {
  if (state.busy || !state.lastDecided) return;
  state.busy = true;
  clearError();
  showStatus('正在读取文件…');
  try {
    await openDoc(state.lastDecided);
  } catch (err) {
    showStatus('');
    showError(err);
  } finally {
    state.busy = false;
  }
}

async function refreshDoc() {
  if (state.busy || !state.doc) return;
  state.busy = true;
  clearError();
  try {
    state.doc = await api('GET', `/drafts/${encodeURIComponent(state.doc.id)}`);
    state.docPollUntil = 0;
    renderDoc();
    showStatus(`文件状态：${state.doc.statusLabel ?? state.doc.status}。`);
    followDoc();
  } catch (err) {
    showError(err);
  } finally {
    state.busy = false;
  }
}

/**
 * 撤回: a reason within the API's bounds is confirmed first (the withdrawal cannot be undone);
 * one outside them goes to the API straight away, which changes nothing and answers why, in
 * its own words, shown beside the field.
 */
function startWithdrawal() {
  if (!state.doc || state.busy) return;
  clearError();
  const input = $('withdraw-reason');
  clearFieldError(input, $('withdraw-error'));
  const reason = input.value.trim();
  if (reason.length < REASON_MIN || reason.length > REASON_MAX) {
    void withdraw(input.value);
    return;
  }
  const d = state.doc;
  state.pendingReason = reason;
  $('withdraw-confirm-text').textContent =
    `撤回「${d.form?.title ?? d.id}」后，公开网站上该文件${d.publication?.url ? `（${d.publication.url}）` : ''}的页面将替换为撤回公告，并从各栏目和检索中移除。撤回不能撤销。`;
  $('withdraw-confirm-reason').textContent = reason;
  $('withdraw-start').hidden = true;
  $('withdraw-confirm').hidden = false;
  $('withdraw-yes').focus();
}

async function withdraw(reason) {
  if (!state.doc || state.busy) return;
  state.busy = true;
  const input = $('withdraw-reason');
  hideConfirm();
  clearError();
  showStatus('正在提交撤回…');
  try {
    const d = await api('POST', `/documents/${encodeURIComponent(state.doc.id)}/withdrawal`, { reason });
    state.doc = d;
    state.docPollUntil = 0;
    resetWithdrawForm();
    renderDoc();
    showStatus(`已提交撤回。文件状态：${d.statusLabel ?? d.status}。`);
    $('withdraw-note').focus?.();
    followDoc();
  } catch (err) {
    showStatus('');
    if (err instanceof ApiError && (err.status === 400 || err.status === 409)) {
      setFieldError(input, $('withdraw-error'), errorLines(err));
      input.focus();
    } else showError(err);
  } finally {
    state.busy = false;
  }
}

// ---------------------------------------------------------------- applications (依申请公开: applications.js)

const applications = createApplications({ api, token: () => state.token, show, showStatus, showError, clearError, el, $ });
// ---------------------------------------------------------------- annual reports (年度报告: annual-report.js)
const annualReports = createAnnualReports({ api, show, showStatus, showError, clearError, el, $ });
// ---------------------------------------------------------------- 监督考核 (oversight.js)
const oversight = createOversight({ api, show, showStatus, showError, clearError, el, $ });

/** The part of the console the address names: #applications… the applications, anything else the tasks. */
function route() {
  if (!state.token) return;
  if (location.hash.startsWith('#applications')) {
    stopLease();
    state.claim = null;
    void applications.route(location.hash);
    return;
  }
  if (location.hash.startsWith('#annual-reports')) {
    stopLease();
    state.claim = null;
    void annualReports.route(location.hash);
    return;
  }
  if (location.hash.startsWith('#oversight')) {
    stopLease();
    state.claim = null;
    void oversight.route(location.hash);
    return;
  }
  show('tasks');
  void loadTasks();
}

// ---------------------------------------------------------------- start

async function start() {
  try {
    state.apiUrl = (await loadConfig()).apiUrl;
  } catch (err) {
    showError(new Error(`无法读取配置（../config.json）：${err?.message ?? err}`));
    return;
  }

  $('sign-in-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token').value.trim();
    if (!token) return;
    state.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token').value = '';
    route();
  });
  for (const [id, hash] of [
    ['nav-tasks', '#tasks'],
    ['nav-applications', '#applications'],
    ['nav-annual-reports', '#annual-reports'],
    ['nav-oversight', '#oversight'],
  ]) {
    $(id).addEventListener('click', (e) => {
      e.preventDefault();
      clearError();
      if (location.hash !== hash) location.hash = hash;
      else route();
    });
  }
  window.addEventListener('hashchange', () => route());
  $('sign-out').addEventListener('click', () => signOut());
  $('refresh').addEventListener('click', () => void loadTasks());
  $('overdue-only').addEventListener('change', () => void loadTasks());
  $('claim-next').addEventListener('click', () => void claimNext());
  $('extend').addEventListener('click', () => void extendLease());
  const back = () => {
    stopLease();
    state.claim = null;
    state.doc = null;
    clearError();
    show('tasks');
    void loadTasks();
  };
  $('back').addEventListener('click', back);
  $('result-back').addEventListener('click', back);
  $('doc-back').addEventListener('click', back);
  $('result-open').addEventListener('click', () => void openDecided());
  $('doc-refresh').addEventListener('click', () => void refreshDoc());
  $('lookup-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void lookup();
  });
  $('withdraw-form').addEventListener('submit', (e) => {
    e.preventDefault();
    startWithdrawal();
  });
  $('validity-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void changeValidity();
  });
  $('withdraw-yes').addEventListener('click', () => {
    if (state.pendingReason) void withdraw(state.pendingReason);
  });
  $('withdraw-cancel').addEventListener('click', () => {
    hideConfirm();
    $('withdraw-reason').focus();
  });
  $('withdraw-reason').addEventListener('input', () => {
    $('withdraw-count').textContent = String($('withdraw-reason').value.trim().length);
    // The confirmation names the reason it was asked for: editing it asks again.
    if (!$('withdraw-confirm').hidden) hideConfirm();
  });

  if (state.token) {
    if (location.hash.startsWith('#applications')) await applications.route(location.hash);
    else if (location.hash.startsWith('#annual-reports')) await annualReports.route(location.hash);
    else if (location.hash.startsWith('#oversight')) await oversight.route(location.hash);
    else {
      show('tasks');
      await loadTasks();
    }
  } else show('sign-in');
  document.body.dataset.ready = 'true';
}

void start();
