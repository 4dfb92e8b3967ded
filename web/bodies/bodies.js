// The platform administrator's page: the publishing bodies (公开主体) of the platform.
// Plain ES module, no build step, no outside hosts. Everything the API returns is inserted
// with textContent / DOM nodes, never as HTML.

import { ApiError as ApiFailure, callApi, loadConfig } from '../shared/api.js';
import { $, el } from '../shared/dom.js';
import { clearFieldErrors, showFieldIssues } from '../shared/fields.js';

const TOKEN_KEY = 'gongkai.token';
const KIND_LABELS = { government: '人民政府', office: '政府办公室', department: '部门', township: '乡镇、街道', other: '其他' };
const ACTION_LABELS = { created: '新增', updated: '修改', bootstrapped: '由单主体设置生成' };
const FIELD_LABELS = { name: '名称', code: '索引号代码', kind: '类型', parent: '上级主体', units: '起草单位', guide: '指南', system: '制度', contact: '联系方式' };

let apiUrl = '';
let bodies = [];
/** The body being edited ({ id, version }), or undefined while adding one. */
let editing;

async function api(method, path, body) {
  try {
    return await callApi({ apiUrl, token: sessionStorage.getItem(TOKEN_KEY) }, method, path, body);
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) signOut('登录已失效或令牌无效，请重新登录。');
    throw err;
  }
}

const say = (message) => {
  $('global-message').textContent = message;
};

// ---------------------------------------------------------------- sign-in

function signOut(message = '') {
  sessionStorage.removeItem(TOKEN_KEY);
  $('app').hidden = true;
  $('signin').hidden = false;
  say(message);
}

async function signIn() {
  $('signin').hidden = true;
  $('app').hidden = false;
  say('');
  await loadList();
}

// ---------------------------------------------------------------- the list

async function loadList() {
  $('list-status').textContent = '正在读取…';
  try {
    bodies = (await api('GET', '/bodies')).bodies;
  } catch (err) {
    $('list-status').textContent = '';
    if (!(err instanceof ApiFailure && err.status === 401)) say(`无法读取公开主体：${err.message}`);
    return;
  }
  const rows = bodies.map((b) => {
    const open = el('button', { type: 'button', class: 'link', text: b.name });
    open.addEventListener('click', () => edit(b.id));
    return el(
      'tr',
      {},
      el('td', {}, open),
      el('td', { text: KIND_LABELS[b.kind] ?? b.kind }),
      el('td', { text: b.parentName ?? (b.parent ? b.parent : '（顶层主体）') }),
      el('td', { text: b.code }),
      el('td', { text: String(b.units.length) }),
      el('td', { text: String(b.version) }),
    );
  });
  $('bodies').tBodies[0].replaceChildren(...rows);
  $('list-status').textContent = `共 ${bodies.length} 个公开主体。`;
}

// ---------------------------------------------------------------- the form

function fillParents(selfId) {
  const select = $('b-parent');
  select.replaceChildren(el('option', { value: '', text: '（无：顶层主体）' }));
  for (const b of bodies) if (b.id !== selfId) select.append(el('option', { value: b.id, text: b.name }));
}

function fill(b) {
  $('b-id').value = b?.id ?? '';
  $('b-id').readOnly = Boolean(b);
  $('b-name').value = b?.name ?? '';
  $('b-code').value = b?.code ?? '';
  $('b-kind').value = b?.kind ?? 'department';
  fillParents(b?.id);
  $('b-parent').value = b ? (b.parent ?? '') : (bodies.find((x) => !x.parent)?.id ?? '');
  $('b-units').value = (b?.units ?? []).join('\n');
  $('b-office').value = b?.contact.office ?? '';
  $('b-address').value = b?.contact.address ?? '';
  $('b-postcode').value = b?.contact.postcode ?? '';
  $('b-phone').value = b?.contact.phone ?? '';
  $('b-officeHours').value = b?.contact.officeHours ?? '';
  $('b-guide').value = b?.guide ?? '# 政府信息公开指南\n\n';
  $('b-system').value = b?.system ?? '# 政府信息公开制度\n\n';
}

