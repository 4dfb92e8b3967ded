// 依申请公开 in the console: the information centre's and the approvers' part of handling an
// application for government information (《政府信息公开条例》 Chapter IV). The lists of what is
// overdue, due soon and whose deadline the holiday calendar cannot count; registering an
// application received by letter, in person, by fax or by e-mail; one application with its applicant,
// request, clock, history, printable documents and the forms of the steps the caller may take
// now. The server decides everything (shared/domain/application.ts): this page only shows what
// it answers, sends the version it read, and says so when someone else was faster.
// Text from the API is inserted as text, never as HTML; the printable documents, which the
// server renders and escapes, are shown in a sandboxed iframe (srcdoc) that runs no script.

/** The statuses whose clock can still run out (OPEN_STATUSES). */
const OPEN = ['RECEIVED', 'AWAITING_COMPLETION', 'CONSULTING', 'PROPOSED', 'DECIDED'];

const URGENCY = {
  overdue: ['已超期', 'overdue'],
  'due-soon': ['即将到期', 'due within 5 working days'],
  uncovered: ['期限待定', 'deadline to be set by hand'],
  'on-time': ['期限内', 'on time'],
  none: ['不计期限', 'no deadline running'],
};

const ROLE_LABELS = { infocenter: '信息中心', approver: '审批人', applicant: '申请人' };

/** The English gloss of each step (the Chinese label comes from the API's STEP_LABELS). */
const STEP_EN = {
  register: 'registered',
  'request-completion': 'ask for completion (补正)',
  complete: 'completion received',
  consult: 'consult a third party',
  'consultation-reply': "third party's opinion",
  propose: 'propose an answer',
  approve: 'approve the answer',
  return: 'return the proposal',
  extend: 'extend the deadline',
  deliver: 'deliver the answer',
  archive: 'archive',
  withdraw: 'withdraw the application',
  transfer: 'transfer to another body',
};

/** Copies of the domain's lists (shared/domain/application.ts); the browser test checks they agree. */
export const ANSWER_TYPES = ['予以公开', '部分公开', '不予公开', '无法提供', '不予处理', '其他处理'];
export const WITHHOLD_GROUNDS = {
  secret: ['属于国家秘密', '《中华人民共和国政府信息公开条例》第十四条'],
  'law-forbids': ['其他法律行政法规禁止公开', '《中华人民共和国政府信息公开条例》第十四条'],
  security: ['危及“三安全一稳定”', '《中华人民共和国政府信息公开条例》第十四条'],
  'third-party': ['保护第三方合法权益', '《中华人民共和国政府信息公开条例》第十五条'],
  internal: ['属于三类内部事务信息', '《中华人民共和国政府信息公开条例》第十六条第一款'],
  process: ['属于四类过程性信息', '《中华人民共和国政府信息公开条例》第十六条第二款'],
  enforcement: ['属于行政执法案卷', '《中华人民共和国政府信息公开条例》第十六条第二款'],
  query: ['属于行政查询事项', '《中华人民共和国政府信息公开条例》第三十六条第（七）项'],
};
export const UNAVAILABLE_REASONS = {
  'not-held': '本机关不掌握相关政府信息',
  'needs-making': '没有现成信息需要另行制作',
  unclear: '补正后申请内容仍不明确',
};
export const NOT_PROCESSED_REASONS = {
  petition: '信访举报投诉类申请',
  repeated: '重复申请',
  publication: '要求提供公开出版物',
  excessive: '无正当理由大量反复申请',
  confirm: '要求行政机关确认或重新出具已获取信息',
};
export const OTHER_REASONS = {
  'not-completed': '申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
  'fee-unpaid': '申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
  other: '其他',
};
const REASONS_OF = { 无法提供: UNAVAILABLE_REASONS, 不予处理: NOT_PROCESSED_REASONS, 其他处理: OTHER_REASONS };
const OPINIONS = ['同意公开', '不同意公开', '逾期未提出意见'];
const DELIVERY_METHODS = ['电子邮件', '邮寄', '当面领取'];
const ORGANISATION = '法人或其他组织';
const DEFAULT_ID_TYPE = { 公民: '居民身份证', [ORGANISATION]: '统一社会信用代码' };

/** The identity number as the console's lists and letters show it (maskId in the domain). */
export const maskId = (n) => (n.length <= 4 ? '*'.repeat(n.length) : `${n.slice(0, 2)}${'*'.repeat(n.length - 4)}${n.slice(-2)}`);

/** The deadline (AnswerDueView) in words: [Chinese, English]. */
export function dueWords(due) {
  switch (due?.kind) {
    case 'due':
      return [`${due.dueOn} 前答复（${due.workingDays} 个工作日）`, `answer by ${due.dueOn}`];
    case 'stopped':
      return [`期限中止：${due.since} 起等待申请人补正，收到补正后重新计算`, `stopped on ${due.since}: waiting for the completion`];
    case 'paused':
      return [`期限暂停：${due.since} 起征求第三方意见${due.until ? `（第三方最迟 ${due.until} 答复）` : ''}`, `paused since ${due.since}: third party consulted`];
    case 'closed':
      return ['已办结，不再计算期限', 'closed'];
    case 'uncovered':
      return [`期限待定：${due.message?.zh ?? '节假日日历未覆盖'}`, due.message?.en ?? 'the holiday calendar does not cover the deadline'];
    default:
      return ['—', ''];
  }
}

/** A row's deadline from its summary (no clock in it): the status tells stopped and paused. */
function summaryDue(s) {
  if (!OPEN.includes(s.status)) return ['已办结', 'closed'];
  if (s.urgency === 'uncovered') return ['期限待定（人工核定）', 'set by hand'];
  if (s.status === 'AWAITING_COMPLETION') return ['中止：待申请人补正', 'stopped: completion'];
  if (s.status === 'CONSULTING') return ['暂停：征求第三方意见', 'paused: consultation'];
  return s.watchOn ? [`${s.watchOn} 前`, `by ${s.watchOn}`] : ['—', ''];
}

const fmtTime = (iso) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso ?? '') : d.toLocaleString('zh-CN', { hour12: false });
};

/** The roles in a Cognito ID token (a JWT), if the token is one; undefined for an opaque token. */
function rolesOfJwt(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) return undefined;
  try {
    const json = JSON.parse(
      atob(
        parts[1]
          .replace(/-/g, '+')
          .replace(/_/g, '/')
          .padEnd(Math.ceil(parts[1].length / 4) * 4, '='),
      ),
    );
    const groups = json['cognito:groups'];
    return Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? groups.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  } catch {
    return undefined;
  }
}

/**
 * The applications part of the console. `ctx` is what console.js shares: the API call, the
 * section switch, the status line (aria-live), the error box and its two DOM helpers.
 */
