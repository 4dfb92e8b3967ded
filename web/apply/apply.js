// 政府信息公开申请 (依申请公开, 《政府信息公开条例》第二十七条至第三十三条): the public's
// application form, with no account. Plain ES module, no build step, no outside hosts.
// Everything the API returns is inserted with textContent / DOM nodes, never as HTML.
//
// It also exports the few things the tracking page (track.js) shares with it: the public
// API call (no token: the routes are public), the site configuration and the deadline in
// words. The form only starts on the page that has it.

import { ApiError, callApi, loadConfig } from '../shared/api.js';
import { $, el } from '../shared/dom.js';
import { clearFieldErrors, inputForField, showFieldIssues } from '../shared/fields.js';

// ---------------------------------------------------------------- shared with track.js

/** Calls a public route (no token): JSON in and out; rejects with ApiError, a 429's with `retryAfter`. */
export const publicApi = (apiUrl, method, path, body) => callApi({ apiUrl }, method, path, body);

/** The message for a 429: how long to wait, in minutes when it is a while. */
export function waitMessage(err) {
  const s = err.retryAfter;
  const when = !s ? '稍后' : s < 90 ? `约 ${Math.ceil(s)} 秒后` : `约 ${Math.ceil(s / 60)} 分钟后`;
  return `操作过于频繁，请${when}再试。为防止滥用，同一网络在一小时内可提交的次数有限；已填写的内容保留在本页，无需重新填写。`;
}

/**
 * The deadline (TrackingView.due) in words: `{ text, en? }`, and `dueOn` when a day is due.
 * 答复期限 runs 20 working days from receipt (Art. 33), stops for 补正 (Art. 30) and pauses
 * while a third party is consulted (Art. 32).
 */
export function dueText(due) {
  switch (due?.kind) {
    case 'due':
      return { dueOn: due.dueOn, text: `答复期限：${due.dueOn} 前（自收到申请之日起 ${due.workingDays} 个工作日）` };
    case 'stopped':
      return { text: `答复期限自 ${due.since} 起中止：等待申请人补正。收到补正后的申请之日起重新计算 20 个工作日。` };
    case 'paused':
      return {
        text: `自 ${due.since} 起征求第三方意见${due.until ? `（最迟至 ${due.until}）` : ''}，所需时间不计算在答复期限内；征求意见结束后答复期限继续计算。`,
      };
    case 'closed':
      return { text: '办理已结束，不再计算答复期限。' };
    case 'uncovered':
      return { text: due.message?.zh ?? '答复期限暂时无法计算，将由受理机关另行告知。', en: due.message?.en };
    default:
      return { text: '答复期限暂时无法显示。' };
  }
}

/** Fills `node` with the deadline in words (the English gloss in its own lang="en" span). */
export function showDue(node, due) {
  const d = dueText(due);
  node.replaceChildren(el('span', { text: d.text }));
  if (d.en && d.en !== d.text) node.append(' ', el('span', { lang: 'en', class: 'en', text: d.en }));
  if (d.dueOn) node.dataset.dueOn = d.dueOn;
  else delete node.dataset.dueOn;
  node.dataset.kind = due?.kind ?? '';
}

/**
 * Shows an API error in `summary` and beside the fields (fields.js), then moves the focus to
 * the summary, whose list links to each field with a message.
 */
export function showErrors(summary, error, fallback) {
  showFieldIssues(summary, error, { fallback });
  const list = summary.querySelector('ul');
  if (list) {
    list.replaceChildren();
    for (const issue of error?.issues ?? []) {
      const input = inputForField(issue.field);
      const label = input ? document.querySelector(`label[for="${input.id}"]`)?.firstChild?.textContent?.trim() : undefined;
      const line = `${label ?? issue.field}：${issue.zh}`;
      if (input && !input.closest('[hidden]')) {
        const link = el('a', { href: `#${input.id}`, text: line });
        link.addEventListener('click', (e) => {
          e.preventDefault();
          input.focus();
        });
        list.append(el('li', {}, link));
      } else list.append(el('li', { text: line }));
    }
  }
  summary.setAttribute('tabindex', '-1');
  summary.focus();
}