function showAudit(lines) {
  $('audit-section').hidden = !lines;
  $('audit').replaceChildren(
    ...(lines ?? [])
      .slice()
      .reverse()
      .map((l) => {
        const li = el('li', { text: `第 ${l.version} 版 · ${l.at.slice(0, 19).replace('T', ' ')} UTC · ${l.by.name} · ${ACTION_LABELS[l.action] ?? l.action}` });
        if (l.changes.length) {
          const ul = el('ul');
          for (const c of l.changes) ul.append(el('li', { text: `${FIELD_LABELS[c.field] ?? c.field}：${c.before ?? '（无）'} → ${c.after ?? '（无）'}` }));
          li.append(ul);
        }
        return li;
      }),
  );
}

async function edit(id) {
  clearErrors();
  $('form-saved').textContent = '';
  let b;
  try {
    b = await api('GET', `/bodies/${encodeURIComponent(id)}`);
  } catch (err) {
    if (!(err instanceof ApiFailure && err.status === 401)) say(`无法读取该主体：${err.message}`);
    return;
  }
  editing = { id: b.id, version: b.version };
  fill(b);
  showAudit(b.audit);
  $('form-heading').textContent = `公开主体：${b.name}`;
  $('body-form').hidden = false;
  $('b-name').focus();
}

function add() {
  clearErrors();
  $('form-saved').textContent = '';
  editing = undefined;
  fill(undefined);
  showAudit(undefined);
  $('form-heading').textContent = '新增公开主体';
  $('body-form').hidden = false;
  $('b-id').focus();
}

function readForm() {
  const optional = (v) => (v.trim() === '' ? undefined : v.trim());
  const contact = { office: $('b-office').value.trim(), address: $('b-address').value.trim(), phone: $('b-phone').value.trim() };
  if (optional($('b-postcode').value)) contact.postcode = optional($('b-postcode').value);
  if (optional($('b-officeHours').value)) contact.officeHours = optional($('b-officeHours').value);
  const fields = {
    name: $('b-name').value.trim(),
    code: $('b-code').value.trim(),
    kind: $('b-kind').value,
    units: $('b-units')
      .value.split('\n')
      .map((u) => u.trim())
      .filter(Boolean),
    contact,
    guide: $('b-guide').value,
    system: $('b-system').value,
  };
  if ($('b-parent').value) fields.parent = $('b-parent').value;
  return fields;
}

let busy = false;
async function save() {
  if (busy) return;
  busy = true;
  $('save').disabled = true;
  clearErrors();
  $('form-saved').textContent = '';
  try {
    const fields = readForm();
    const saved = editing
      ? await api('POST', `/bodies/${encodeURIComponent(editing.id)}`, { ...fields, version: editing.version })
      : await api('POST', '/bodies', { ...fields, id: $('b-id').value.trim() });
    editing = { id: saved.id, version: saved.version };
    fill(saved);
    showAudit(saved.audit);
    $('form-heading').textContent = `公开主体：${saved.name}`;
    $('form-saved').textContent = `已保存（第 ${saved.version} 版）。`;
    await loadList();
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return;
    showIssues(err instanceof ApiFailure ? err.body?.error : { zh: err.message });
  } finally {
    busy = false;
    $('save').disabled = false;
  }
}

// ---------------------------------------------------------------- errors beside the fields

const clearErrors = () => clearFieldErrors($('form-summary'));
const showIssues = (error) => showFieldIssues($('form-summary'), error, { fallback: '保存失败。' });

// ---------------------------------------------------------------- start

async function start() {
  try {
    apiUrl = (await loadConfig()).apiUrl;
  } catch {
    say('无法读取站点配置（config.json），请联系管理员。');
    return;
  }
  $('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token').value.trim();
    if (!token) {
      say('请输入身份令牌。');
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token').value = '';
    void signIn();
  });
  $('signout').addEventListener('click', () => signOut('已退出登录。'));
  $('new-body').addEventListener('click', add);
  $('cancel').addEventListener('click', () => {
    $('body-form').hidden = true;
    clearErrors();
  });
  $('body-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void save();
  });
  if (sessionStorage.getItem(TOKEN_KEY)) await signIn();
}

void start();