export function createApplications(ctx) {
  const { api, show, showStatus, showError, clearError, el, $ } = ctx;
  const st = {
    role: undefined, // 'infocenter' | 'approver': the steps whose forms are shown
    bodyNames: new Map(), // body id → name (GET /bodies)
    myBodies: [], // the bodies the caller acts for (the list's `bodies`, unfiltered)
    filter: '',
    today: '',
    list: null,
    views: new Map(), // id → the last ApplicationView read (tracking codes of the rows)
    app: null, // the application open
    busy: false,
    generation: 0,
  };
  const bodyName = (id) => st.bodyNames.get(id) ?? id;
  const bi = (zh, en, attrs = {}) => {
    const span = el('span', null, attrs, [document.createTextNode(zh)]);
    if (en) span.append(document.createTextNode(' '), el('span', en, { lang: 'en', class: 'en' }));
    return span;
  };

  // ------------------------------------------------------------ who the caller is

  /**
   * The role the caller takes steps in. The API has no "who am I": a Cognito token says it in
   * its groups; a local token is asked of the API by a request only the information centre
   * may make (registering, with an empty body: 400 for the centre, 403 for anyone else), which
   * changes nothing.
   */
  async function ensureRole() {
    if (st.role) return st.role;
    // The API says which role it acts on for this user (GET /me); older APIs are asked as before.
    try {
      // The step route acts in the first of the caller's roles it allows, in the order the API holds them.
      const me = await api('GET', '/me');
      const role = (me?.roles ?? []).find((r) => r === 'infocenter' || r === 'approver');
      if (role) {
        st.role = role;
        return st.role;
      }
    } catch {
      // Fall through to the token and the probe.
    }
    const groups = rolesOfJwt(ctx.token());
    if (groups) {
      st.role = groups.find((g) => g === 'infocenter' || g === 'approver') ?? 'approver';
      return st.role;
    }
    try {
      await api('POST', '/applications', {});
      st.role = 'infocenter';
    } catch (err) {
      if (err?.status === 400) st.role = 'infocenter';
      else if (err?.status === 403) st.role = 'approver';
      else throw err;
    }
    return st.role;
  }

  async function ensureBodies() {
    if (st.bodyNames.size) return;
    try {
      const { bodies } = await api('GET', '/bodies');
      for (const b of bodies ?? []) st.bodyNames.set(b.id, b.name);
    } catch {
      // Names are a nicety: the ids are shown instead.
    }
  }

  // ------------------------------------------------------------ field messages inside one form

  /** The element of `root` an issue's field belongs to: the longest data-field that is the field or its prefix. */
  function targetOf(root, field) {
    let best;
    for (const node of root.querySelectorAll('[data-field]')) {
      if (node.closest('[hidden]')) continue;
      const f = node.dataset.field;
      if ((field === f || field.startsWith(`${f}.`)) && (!best || f.length > best.dataset.field.length)) best = node;
    }
    return best;
  }

  function clearIssues(root, summary) {
    for (const p of root.querySelectorAll('.field-error[data-issue]')) p.remove();
    for (const node of root.querySelectorAll('[aria-invalid], [data-described]')) {
      node.removeAttribute('aria-invalid');
      const ids = (node.getAttribute('aria-describedby') ?? '').split(' ').filter((i) => i && i !== `${node.id}-error`);
      if (ids.length) node.setAttribute('aria-describedby', ids.join(' '));
      else node.removeAttribute('aria-describedby');
      node.removeAttribute('data-described');
    }
    if (summary) {
      summary.replaceChildren();
      summary.hidden = true;
    }
  }

  const labelOf = (root, node) =>
    (node.matches('fieldset') ? node.querySelector('legend') : root.querySelector(`label[for="${node.id}"]`))?.firstChild?.textContent?.trim() ?? node.dataset.field;

  /**
   * The API's answer beside each field of `root` it names (Chinese, and the English gloss), and
   * in `summary`: the message and each issue. Focuses the first field named, else the summary.
   */
  function showIssues(root, summary, err) {
    clearIssues(root, summary);
    const e = err?.body?.error ?? {};
    const head = el('p', null, {}, [bi(e.zh ?? `请求失败（HTTP ${err?.status ?? '?'}）`, e.en && e.en !== e.zh ? e.en : '')]);
    summary.replaceChildren(head);
    const list = el('ul');
    let first;
    for (const issue of e.issues ?? []) {
      const node = targetOf(root, issue.field ?? '');
      list.append(el('li', `${node ? labelOf(root, node) : issue.field}：${issue.zh ?? ''}`));
      if (!node) continue;
      const id = `${node.id}-error`;
      let p = document.getElementById(id);
      if (!p) {
        p = el('p', null, { id, class: 'field-error', 'data-issue': '' });
        if (node.matches('fieldset')) node.append(p);
        else node.insertAdjacentElement('afterend', p);
      }
      p.append(el('span', null, { class: 'error-line' }, [bi(issue.zh ?? '', issue.en && issue.en !== issue.zh ? issue.en : '', { class: 'zh' })]));
      if (!node.matches('fieldset')) node.setAttribute('aria-invalid', 'true');
      node.setAttribute('data-described', '');
      const ids = new Set((node.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
      ids.add(id);
      node.setAttribute('aria-describedby', [...ids].join(' '));
      first ??= node.matches('fieldset') ? (node.querySelector('input, select, textarea') ?? node) : node;
    }
    if (list.childElementCount) summary.append(list);
    summary.hidden = false;
    if (first) first.focus();
    else summary.focus();
  }

  // ------------------------------------------------------------ routing

  async function route(hash) {
    clearError();
    const rest = hash.replace(/^#applications\/?/, '');
    if (!rest) return openList();
    if (rest === 'register') return openRegister();
    return openApp(decodeURIComponent(rest));
  }

  const go = (hash) => {
    if (location.hash === hash) void route(hash);
    else location.hash = hash;
  };

  function reset() {
    st.role = undefined;
    st.bodyNames.clear();
    st.myBodies = [];
    st.filter = '';
    st.list = null;
    st.views.clear();
    st.app = null;
  }

  // ------------------------------------------------------------ the lists

  async function openList() {
    show('applications');
    showStatus('正在加载申请列表…');
    const gen = ++st.generation;
    try {
      await Promise.all([ensureRole(), ensureBodies()]);
      const list = await api('GET', `/applications${st.filter ? `?body=${encodeURIComponent(st.filter)}` : ''}`);
      if (gen !== st.generation) return;
      st.list = list;
      st.today = list.today ?? st.today;
      if (!st.filter) st.myBodies = list.bodies ?? [];
      renderFilter();
      renderLists();
      $('apps-register-open').hidden = st.role !== 'infocenter';
      const open = list.applications.filter((a) => OPEN.includes(a.status)).length;
      showStatus(`已加载：已超期 ${list.overdue.length} 件，即将到期 ${list.dueSoon.length} 件，办理中 ${open} 件。`);
      void fillCodes(gen);
    } catch (err) {
      showStatus('');
      showError(err);
    }
  }

  function renderFilter() {
    const several = st.myBodies.length > 1;
    $('apps-body-filter').hidden = !several;
    if (!several) return;
    const select = $('apps-body');
    select.replaceChildren(el('option', '全部公开主体', { value: '' }), ...st.myBodies.map((b) => el('option', bodyName(b), { value: b })));
    select.value = st.filter;
  }

  /** The uncovered ones: the API's list (the calendar runs out within days) and every open row it flags. */
  function uncoveredRows(list) {
    const seen = new Set(list.uncovered.map((a) => a.id));
    return [...list.uncovered, ...list.applications.filter((a) => a.urgency === 'uncovered' && OPEN.includes(a.status) && !seen.has(a.id))];
  }

  function renderLists() {
    const list = st.list;
    const closed = $('apps-closed').checked;
    const groups = [
      ['apps-overdue', list.overdue, '已超期的申请', '没有超期的申请。', 'No application is overdue.'],
      ['apps-due-soon', list.dueSoon, '5 个工作日内到期的申请', '没有 5 个工作日内到期的申请。', 'Nothing is due within 5 working days.'],
      ['apps-uncovered', uncoveredRows(list), '期限待定的申请', '没有期限待定的申请。', 'No deadline waits to be set by hand.'],
      [
        'apps-open',
        list.applications.filter((a) => closed || OPEN.includes(a.status)),
        closed ? '全部申请' : '全部办理中的申请',
        closed ? '没有申请。' : '没有办理中的申请。',
        'None.',
      ],
    ];
    for (const [id, rows, caption, empty, emptyEn] of groups) {
      const box = $(id);
      box.replaceChildren(rows.length ? table(id, rows, caption) : el('p', null, { class: 'empty' }, [bi(empty, emptyEn)]));
    }
    const open = list.applications.filter((a) => OPEN.includes(a.status)).length;
    $('apps-counts').textContent =
      `截至 ${list.today}：已超期 ${list.overdue.length} 件 · 即将到期 ${list.dueSoon.length} 件 · 期限待定 ${groups[2][1].length} 件 · 办理中 ${open} 件${
        st.filter ? `（${bodyName(st.filter)}）` : ''
      }`;
  }

  function table(id, rows, caption) {
    const several = st.myBodies.length > 1 && !st.filter;
    const head = ['跟踪码', '申请人', '所需信息', '收到日期', '状态', '答复期限', '紧急程度', ...(several ? ['公开主体'] : [])];
    const t = el('table', null, { class: 'apps', id: `${id}-table` }, [
      el('caption', caption, { class: 'visually-hidden' }),
      el('thead', null, {}, [
        el(
          'tr',
          null,
          {},
          head.map((h) => el('th', h, { scope: 'col' })),
        ),
      ]),
    ]);
    const body = el('tbody');
    for (const s of rows) {
      const view = st.views.get(s.id);
      const link = el('a', s.trackingCode ?? view?.trackingCode ?? `申请 ${s.id.slice(-6)}`, {
        href: `#applications/${encodeURIComponent(s.id)}`,
        class: 'code',
        'data-code-for': s.id,
      });
      const [dueZh, dueEn] = s.due ? dueWords(s.due) : view && view.status === s.status ? dueWords(view.due) : summaryDue(s);
      const [uZh, uEn] = URGENCY[s.urgency] ?? [s.urgency, ''];
      const tr = el('tr', null, { 'data-id': s.id, 'data-urgency': s.urgency, 'data-status': s.status }, [
        el('td', null, { class: 'code-cell' }, [link]),
        el('td', `${s.applicant}${s.applicantType === ORGANISATION ? '（组织）' : ''}`),
        el('td', s.description, { class: 'wanted' }),
        el('td', s.receivedOn),
        el('td', s.statusLabel),
        el('td', null, { class: 'due-cell', 'data-due-for': s.id }, [bi(dueZh, dueEn)]),
        el('td', null, { class: `urgency urgency-${s.urgency}` }, [bi(uZh, uEn)]),
        ...(several ? [el('td', bodyName(s.body))] : []),
      ]);
      body.append(tr);
    }
    t.append(body);
    return el('div', null, { class: 'table-wrap' }, [t]);
  }

  /**
   * The rows' tracking codes, for a list from an API whose summaries carry none: each such
   * application shown is read once, a few at a time, and its code and clock written in.
   */
  async function fillCodes(gen) {
    const known = new Set((st.list?.applications ?? []).filter((s) => s.trackingCode && s.due).map((s) => s.id));
    const ids = [...new Set([...document.querySelectorAll('#applications [data-code-for]')].map((a) => a.dataset.codeFor))].filter((id) => !st.views.has(id) && !known.has(id));
    const worker = async () => {
      for (let id = ids.shift(); id !== undefined; id = ids.shift()) {
        if (gen !== st.generation) return;
        try {
          st.views.set(id, await api('GET', `/applications/${encodeURIComponent(id)}`));
        } catch {
          continue;
        }
        const view = st.views.get(id);
        for (const a of document.querySelectorAll(`#applications [data-code-for="${id}"]`)) a.textContent = view.trackingCode;
        for (const td of document.querySelectorAll(`#applications [data-due-for="${id}"]`)) {
          if (td.closest('tr')?.dataset.status === view.status) td.replaceChildren(bi(...dueWords(view.due)));
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }

  // ------------------------------------------------------------ registering an application

  async function openRegister() {
    try {
      await Promise.all([ensureRole(), ensureBodies()]);
    } catch (err) {
      showError(err);
      return;
    }
    if (st.role !== 'infocenter') {
      go('#applications');
      showStatus('只有信息中心可以登记申请。');
      return;
    }
    {
      // Read afresh: the list says what day it is (the day received defaults to it).
      try {
        const list = await api('GET', '/applications');
        st.list = list;
        st.today = list.today;
        st.myBodies = list.bodies ?? [];
      } catch (err) {
        showError(err);
        return;
      }
    }
    const select = $('r-body');
    const keep = select.value;
    select.replaceChildren(...st.myBodies.map((b) => el('option', bodyName(b), { value: b })));
    select.value = keep && st.myBodies.includes(keep) ? keep : st.filter || st.myBodies[0] || '';
    if (!$('r-receivedOn').value) $('r-receivedOn').value = st.today;
    $('r-receivedOn').max = st.today;
    syncApplicantType();
    clearIssues($('reg-form'), $('reg-summary'));
    show('app-register');
    showStatus('');
    $('reg-h').focus();
  }

  function syncApplicantType() {
    const org = $('r-type').value === ORGANISATION;
    $('r-org-kind-field').hidden = !org;
    $('r-representative-field').hidden = !org;
    $('r-name-label').textContent = org ? '名称' : '姓名';
    const idType = $('r-idType');
    if (Object.values(DEFAULT_ID_TYPE).includes(idType.value)) idType.value = DEFAULT_ID_TYPE[$('r-type').value];
  }

  /** RegisterApplicationRequest from the form: trimmed, empty optionals left out (as the public form sends ApplicationInput). */
  function registration() {
    const v = (id) => $(id).value.trim();
    const org = v('r-type') === ORGANISATION;
    const applicant = { type: v('r-type'), name: v('r-name') };
    if (org && v('r-organisationKind')) applicant.organisationKind = v('r-organisationKind');
    if (org && v('r-representative')) applicant.representative = v('r-representative');
    applicant.idType = v('r-idType');
    applicant.idNumber = v('r-idNumber');
    applicant.phone = v('r-phone');
    for (const key of ['email', 'address', 'postcode']) if (v(`r-${key}`)) applicant[key] = v(`r-${key}`);
    const request = { description: v('r-description') };
    if (v('r-documentId')) request.documentId = v('r-documentId');
    if (v('r-purpose')) request.purpose = v('r-purpose');
    const application = { body: v('r-body'), applicant, request };
    if (v('r-delivery')) application.delivery = v('r-delivery');
    if (v('r-format')) application.format = v('r-format');
    return { channel: v('r-channel'), receivedOn: v('r-receivedOn'), application };
  }

  async function register() {
    if (st.busy) return;
    const form = $('reg-form');
    const summary = $('reg-summary');
    clearIssues(form, summary);
    clearError();
    st.busy = true;
    $('reg-submit').disabled = true;
    showStatus('正在登记…');
    try {
      const view = await api('POST', '/applications', registration());
      form.reset();
      st.views.set(view.id, view);
      st.list = null;
      st.pendingNotice = [[`已登记，跟踪码 ${view.trackingCode}：请告知申请人凭跟踪码查询办理进度。`, `Registered: tracking code ${view.trackingCode}.`], 'ok'];
      go(`#applications/${encodeURIComponent(view.id)}`);
    } catch (err) {
      showStatus('');
      if (err?.status === 400 || err?.status === 403 || err?.status === 404) showIssues(form, summary, err);
      else showError(err);
    } finally {
      st.busy = false;
      $('reg-submit').disabled = false;
    }
  }

  // ------------------------------------------------------------ one application

  async function openApp(id) {
    showStatus('正在读取申请…');
    try {
      await Promise.all([ensureRole(), ensureBodies()]);
      const view = await api('GET', `/applications/${encodeURIComponent(id)}`);
      st.app = view;
      st.views.set(view.id, view);
      closeDocument();
      renderApp();
      show('application');
      const pending = st.pendingNotice;
      st.pendingNotice = undefined;
      if (pending) notice(...pending);
      else {
        $('app-notice').hidden = true;
        $('app-h').focus();
      }
      showStatus(`申请 ${view.trackingCode}：${view.statusLabel}。`);
    } catch (err) {
      showStatus('');
      if (err?.status === 404) {
        go('#applications');
      }
      showError(err);
    }
  }

  /** A message at the top of the application (after a step, or a conflict), focused. */
  function notice([zh, en], kind, server) {
    const box = $('app-notice');
    box.className = `notice notice-${kind}`;
    box.replaceChildren(el('p', null, {}, [bi(zh, en)]));
    const e = server?.body?.error;
    if (e?.zh) box.append(el('p', null, { class: 'server' }, [bi(`服务器：${e.zh}`, e.en && e.en !== e.zh ? e.en : '')]));
    box.hidden = false;
    box.focus();
  }

  const kv = (tbody, rows) => {
    tbody.replaceChildren();
    for (const [key, label, value] of rows) {
      if (value === undefined || value === null || value === '') continue;
      const td = value instanceof Node ? el('td', null, {}, [value]) : el('td', String(value));
      tbody.append(el('tr', null, { 'data-field': key }, [el('th', label, { scope: 'row' }), td]));
    }
  };
  const multiline = (text) => el('span', text, { class: 'multiline' });
  const actor = (a) => (a ? `${a.name}${a.role ? `（${ROLE_LABELS[a.role] ?? a.role}）` : ''}` : '');

  function renderApp() {
    const a = st.app;
    const input = a.input;
    $('app-code').textContent = a.trackingCode;
    $('app-status').textContent = a.statusLabel;
    $('app-status').dataset.status = a.status;
    $('app-body').textContent = `公开主体：${a.bodyName}`;
    const [uZh, uEn] = URGENCY[a.urgency] ?? [a.urgency, ''];
    $('app-urgency').replaceChildren(bi(`紧急程度：${uZh}`, uEn, { class: `urgency urgency-${a.urgency}` }));

    const p = input.applicant;
    kv($('app-applicant'), [
      ['type', '申请人类型', `${p.type}${p.organisationKind ? `（${p.organisationKind}）` : ''}`],
      ['name', p.type === ORGANISATION ? '名称' : '姓名', p.name],
      ['representative', '法定代表人或负责人', p.representative],
      ['idType', '证件类型', p.idType],
      // Whole in the record, never whole on the screen (it is checked against the document in hand).
      ['idNumber', '证件号码（已遮盖）', maskId(p.idNumber ?? '')],
      ['phone', '联系电话', p.phone],
      ['email', '电子邮箱', p.email],
      ['address', '通信地址', p.address],
      ['postcode', '邮政编码', p.postcode],
    ]);
    kv($('app-request'), [
      ['description', '所需信息的描述', multiline(input.request.description)],
      ['documentId', '文件标识', input.request.documentId],
      ['purpose', '用途', input.request.purpose ? multiline(input.request.purpose) : undefined],
      ['delivery', '获取方式', input.delivery],
      ['format', '信息形式', input.format],
      ['channel', '申请方式', a.channel],
      ['receivedOn', '收到申请日期', a.receivedOn],
      ['id', '申请编号（系统）', a.id],
    ]);

    const [dueZh, dueEn] = dueWords(a.due);
    const due = $('app-due');
    due.replaceChildren(bi(dueZh, dueEn));
    due.dataset.kind = a.due.kind;
    if (a.due.kind === 'due') due.dataset.dueOn = a.due.dueOn;
    else delete due.dataset.dueOn;
    const c = a.completion;
    const x = a.clock.extension;
    kv($('app-clock'), [
      ['startOn', '期限起算日', `${a.clock.startOn}${c?.completedOn ? '（收到补正之日，期限重新计算）' : ''}`],
      [
        'completion',
        '补正告知',
        c
          ? `${c.requestedOn} 告知补正：${c.items.join('；')}${c.workingDays ? `；补正期限 ${c.workingDays} 个工作日` : ''}${c.dueOn ? `（${c.dueOn} 前）` : ''}${c.late ? '；晚于收到申请后 7 个工作日（条例第三十条）' : ''}`
          : undefined,
      ],
      ['completedOn', '收到补正', c?.completedOn ? `${c.completedOn}：${c.supplement ?? ''}` : undefined],
      ['stoppedOn', '期限中止', a.clock.stoppedOn ? `自 ${a.clock.stoppedOn} 起等待补正` : undefined],
      ['extension', '延长期限', x ? `延长 ${x.workingDays} 个工作日（${x.on}，${actor(x.approvedBy)}批准）：${x.reason}` : undefined],
    ]);
    const cons = a.clock.consultations;
    const box = $('app-consultations');
    box.replaceChildren();
    if (cons.length) {
      box.append(
        el('div', null, { class: 'table-wrap' }, [
          el('table', null, { id: 'app-consultation-table' }, [
            el('caption', '征求第三方意见（期间不计入答复期限）'),
            el('thead', null, {}, [
              el(
                'tr',
                null,
                {},
                ['第三方', '征求日期', '第三方答复期限', '结束日期', '意见'].map((h) => el('th', h, { scope: 'col' })),
              ),
            ]),
            el(
              'tbody',
              null,
              {},
              cons.map((k) =>
                el('tr', null, {}, [el('td', k.thirdParty), el('td', k.from), el('td', k.dueOn ?? '期限待定'), el('td', k.to ?? '征求中'), el('td', k.opinion ?? '—')]),
              ),
            ),
          ]),
        ]),
      );
    }

    renderAnswer(a);
    renderDocButtons(a);
    renderHistory(a);
    renderSteps(a);
  }

  /** An answer of Art. 36 as a table of its parts. */
  function answerTable(answer, caption) {
    const rows = [['type', '答复类型', answer.type]];
    if (answer.given) rows.push(['given', '提供的信息', multiline(answer.given)]);
    if (answer.documents?.length) rows.push(['documents', '提供的文件', answer.documents.join('，')]);
    if (answer.publishedAt) rows.push(['publishedAt', '获取途径（已主动公开）', answer.publishedAt]);
    if (answer.reason && REASONS_OF[answer.type]) rows.push(['reason', '理由', REASONS_OF[answer.type][answer.reason] ?? answer.reason]);
    if (answer.explanation) rows.push(['explanation', '说明', multiline(answer.explanation)]);
    if (answer.holder) rows.push(['holder', '负责公开的机关', answer.holder]);
    const t = el('table', null, { class: 'kv' }, [el('caption', caption)]);
    const tbody = el('tbody');
    kv(tbody, rows);
    t.append(tbody);
    const out = [el('div', null, { class: 'table-wrap' }, [t])];
    if (answer.withheld?.length) {
      out.push(
        el('div', null, { class: 'table-wrap' }, [
          el('table', null, { class: 'withheld' }, [
            el('caption', '不予公开的内容、理由及法律依据'),
            el('thead', null, {}, [
              el(
                'tr',
                null,
                {},
                ['序号', '不予公开的内容', '情形', '法律依据', '具体理由'].map((h) => el('th', h, { scope: 'col' })),
              ),
            ]),
            el(
              'tbody',
              null,
              {},
              answer.withheld.map((w, i) => {
                const [zh, article] = WITHHOLD_GROUNDS[w.ground] ?? [w.ground, ''];
                return el('tr', null, {}, [
                  el('td', String(i + 1)),
                  el('td', null, {}, [multiline(w.what)]),
                  el('td', zh),
                  el('td', article),
                  el('td', null, {}, [multiline(w.reason)]),
                ]);
              }),
            ),
          ]),
        ]),
      );
    }
    return out;
  }

  function renderAnswer(a) {
    const box = $('app-answer');
    box.replaceChildren();
    if (a.proposal) {
      box.append(
        el('p', `办理意见：${actor(a.proposal.by)}于 ${a.proposal.on} 提出，待审批人审批（提出人不能审批自己的办理意见）。`, { class: 'answer-meta', id: 'app-proposal-meta' }),
      );
      box.append(...answerTable(a.proposal.answer, '办理意见'));
    }
    if (a.decision) {
      box.append(
        el('p', `答复决定：${actor(a.decision.proposedBy)}提出，${actor(a.decision.approvedBy)}于 ${a.decision.on} 批准。`, { class: 'answer-meta', id: 'app-decision-meta' }),
      );
      box.append(...answerTable(a.decision.answer, '答复决定'));
    }
    if (a.delivery) {
      box.append(
        el('p', `送达：${a.delivery.on} 以${a.delivery.method}方式送达（${actor(a.delivery.by)}）${a.delivery.note ? `。${a.delivery.note}` : ''}`, { id: 'app-delivery-meta' }),
      );
    }
    $('app-answer-section').hidden = !box.childElementCount;
  }

  function renderHistory(a) {
    const rows = $('app-history');
    rows.replaceChildren();
    for (const e of a.history) {
      const change = e.from && e.from !== e.to ? `${e.from} → ${e.to}` : e.to;
      rows.append(
        el('tr', null, { 'data-step': e.step }, [
          el('td', null, {}, [el('time', fmtTime(e.at), { datetime: e.at })]),
          el('td', null, {}, [bi(e.label, STEP_EN[e.step] ?? '')]),
          el('td', actor(e.by)),
          el('td', change, { class: 'status-change' }),
          el('td', e.public ?? '（内部步骤，不告知申请人）'),
          el('td', e.note ?? ''),
        ]),
      );
    }
  }

  // ------------------------------------------------------------ the printable documents

  function renderDocButtons(a) {
    const box = $('app-doc-buttons');
    box.replaceChildren();
    const add = (kind, zh, en) => {
      const b = el('button', null, { type: 'button', 'data-kind': kind }, [bi(zh, en)]);
      b.addEventListener('click', () => void openDocument(kind));
      box.append(b);
    };
    if (a.decision) add('answer', '答复书 / 告知书', 'answer');
    if (a.completion) add('completion', '补正告知书', 'completion notice');
    $('app-docs').hidden = !box.childElementCount;
  }

  function closeDocument() {
    document.getElementById('app-doc-frame')?.remove();
    $('app-doc-view').hidden = true;
  }

  /**
   * GET /applications/{id}/document: a complete HTML page the server rendered (escaped, with its
   * own CSP and no script), shown in an iframe by srcdoc — sandboxed: no script runs in it,
   * nothing it holds reaches this page; same-origin only so that it can be printed from here.
   */
  async function openDocument(kind) {
    const a = st.app;
    if (!a) return;
    clearError();
    showStatus('正在生成文书…');
    try {
      const doc = await api('GET', `/applications/${encodeURIComponent(a.id)}/document?kind=${kind}`);
      closeDocument();
      const frame = document.createElement('iframe');
      frame.id = 'app-doc-frame';
      frame.className = 'doc-frame';
      frame.setAttribute('sandbox', 'allow-same-origin allow-modals');
      frame.setAttribute('referrerpolicy', 'no-referrer');
      frame.title = `${doc.title}（打印预览）`;
      frame.srcdoc = doc.html;
      $('app-doc-title').textContent = doc.title;
      $('app-doc-view').dataset.kind = kind;
      $('app-doc-view').append(frame);
      $('app-doc-view').hidden = false;
      showStatus(`已打开${doc.title}，可打印或另存为 PDF。`);
      $('app-doc-title').focus();
    } catch (err) {
      showStatus('');
      showError(err);
    }
  }

  // ------------------------------------------------------------ the steps

  let uid = 0;
  /** A labelled control: `kind` input|textarea|select; `opts.options` [[value, label]] for a select. */
  function control(id, label, field, kind = 'input', opts = {}) {
    const node = document.createElement(kind);
    node.id = id;
    node.dataset.field = field;
    node.name = opts.name ?? field.split('.').pop();
    if (kind === 'input') node.type = opts.type ?? 'text';
    if (kind === 'textarea') node.rows = opts.rows ?? 3;
    for (const [k, v] of Object.entries(opts.attrs ?? {})) node.setAttribute(k, v);
    for (const [value, text] of opts.options ?? []) node.append(el('option', text, { value }));
    if (opts.value !== undefined) node.value = opts.value;
    const wrap = el('div', null, { class: 'field' }, [el('label', null, { for: id }, [bi(label, opts.en ?? '')])]);
    if (opts.help) {
      const helpId = `${id}-help`;
      node.setAttribute('aria-describedby', helpId);
      wrap.append(node, el('p', opts.help, { id: helpId, class: 'help' }));
    } else wrap.append(node);
    return { wrap, node };
  }
  const optionsOf = (o) => Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? `${v[0]}（${v[1].replace('《中华人民共和国政府信息公开条例》', '条例')}）` : v]);

  /** One step's form: a fieldset with its legend, a message box, the fields and its buttons. */
  function stepForm(step, legendZh, legendEn, help) {
    const form = el('form', null, { class: 'step-form', 'data-step': step, novalidate: '' });
    const fs = el('fieldset', null, {}, [el('legend', null, {}, [bi(legendZh, legendEn)])]);
    if (help) fs.append(el('p', help, { class: 'help' }));
    const summary = el('div', null, { class: 'error form-error', role: 'alert', tabindex: '-1', id: `s-${step}-summary`, hidden: '' });
    fs.append(summary);
    form.append(fs);
    const details = el('details', null, { class: 'step', 'data-step': step }, [el('summary', null, {}, [bi(legendZh, legendEn)]), form]);
    return { details, form, fs, summary };
  }
  const buttons = (...list) => el('div', null, { class: 'buttons' }, list);
  const submit = (zh, en, attrs = {}) => el('button', null, { type: 'submit', ...attrs }, [bi(zh, en)]);

  /** A repeating group (补正 items, withheld rows): rows made by `make(i)`, an add button, a remove button each. */
  function repeater(container, make, addZh, min = 1) {
    const rows = el('div', null, { class: 'rows' });
    const add = el('button', addZh, { type: 'button', class: 'add-row' });
    const renumber = () => {
      const all = [...rows.children];
      all.forEach((row, i) => row.dispatchEvent(new CustomEvent('renumber', { detail: i })));
      for (const row of all) row.querySelector('.remove-row').hidden = all.length <= min;
    };
    const addRow = () => {
      const row = make();
      const remove = row.querySelector('.remove-row');
      remove.addEventListener('click', () => {
        row.remove();
        renumber();
        (rows.lastElementChild?.querySelector('input, textarea, select') ?? add).focus();
      });
      rows.append(row);
      renumber();
      return row;
    };
    add.addEventListener('click', () => addRow().querySelector('input, textarea, select')?.focus());
    container.append(rows, buttons(add));
    for (let i = 0; i < min; i++) addRow();
    return rows;
  }

  function completionItems(fs) {
    const group = el('fieldset', null, { class: 'group', id: 's-items', 'data-field': 'action.items' }, [el('legend', '需补正的事项（一次列明全部） · items to complete')]);
    fs.append(group);
    repeater(
      group,
      () => {
        const id = `s-item-${++uid}`;
        const label = el('label', null, { for: id });
        const input = el('input', null, { id, type: 'text', name: 'items' });
        const remove = el('button', '删除此项', { type: 'button', class: 'remove-row' });
        const row = el('div', null, { class: 'field row' }, [label, input, remove]);
        row.addEventListener('renumber', (e) => {
          label.textContent = `需补正的事项 ${e.detail + 1}`;
          input.dataset.field = `action.items.${e.detail}`;
          remove.setAttribute('aria-label', `删除需补正的事项 ${e.detail + 1}`);
        });
        return row;
      },
      '添加一项',
    );
  }

  function withheldRows(container) {
    const group = el('fieldset', null, { class: 'group', id: 's-withheld', 'data-field': 'action.answer.withheld' }, [el('legend', '不予公开的内容 · what is withheld')]);
    container.append(group);
    repeater(
      group,
      () => {
        const n = ++uid;
        const what = control(`s-w-what-${n}`, '不予公开的内容', 'x', 'textarea', { rows: 2, name: 'what' });
        const ground = control(`s-w-ground-${n}`, '情形及依据', 'x', 'select', { name: 'ground', options: [['', '请选择'], ...optionsOf(WITHHOLD_GROUNDS)] });
        const reason = control(`s-w-reason-${n}`, '具体理由', 'x', 'textarea', { rows: 2, name: 'reason', help: '写明本案为何属于该情形。' });
        const passages = control(`s-w-passages-${n}`, '遮盖的原文段落（可选）', 'x', 'textarea', {
          rows: 3,
          name: 'passages',
          help: '部分公开提供本系统的文件时：从文件的公开文本中逐字复制要遮盖的段落，每段一行；送达的文件副本中这些段落以理由和依据代替。',
        });
        const legend = el('legend');
        const remove = el('button', '删除此项', { type: 'button', class: 'remove-row' });
        const row = el('fieldset', null, { class: 'withheld-row' }, [legend, what.wrap, ground.wrap, reason.wrap, passages.wrap, buttons(remove)]);
        row.addEventListener('renumber', (e) => {
          const i = e.detail;
          legend.textContent = `第 ${i + 1} 项`;
          what.node.dataset.field = `action.answer.withheld.${i}.what`;
          ground.node.dataset.field = `action.answer.withheld.${i}.ground`;
          reason.node.dataset.field = `action.answer.withheld.${i}.reason`;
          passages.node.dataset.field = `action.answer.withheld.${i}.passages`;
          remove.setAttribute('aria-label', `删除第 ${i + 1} 项不予公开的内容`);
        });
        return row;
      },
      '添加一项不予公开的内容',
    );
    return group;
  }

  const withheldOf = (form) =>
    [...form.querySelectorAll('.withheld-row')].map((row) => {
      const passages = row
        .querySelector('[name="passages"]')
        .value.split('\n')
        .map((p) => p.trim())
        .filter(Boolean);
      return {
        what: row.querySelector('[name="what"]').value.trim(),
        ground: row.querySelector('[name="ground"]').value,
        reason: row.querySelector('[name="reason"]').value.trim(),
        ...(passages.length ? { passages } : {}),
      };
    });

  const idList = (s) =>
    s
      .split(/[\s,，、;；]+/)
      .map((x) => x.trim())
      .filter(Boolean);

  function proposeForm() {
    const f = stepForm('propose', '提出办理意见', 'propose an answer (Art. 36)', '按《条例》第三十六条选择答复类型并填写相应内容；办理意见须经审批人批准后才成为答复决定。');
    const types = el('fieldset', null, { class: 'group choice', id: 's-answer-type', 'data-field': 'action.answer' }, [el('legend', '答复类型 · type of answer')]);
    for (const [i, t] of ANSWER_TYPES.entries()) {
      const id = `s-answer-type-${i}`;
      types.append(el('div', null, { class: 'radio' }, [el('input', null, { type: 'radio', name: 'answer-type', id, value: t }), el('label', t, { for: id })]));
    }
    f.fs.append(types);
    const given = control('s-given', '提供的信息', 'action.answer.given', 'textarea', { rows: 3, help: '写明向申请人提供的信息。' });
    const docs = control('s-documents', '提供的文件标识（可选）', 'action.answer.documents', 'input', {
      help: '本主体已发布文件的编号，多个用逗号或空格分隔；送达时为申请人生成副本。',
    });
    const publishedAt = control('s-publishedAt', '获取途径（已主动公开的，可选）', 'action.answer.publishedAt', 'input', { help: '如：本机关门户网站“政府信息公开”栏目的网址。' });
    const withheldBox = el('div');
    withheldRows(withheldBox);
    const reasons = {};
    for (const [t, o] of Object.entries(REASONS_OF))
      reasons[t] = control(`s-reason-${ANSWER_TYPES.indexOf(t)}`, `${t}的理由`, 'action.answer.reason', 'select', { options: [['', '请选择'], ...optionsOf(o)] });
    const explanation = control('s-explanation', '说明', 'action.answer.explanation', 'textarea', { rows: 3 });
    const holder = control('s-holder', '负责公开该信息的机关及联系方式（可选）', 'action.answer.holder', 'input', {
      help: '本机关不掌握、能够确定负责公开的机关的，告知其名称和联系方式（第三十六条第五项）。',
    });
    const parts = { given: given.wrap, docs: docs.wrap, publishedAt: publishedAt.wrap, withheld: withheldBox, explanation: explanation.wrap, holder: holder.wrap };
    f.fs.append(given.wrap, docs.wrap, publishedAt.wrap, withheldBox, ...Object.values(reasons).map((r) => r.wrap), explanation.wrap, holder.wrap);
    const SHOWN = {
      予以公开: ['given', 'docs', 'publishedAt'],
      部分公开: ['given', 'docs', 'withheld'],
      不予公开: ['withheld'],
      无法提供: ['explanation', 'holder'],
      不予处理: ['explanation'],
      其他处理: ['explanation'],
    };
    const sync = () => {
      const t = f.form.querySelector('input[name="answer-type"]:checked')?.value;
      for (const [k, node] of Object.entries(parts)) node.hidden = !t || !SHOWN[t].includes(k);
      for (const [k, r] of Object.entries(reasons)) r.wrap.hidden = k !== t;
    };
    types.addEventListener('change', sync);
    sync();
    f.fs.append(buttons(submit('提交办理意见', 'propose')));
    const collect = () => {
      const type = f.form.querySelector('input[name="answer-type"]:checked')?.value;
      const answer = { type };
      if (type === '予以公开' || type === '部分公开') {
        answer.given = given.node.value.trim();
        answer.documents = idList(docs.node.value);
      }
      if (type === '予以公开' && publishedAt.node.value.trim()) answer.publishedAt = publishedAt.node.value.trim();
      if (type === '部分公开' || type === '不予公开') answer.withheld = withheldOf(f.form);
      if (REASONS_OF[type]) {
        if (reasons[type].node.value) answer.reason = reasons[type].node.value;
        answer.explanation = explanation.node.value.trim();
      }
      if (type === '无法提供' && holder.node.value.trim()) answer.holder = holder.node.value.trim();
      return { step: 'propose', answer };
    };
    return { ...f, collect };
  }

  /** The forms of the steps `role` may take now (the API's nextSteps), in the order the API gives. */
  function renderSteps(a) {
    const box = $('app-steps');
    box.replaceChildren();
    const role = st.role;
    const mine = a.nextSteps.filter((s) => s.by.includes(role));
    const others = a.nextSteps.filter((s) => !s.by.includes(role) && !s.by.every((b) => b === 'applicant'));
    const note = [];
    if (!a.nextSteps.length) note.push('本申请已办结，没有可办理的步骤。');
    else if (!mine.length) note.push(`您（${ROLE_LABELS[role] ?? role}）目前没有可办理的步骤。`);
    if (others.length) {
      const by = [...new Set(others.flatMap((s) => s.by.filter((b) => b !== 'applicant')))].map((b) => ROLE_LABELS[b] ?? b).join('、');
      note.push(`待${by}办理：${others.map((s) => s.label).join('、')}。`);
    }
    if (a.status === 'PROPOSED' && role === 'approver') note.push('提出办理意见的人不能审批自己的办理意见。');
    $('app-steps-note').textContent = note.join(' ');
    const names = mine.map((s) => s.step);
    const label = (s) => a.nextSteps.find((n) => n.step === s)?.label ?? s;
    const forms = [];
    for (const s of names) {
      if (s === 'return' && names.includes('approve')) continue;
      const built = buildStep(s, label(s), a, names);
      if (built) forms.push(built);
    }
    for (const f of forms) {
      f.form.addEventListener('submit', (e) => {
        e.preventDefault();
        void takeStep(f, e.submitter);
      });
      box.append(f.details);
    }
  }

  function buildStep(step, label, a, names) {
    switch (step) {
      case 'request-completion': {
        const f = stepForm(step, label, STEP_EN[step], '一次性告知申请人需要补正的全部事项和合理的补正期限（《条例》第三十条）；答复期限自告知之日起中止，收到补正后重新计算。');
        completionItems(f.fs);
        const days = control('s-completion-days', '补正期限（工作日）', 'action.workingDays', 'input', {
          type: 'number',
          value: '15',
          attrs: { min: '5', max: '60', inputmode: 'numeric' },
        });
        const note = control('s-completion-note', '内部说明（可选）', 'action.note', 'textarea', { rows: 2 });
        f.fs.append(days.wrap, note.wrap, buttons(submit('发出补正告知', 'send the notice')));
        const collect = () => {
          const action = { step, items: [...f.form.querySelectorAll('input[name="items"]')].map((i) => i.value.trim()).filter(Boolean) };
          if (days.node.value !== '') action.workingDays = Number(days.node.value);
          if (note.node.value.trim()) action.note = note.node.value.trim();
          return action;
        };
        return { ...f, collect };
      }
      case 'complete': {
        const f = stepForm(
          step,
          '登记补正',
          'record the completion',
          '申请人以信函、当面等方式提交补正材料的，在此登记；收到补正之日起重新计算答复期限。申请人也可凭跟踪码在网上补正。',
        );
        const supplement = control('s-supplement', '补正的内容', 'action.supplement', 'textarea', { rows: 3 });
        const on = control('s-complete-on', '收到补正之日（留空为今天）', 'action.on', 'input', { type: 'date', help: '信函为签收之日；不得早于补正告知之日，不得晚于今天。' });
        f.fs.append(supplement.wrap, on.wrap, buttons(submit('登记补正', 'record')));
        return { ...f, collect: () => ({ step, supplement: supplement.node.value.trim(), ...(on.node.value ? { on: on.node.value } : {}) }) };
      }
      case 'consult': {
        const f = stepForm(step, label, STEP_EN[step], '公开会损害第三方合法权益的，书面征求第三方意见（《条例》第三十二条）；征求意见期间（最长 15 个工作日）不计入答复期限。');
        const party = control('s-third-party', '第三方', 'action.thirdParty', 'input', { help: '第三方的名称或姓名。' });
        const note = control('s-consult-note', '说明（可选）', 'action.note', 'textarea', { rows: 2 });
        f.fs.append(party.wrap, note.wrap, buttons(submit('发出征求意见', 'consult')));
        return { ...f, collect: () => ({ step, thirdParty: party.node.value.trim(), ...(note.node.value.trim() ? { note: note.node.value.trim() } : {}) }) };
      }
      case 'consultation-reply': {
        const f = stepForm(step, '登记第三方意见', "record the third party's opinion", '第三方逾期未提出意见的，选择“逾期未提出意见”；征求意见结束后答复期限继续计算。');
        const opinion = control('s-opinion', '第三方意见', 'action.opinion', 'select', { options: [['', '请选择'], ...OPINIONS.map((o) => [o, o])] });
        const note = control('s-reply-note', '说明（可选）', 'action.note', 'textarea', { rows: 2 });
        f.fs.append(opinion.wrap, note.wrap, buttons(submit('登记意见', 'record')));
        return {
          ...f,
          collect: () => ({ step, ...(opinion.node.value ? { opinion: opinion.node.value } : {}), ...(note.node.value.trim() ? { note: note.node.value.trim() } : {}) }),
        };
      }
      case 'propose':
        return proposeForm();
      case 'approve':
      case 'return': {
        const f = stepForm(
          'approve',
          '审批办理意见',
          'approve or return the proposal',
          '批准后办理意见即成为答复决定，由信息中心送达；退回须写明理由。提出办理意见的人不能审批自己的办理意见。',
        );
        const note = control('s-approve-note', '审批意见（批准时可选） / 退回理由（退回时必填）', 'action.note', 'textarea', { rows: 3 });
        const list = [];
        if (names.includes('approve')) list.push(submit('批准，作出答复决定', 'approve', { value: 'approve', class: 'primary' }));
        if (names.includes('return')) list.push(submit('退回办理意见', 'return', { value: 'return' }));
        f.fs.append(note.wrap, buttons(...list));
        const collect = (submitter) => {
          const s = submitter?.value === 'return' ? 'return' : 'approve';
          return { step: s, ...(note.node.value.trim() || s === 'return' ? { note: note.node.value.trim() } : {}) };
        };
        return { ...f, collect };
      }
      case 'extend': {
        const f = stepForm(step, label, STEP_EN[step], '需要延长答复期限的，经批准可延长一次，最长不超过 20 个工作日，并告知申请人（《条例》第三十三条）。');
        const days = control('s-extend-days', '延长的工作日数（1–20）', 'action.workingDays', 'input', { type: 'number', attrs: { min: '1', max: '20', inputmode: 'numeric' } });
        const reason = control('s-extend-reason', '延期理由（告知申请人）', 'action.reason', 'textarea', { rows: 2 });
        f.fs.append(days.wrap, reason.wrap, buttons(submit('批准延期', 'extend')));
        return { ...f, collect: () => ({ step, ...(days.node.value !== '' ? { workingDays: Number(days.node.value) } : {}), reason: reason.node.value.trim() }) };
      }
      case 'deliver': {
        const f = stepForm(step, label, STEP_EN[step], '按申请人选择的方式送达答复书；登记实际送达的方式和日期。');
        const method = control('s-deliver-method', '送达方式', 'action.method', 'select', { options: DELIVERY_METHODS.map((m) => [m, m]), value: a.input.delivery });
        const on = control('s-deliver-on', '送达日期（留空为今天）', 'action.on', 'input', { type: 'date', help: '不得早于答复决定之日，不得晚于今天。' });
        const note = control('s-deliver-note', '送达说明（可选）', 'action.note', 'textarea', { rows: 2, help: '如：挂号信单号、签收人。' });
        f.fs.append(method.wrap, on.wrap, note.wrap, buttons(submit('登记送达', 'record delivery')));
        return {
          ...f,
          collect: () => ({
            step,
            method: method.node.value,
            ...(on.node.value ? { on: on.node.value } : {}),
            ...(note.node.value.trim() ? { note: note.node.value.trim() } : {}),
          }),
        };
      }
      case 'archive': {
        const f = stepForm(step, label, STEP_EN[step], '答复已送达：将申请材料、答复书和送达凭证归档。');
        f.fs.append(buttons(submit('归档', 'archive')));
        return { ...f, collect: () => ({ step }) };
      }
      case 'withdraw': {
        const f = stepForm(step, '登记撤回申请', 'record a withdrawal', '申请人以书面等方式撤回申请的，在此登记；撤回后不再办理。');
        const reason = control('s-withdraw-reason', '撤回理由及方式', 'action.reason', 'textarea', { rows: 2 });
        f.fs.append(reason.wrap, buttons(submit('登记撤回', 'withdraw', { class: 'danger' })));
        return { ...f, collect: () => ({ step, reason: reason.node.value.trim() }) };
      }
      case 'transfer': {
        const f = stepForm(step, label, STEP_EN[step], '所需信息由平台上的另一公开主体掌握的，转交其办理（转交后本主体不再看到该申请）。');
        const others = [...st.bodyNames.entries()].filter(([id]) => id !== a.body);
        const to = control('s-transfer-to', '转交给', 'action.toBody', 'select', { options: [['', '请选择'], ...others.map(([id, name]) => [id, name])] });
        const note = control('s-transfer-note', '转交说明', 'action.note', 'textarea', { rows: 2 });
        f.fs.append(to.wrap, note.wrap, buttons(submit('转交', 'transfer')));
        return { ...f, collect: () => ({ step, toBody: to.node.value, note: note.node.value.trim() }) };
      }
      default:
        return undefined;
    }
  }

  /**
   * POST /applications/{id}/steps at the version read. 400: the API's messages beside the
   * fields; 409: read again — if the version moved, someone else took a step (the page shows the
   * application as it now stands and says so), else the state refused this one (its reason
   * beside the form); 403: not the caller's step (the reason beside the form).
   */
  async function takeStep(f, submitter) {
    const a = st.app;
    if (!a || st.busy) return;
    clearError();
    clearIssues(f.form, f.summary);
    const action = f.collect(submitter);
    const label = a.nextSteps.find((n) => n.step === action.step)?.label ?? action.step;
    st.busy = true;
    for (const b of f.form.querySelectorAll('button')) b.disabled = true;
    showStatus(`正在办理：${label}…`);
    try {
      const view = await api('POST', `/applications/${encodeURIComponent(a.id)}/steps`, { version: a.version, action });
      st.app = view;
      st.views.set(view.id, view);
      st.list = null;
      closeDocument();
      renderApp();
      notice([`已办理：${label}。当前状态：${view.statusLabel}。`, `Done: ${STEP_EN[action.step] ?? action.step}.`], 'ok');
      showStatus(`已办理：${label}。当前状态：${view.statusLabel}。`);
    } catch (err) {
      showStatus('');
      if (err?.status === 409) {
        let fresh;
        try {
          fresh = await api('GET', `/applications/${encodeURIComponent(a.id)}`);
        } catch {
          fresh = undefined;
        }
        if (fresh && fresh.version !== a.version) {
          st.app = fresh;
          st.views.set(fresh.id, fresh);
          closeDocument();
          renderApp();
          notice(
            ['该申请已被他人办理，已重新载入最新内容：请核对后再办理。', 'Someone else changed this application meanwhile: it was reloaded; check it and try again.'],
            'conflict',
            err,
          );
          return;
        }
        showIssues(f.form, f.summary, err);
      } else if (err?.status === 400 || err?.status === 403 || err?.status === 404) showIssues(f.form, f.summary, err);
      else showError(err);
    } finally {
      st.busy = false;
      for (const b of f.form.querySelectorAll('button')) b.disabled = false;
    }
  }

  // ------------------------------------------------------------ wiring

  $('apps-refresh').addEventListener('click', () => void openList());
  $('apps-register-open').addEventListener('click', () => go('#applications/register'));
  $('apps-body').addEventListener('change', () => {
    st.filter = $('apps-body').value;
    void openList();
  });
  $('apps-closed').addEventListener('change', () => {
    if (st.list) renderLists();
    void fillCodes(st.generation);
  });
  $('r-type').addEventListener('change', syncApplicantType);
  $('reg-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void register();
  });
  $('reg-cancel').addEventListener('click', () => go('#applications'));
  $('app-back').addEventListener('click', () => go('#applications'));
  $('app-reload').addEventListener('click', () => st.app && void openApp(st.app.id));
  $('app-doc-close').addEventListener('click', () => {
    const kind = $('app-doc-view').dataset.kind;
    closeDocument();
    document.querySelector(`#app-doc-buttons button[data-kind="${kind}"]`)?.focus();
  });
  $('app-doc-print').addEventListener('click', () => document.getElementById('app-doc-frame')?.contentWindow?.print());

  return { route, reset };
}