// ---------------------------------------------------------------- the form

const ORGANISATION = '法人或其他组织';
const DEFAULT_ID_TYPE = { 公民: '居民身份证', [ORGANISATION]: '统一社会信用代码' };

let apiUrl = '';
let busy = false;

function say(message) {
  $('global-message').textContent = message;
}

/** The body field: a select when config.json lists the bodies, else the text field, from ?body=. */
function setUpBody(bodies, wanted) {
  const list = Array.isArray(bodies) ? bodies.filter((b) => b && typeof b.id === 'string') : [];
  const input = $('f-body');
  if (!list.length) {
    input.value = wanted;
    return;
  }
  const select = el('select', { id: 'f-body', name: 'body', 'data-field': 'body' });
  if (list.length > 1) select.append(el('option', { value: '', text: '请选择' }));
  for (const b of list) select.append(el('option', { value: b.id, text: String(b.name ?? b.id) }));
  select.value = list.some((b) => b.id === wanted) ? wanted : list.length === 1 ? list[0].id : '';
  input.replaceWith(select);
  $('f-body-help').remove();
  const label = document.querySelector('label[for="f-body"]');
  label.firstChild.textContent = '受理机关 ';
}

function syncApplicantType() {
  const org = $('f-type').value === ORGANISATION;
  $('org-kind-field').hidden = !org;
  $('representative-field').hidden = !org;
  $('name-label').textContent = org ? '名称' : '姓名';
  $('f-name').setAttribute('autocomplete', org ? 'organization' : 'name');
  // The usual identity document follows the type, unless the applicant chose another.
  const idType = $('f-idType');
  if (Object.values(DEFAULT_ID_TYPE).includes(idType.value)) idType.value = DEFAULT_ID_TYPE[$('f-type').value];
}

/** The request as ApplicationInput: trimmed, empty optionals left out, organisation fields only for organisations. */
/** Looks up the body's filed 依申请公开 documents (title and number only) and offers each to choose. */
async function searchDocuments() {
  const status = $('doc-results-status');
  const list = $('doc-results');
  const body = $('f-body').value.trim();
  if (!body) {
    status.textContent = '请先填写受理机关。';
    return;
  }
  $('doc-search').disabled = true;
  status.textContent = '正在查找…';
  try {
    const q = $('f-doc-q').value.trim();
    const found = await publicApi(apiUrl, 'GET', `/public/documents?body=${encodeURIComponent(body)}${q ? `&q=${encodeURIComponent(q)}` : ''}`);
    list.replaceChildren(
      ...found.documents.map((d) => {
        const label = d.number ? `${d.title}（${d.number}）` : d.title;
        const choose = el('button', { type: 'button', class: 'link-button', text: `选择：${label}` });
        choose.addEventListener('click', () => {
          $('f-documentId').value = d.id;
          $('f-documentId-chosen').textContent = `已选择：${label}`;
          if (!$('f-description').value.trim()) $('f-description').value = `申请公开《${d.title}》${d.number ? `（${d.number}）` : ''}`;
          $('f-documentId').focus();
        });
        return el('li', {}, choose);
      }),
    );
    status.textContent = found.documents.length
      ? `找到 ${found.total} 件${found.total > found.documents.length ? `，显示前 ${found.documents.length} 件，请用更具体的名称或文号查找` : ''}。`
      : '没有找到符合的文件。也可以不选择文件，直接在上面描述所需的信息。';
  } catch (err) {
    status.textContent = err instanceof ApiError && err.status === 429 ? waitMessage(err) : (err?.body?.error?.zh ?? '查找失败，请稍后再试。');
  } finally {
    $('doc-search').disabled = false;
  }
}

