// The approver console: plain ES module, no build step, no outside hosts.
// Every piece of text that comes from the API is inserted as a text node (textContent),
// never as HTML: titles, reasons and document text are written by users.

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
};

class ApiError extends Error {
  constructor(status, body) {
    super(`${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(method, path, body) {
  const res = await fetch(`${state.apiUrl.replace(/\/+$/, '')}${path}`, {
    method,
    headers: { authorization: `Bearer ${state.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { error: { zh: '服务器返回了无法解析的内容。', en: 'The server answered with something that is not JSON.' } };
  }
  if (!res.ok) throw new ApiError(res.status, parsed);
  return parsed;
}

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
        li.append(el('code', issue.field ?? ''), document.createTextNode('：'), el('span', issue.zh ?? '', { class: 'zh' }), document.createTextNode(' '), el('span', issue.en ?? '', { lang: 'en', class: 'en' }));
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
  for (const id of ['sign-in', 'tasks', 'claim', 'result']) $(id).hidden = id !== section;
  $('whoami').hidden = section === 'sign-in';
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
    fig.append(el('pre', text, { tabindex: '0', 'aria-label': `${TEXT_LABELS[part] ?? part}全文` }));
    box.append(fig);
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
  $('reason-help').textContent = needs.length
    ? `${needs.join('、')}必须写明理由；批准时可写审批意见。`
    : '可填写备注。';
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

// ---------------------------------------------------------------- start

async function start() {
  try {
    const res = await fetch('../config.json', { cache: 'no-cache' });
    if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
    state.apiUrl = (await res.json()).apiUrl ?? '';
    if (!state.apiUrl) throw new Error('config.json has no apiUrl');
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
    show('tasks');
    void loadTasks();
  });
  $('sign-out').addEventListener('click', () => signOut());
  $('refresh').addEventListener('click', () => void loadTasks());
  $('overdue-only').addEventListener('change', () => void loadTasks());
  $('claim-next').addEventListener('click', () => void claimNext());
  $('extend').addEventListener('click', () => void extendLease());
  const back = () => {
    stopLease();
    state.claim = null;
    clearError();
    show('tasks');
    void loadTasks();
  };
  $('back').addEventListener('click', back);
  $('result-back').addEventListener('click', back);

  if (state.token) {
    show('tasks');
    await loadTasks();
  } else show('sign-in');
  document.body.dataset.ready = 'true';
}

void start();
