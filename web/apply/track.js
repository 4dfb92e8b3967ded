// 申请办理进度查询: the applicant's tracking page, by tracking code (typed in, or in the
// address after #). Shows the status, the deadline and each step the applicant is told of;
// sends the 补正 asked for (Art. 30) or withdraws. Plain ES module, no outside hosts.
// Everything the API returns is inserted with textContent / DOM nodes, never as HTML.

import { ApiError, loadConfig } from '../shared/api.js';
import { $, el } from '../shared/dom.js';
import { clearFieldErrors } from '../shared/fields.js';
import { publicApi, showDue, showErrors, waitMessage } from './apply.js';

/** The statuses from which the applicant may withdraw (shared/domain/application.ts FROM.withdraw). */
const WITHDRAWABLE = ['RECEIVED', 'AWAITING_COMPLETION', 'CONSULTING', 'PROPOSED'];

let apiUrl = '';
let code = '';
let busy = false;

function say(message) {
  $('global-message').textContent = message;
}

/** A step's instant as the China day and time: 2025-03-04 09:30. */
function chinaTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** An API failure as the `{ zh, en, issues? }` the summaries show. */
function errorOf(err, fallback) {
  if (err instanceof ApiError && err.status === 429) return { zh: waitMessage(err), en: 'Too many requests: wait a while and try again.' };
  if (err instanceof ApiError) return err.body?.error ?? { zh: `${fallback}（${err.status}）` };
  return { zh: `${fallback}：无法连接服务器，请检查网络后重试。`, en: 'Could not reach the server.' };
}

function render(view) {
  code = view.trackingCode;
  $('result').hidden = false;
  $('t-code').textContent = view.trackingCode;
  $('t-body').textContent = view.body?.name ?? view.body?.id ?? '';
  $('t-status').textContent = view.statusLabel ?? view.status;
  $('t-status').dataset.status = view.status;
  $('t-received').textContent = view.receivedOn;
  showDue($('t-due'), view.due);
  $('t-description').textContent = view.description ?? '';
  const answered = Boolean(view.answerType);
  $('t-answer-term').hidden = !answered;
  $('t-answer').hidden = !answered;
  $('t-answer').textContent = view.answerType ?? '';

  // The copies given to this applicant: each link works for minutes (reload the page for new ones).
  const documents = view.documents ?? [];
  $('documents').hidden = documents.length === 0;
  if (documents.length) {
    $('documents-when').textContent =
      `文件仅提供给申请人本人，下载有效期至 ${view.documentsAvailableUntil}；每个下载链接在 ${chinaTime(documents[0].expiresAt)} 前有效，过期请重新查询。`;
    // Only a web address becomes a link (never a javascript: or data: one).
    const safe = (url) => /^https?:\/\//i.test(String(url));
    $('documents-list').replaceChildren(
      ...documents.map((d) => el('li', {}, safe(d.url) ? el('a', { href: d.url, rel: 'noopener noreferrer', text: d.title }) : d.title, d.number ? ` （${d.number}）` : '')),
    );
  }

  const steps = $('t-steps');
  steps.replaceChildren();
  for (const s of view.steps ?? []) {
    steps.append(
      el(
        'li',
        {},
        el('p', { class: 'step-head' }, el('time', { datetime: s.on, text: chinaTime(s.on) }), ' ', el('strong', { text: s.label })),
        el('p', { class: 'step-text', text: s.text }),
      ),
    );
  }
  if (!steps.childElementCount) steps.append(el('li', { text: '暂无办理记录。' }));

  const completion = view.completion;
  $('completion').hidden = !completion;
  if (completion) {
    $('completion-when').textContent =
      `受理机关于 ${completion.requestedOn} 告知需要补正${completion.dueOn ? `，请在 ${completion.dueOn} 前补正` : ''}。无正当理由逾期不补正的，视为放弃申请。需要补正的事项：`;
    $('completion-items').replaceChildren(...completion.items.map((item) => el('li', { text: item })));
  }
  $('withdraw').hidden = !WITHDRAWABLE.includes(view.status);
}

async function lookUp(raw, { focus = true } = {}) {
  const summary = $('lookup-summary');
  clearFieldErrors(summary);
  say('');
  const typed = raw.trim();
  if (!typed) {
    showErrors(summary, { zh: '请输入跟踪码。', issues: [{ field: 'code', zh: '请输入跟踪码。', en: 'Enter the tracking code.' }] });
    return;
  }
  $('lookup').disabled = true;
  try {
    const view = await publicApi(apiUrl, 'GET', `/public/applications/${encodeURIComponent(typed)}`);
    render(view);
    $('f-code').value = view.trackingCode;
    if (location.hash.slice(1) !== view.trackingCode) history.replaceState(null, '', `#${view.trackingCode}`);
    if (focus) $('result-heading').focus();
  } catch (err) {
    $('result').hidden = true;
    const error = errorOf(err, '查询失败');
    showErrors(summary, { ...error, issues: error.issues?.length ? error.issues.map((i) => ({ ...i, field: 'code' })) : [{ field: 'code', zh: error.zh, en: error.en }] });
  } finally {
    $('lookup').disabled = false;
  }
}

/** POSTs one applicant step, then re-renders from the answer and says what happened. */
async function step(summaryId, body, done) {
  if (busy || !code) return;
  const summary = $(summaryId);
  clearFieldErrors(summary);
  say('');
  busy = true;
  for (const b of document.querySelectorAll('#result button')) b.disabled = true;
  try {
    const view = await publicApi(apiUrl, 'POST', `/public/applications/${encodeURIComponent(code)}/steps`, body);
    render(view);
    done();
  } catch (err) {
    showErrors(summary, errorOf(err, '提交失败'));
  } finally {
    busy = false;
    for (const b of document.querySelectorAll('#result button')) b.disabled = false;
  }
}

/** The tracking code after # in the address ('' if none, or not decodable). */
function hashCode() {
  try {
    return decodeURIComponent(location.hash.slice(1)).trim();
  } catch {
    return '';
  }
}

async function start() {
  try {
    apiUrl = (await loadConfig()).apiUrl;
  } catch {
    say('无法读取站点配置（config.json），请稍后再试或联系受理机关。');
    return;
  }
  $('lookup-form').addEventListener('submit', (e) => {
    e.preventDefault();
    lookUp($('f-code').value);
  });
  $('complete-form').addEventListener('submit', (e) => {
    e.preventDefault();
    step('complete-summary', { step: 'complete', supplement: $('f-supplement').value.trim() }, () => {
      $('f-supplement').value = '';
      say('补正已提交，答复期限自今日起重新计算。');
      $('result-heading').focus();
    });
  });
  $('withdraw-form').addEventListener('submit', (e) => {
    e.preventDefault();
    step('withdraw-summary', { step: 'withdraw', reason: $('f-reason').value.trim() }, () => {
      $('f-reason').value = '';
      say('申请已撤回。');
      $('result-heading').focus();
    });
  });
  window.addEventListener('hashchange', () => {
    const fromHash = hashCode();
    if (fromHash && fromHash !== code) {
      $('f-code').value = fromHash;
      lookUp(fromHash);
    }
  });
  const fromHash = hashCode();
  if (fromHash) {
    $('f-code').value = fromHash;
    await lookUp(fromHash, { focus: false });
  }
}

start();