function buildRequest() {
  const v = (id) => $(id).value.trim();
  const org = v('f-type') === ORGANISATION;
  const applicant = { type: v('f-type'), name: v('f-name') };
  if (org && v('f-organisationKind')) applicant.organisationKind = v('f-organisationKind');
  if (org && v('f-representative')) applicant.representative = v('f-representative');
  applicant.idType = v('f-idType');
  applicant.idNumber = v('f-idNumber');
  applicant.phone = v('f-phone');
  for (const [key, id] of [
    ['email', 'f-email'],
    ['address', 'f-address'],
    ['postcode', 'f-postcode'],
  ])
    if (v(id)) applicant[key] = v(id);
  const request = { description: v('f-description') };
  if (v('f-documentId')) request.documentId = v('f-documentId');
  if (v('f-purpose')) request.purpose = v('f-purpose');
  const body = { body: v('f-body'), applicant, request };
  // The identity document's copy is declared here and uploaded after submission (a presigned form).
  const file = $('f-idCopy').files?.[0];
  if (file) body.idCopy = { fileName: file.name, contentType: file.type || 'application/octet-stream', size: file.size };
  // An unchosen select is left out: the API says which choice is missing.
  if (v('f-delivery')) body.delivery = v('f-delivery');
  if (v('f-format')) body.format = v('f-format');
  return body;
}

/** Posts the identity document's copy to its presigned form; says whether it arrived. */
async function uploadIdCopy(upload) {
  const note = $('receipt-upload');
  note.hidden = false;
  note.textContent = '正在上传身份证明复印件…';
  const file = $('f-idCopy').files?.[0];
  try {
    const form = new FormData();
    for (const [k, value] of Object.entries(upload.fields ?? {})) form.append(k, value);
    form.append('file', file);
    const res = await fetch(upload.url, { method: 'POST', body: form });
    if (!res.ok) throw new Error(String(res.status));
    note.textContent = '身份证明复印件已上传。Identity document copy uploaded.';
  } catch {
    note.textContent =
      '申请已提交，但身份证明复印件上传失败；受理机关需要时会联系您补交。The application is in, but the copy did not upload: the office will ask for it if needed.';
  }
}

function showReceipt(receipt) {
  $('apply-form').hidden = true;
  $('receipt').hidden = false;
  $('tracking-code').textContent = receipt.trackingCode;
  $('receipt-body').textContent = receipt.body?.name ?? receipt.body?.id ?? '';
  $('receipt-received').textContent = receipt.receivedOn;
  showDue($('receipt-due'), receipt.due);
  const path = typeof receipt.trackingPath === 'string' && /^track\.html#[A-Z0-9-]+$/.test(receipt.trackingPath) ? receipt.trackingPath : `track.html#${receipt.trackingCode}`;
  $('receipt-link').setAttribute('href', path);
  $('receipt-heading').focus();
}

async function submit() {
  if (busy) return;
  const summary = $('form-summary');
  clearFieldErrors(summary);
  say('');
  busy = true;
  $('submit').disabled = true;
  try {
    const receipt = await publicApi(apiUrl, 'POST', '/public/applications', buildRequest());
    showReceipt(receipt);
    if (receipt.idCopyUpload) await uploadIdCopy(receipt.idCopyUpload);
  } catch (err) {
    if (err instanceof ApiError && err.status === 429) showErrors(summary, { zh: waitMessage(err), en: 'Too many requests: wait a while and submit again.' });
    else if (err instanceof ApiError) showErrors(summary, err.body?.error, `提交失败（${err.status}），请检查后重试。`);
    else showErrors(summary, { zh: '提交失败：无法连接服务器，请检查网络后重试。', en: 'Could not reach the server.' });
  } finally {
    busy = false;
    $('submit').disabled = false;
  }
}

async function start() {
  let config;
  try {
    config = await loadConfig();
  } catch {
    say('无法读取站点配置（config.json），请稍后再试或联系受理机关。');
    $('submit').disabled = true;
    return;
  }
  apiUrl = config.apiUrl;
  const params = new URLSearchParams(location.search);
  setUpBody(config.bodies, params.get('body') ?? '');
  const documentId = params.get('document');
  if (documentId) $('f-documentId').value = documentId;
  $('doc-search').addEventListener('click', () => void searchDocuments());
  $('f-doc-q').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void searchDocuments();
    }
  });
  $('f-type').addEventListener('change', syncApplicantType);
  syncApplicantType();
  $('apply-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
}

if (document.getElementById('apply-form')) start();
