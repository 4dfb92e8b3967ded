// The drafting units' upload page. Plain ES module, no build step, no outside hosts.
// Everything the API returns is inserted with textContent / DOM nodes, never as HTML.

import { ApiError as ApiFailure, callApi, loadConfig } from '../shared/api.js';
import { $, el } from '../shared/dom.js';
import { clearFieldErrors, inputForField, showFieldIssues } from '../shared/fields.js';

const TOKEN_KEY = 'gongkai.token';
const NON_PUBLIC = ['依申请公开', '不予公开'];
/** Statuses after which the page stops following the draft. */
const FINAL = ['PUBLISHED', 'FILED', 'REJECTED', 'RETURNED'];
/** Statuses where the drafting unit changes the form and submits again. */
const NEEDS_CHANGES = ['REJECTED', 'RETURNED'];
const CONTENT_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain',
  // Scans: their text is recognised by the OCR stage.
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  tif: 'image/tiff',
  tiff: 'image/tiff',
};
const SEVERITIES = [
  ['block', '必须修改', '以下问题必须修改后才能通过审查：'],
  ['warn', '提醒', '以下问题不阻止提交，但请核实：'],
  ['info', '说明', '以下情况供了解：'],
];
const PART_LABELS = { document: '文件正文', interpretation: '解读材料' };
const STATUS_HINTS = {
  AWAITING_UPLOAD: '正在等待文件上传完成。',
  EXTRACTING: '文件已收到，正在提取文字。',
  CHECKING: '正在按公开规则审查。',
  PENDING_APPROVAL: '已通过规则审查，等待审批人审批。',
  REJECTED: '文件被退回。请按下面“必须修改”的提示修改申报表或文件，然后点击“修改后重新提交”。申报表内容已保留。',
  RETURNED: '审批人退回修改。请按意见修改后点击“修改后重新提交”，将作为本文件的新修订版提交。',
  PUBLISHED: '已公开发布。',
  FILED: '已归档（不主动公开），一年后复核。',
};

let apiUrl = '';
let current; // { id, status }
let pollTimer;

// ---------------------------------------------------------------- API

async function api(method, path, body) {
  try {
    return await callApi({ apiUrl, token: sessionStorage.getItem(TOKEN_KEY) }, method, path, body);
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) signOut('登录已失效或令牌无效，请重新登录。');
    throw err;
  }
}

function say(message) {
  $('global-message').textContent = message;
}

// ---------------------------------------------------------------- sign-in

function signOut(message = '') {
  sessionStorage.removeItem(TOKEN_KEY);
  clearTimeout(pollTimer);
  $('app').hidden = true;
  $('signin').hidden = false;
  say(message);
}

async function signIn() {
  $('signin').hidden = true;
  $('app').hidden = false;
  say('');
  try {
    await loadVocabulary();
  } catch (err) {
    if (!(err instanceof ApiFailure && err.status === 401)) say(`无法读取接口说明：${err.message}`);
    return;
  }
  const id = new URLSearchParams(location.search).get('draft');
  if (id && !current) await resume(id);
}

// ---------------------------------------------------------------- the form's vocabulary, from the API's own schema

/** The enums of the CreateDraftRequest schema (GET /openapi.json), so the lists never drift from the API. */
async function loadVocabulary() {
  const doc = await api('GET', '/openapi.json');
  const schema = doc.paths['/drafts'].post.requestBody.content['application/json'].schema;
  const form = schema.properties.form;
  const attached = (form.properties.interpretation.oneOf ?? form.properties.interpretation.anyOf ?? []).find((s) => s.properties?.mode?.const === 'attached');
  const enums = {
    documentType: form.properties.documentType.enum,
    attribute: form.properties.attribute.enum,
    domain: form.properties.domain.enum,
    category: form.properties.category.enum,
    interpretationFormat: attached?.properties?.format?.enum ?? [],
  };
  const defaults = { interpretationFormat: attached?.properties?.format?.default };
  const required = new Set(form.required ?? []);
  for (const select of document.querySelectorAll('select[data-enum]')) {
    const name = select.dataset.enum;
    const kept = select.value;
    select.replaceChildren();
    if (defaults[name] === undefined) select.append(el('option', { value: '', text: '请选择' }));
    for (const value of enums[name] ?? []) select.append(el('option', { value, text: value }));
    select.value = kept || defaults[name] || '';
  }
  for (const input of document.querySelectorAll('[data-field^="form."]')) {
    const top = input.dataset.field.split('.')[1];
    if (required.has(top) && top !== 'contact') input.setAttribute('aria-required', 'true');
  }
  $('f-contactName').setAttribute('aria-required', 'true');
  $('f-contactPhone').setAttribute('aria-required', 'true');
  $('f-documentFile').setAttribute('aria-required', 'true');
  syncConditional();
}

// ---------------------------------------------------------------- conditional fields

let modeChosen = false;

function syncConditional() {
  $('nonpublic').hidden = !NON_PUBLIC.includes($('f-attribute').value);
  const mode = $('f-interpretationMode');
  if (!modeChosen && $('f-isPolicy').value) mode.value = $('f-isPolicy').value === 'true' ? 'attached' : 'not-needed';
  $('interp-attached').hidden = mode.value !== 'attached';
  $('interp-not-needed').hidden = mode.value !== 'not-needed';
}

// ---------------------------------------------------------------- errors beside the fields

/** The input an issue's field belongs to; a hidden conditional field points at the control that reveals it. */
function inputFor(field) {
  const best = inputForField(field);
  if (best?.closest('[hidden]')) {
    if (best.dataset.field.startsWith('form.interpretation') || best.dataset.field.startsWith('files.interpretation')) return $('f-interpretationMode');
    if (['form.nonPublicReason', 'form.legalBasis'].includes(best.dataset.field)) return $('f-attribute');
  }
  return best;
}

const clearErrors = () => clearFieldErrors($('form-summary'));
const showIssues = (error) => showFieldIssues($('form-summary'), error, { fallback: '提交失败，请检查申报表。', inputFor });

// ---------------------------------------------------------------- the request

function fileSpec(file) {
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  return { fileName: file.name, contentType: CONTENT_TYPES[ext] ?? file.type ?? 'application/octet-stream', size: file.size };
}

function buildRequest() {
  const v = (id) => $(id).value.trim();
  const form = {
    title: v('f-title'),
    draftingUnit: v('f-draftingUnit'),
    documentDate: v('f-documentDate'),
    contact: { name: v('f-contactName'), phone: v('f-contactPhone') },
  };
  if (v('f-documentNumber')) form.documentNumber = v('f-documentNumber');
  if (v('f-documentType')) form.documentType = v('f-documentType');
  if (v('f-isPolicy')) form.isPolicy = v('f-isPolicy') === 'true';
  if (v('f-attribute')) form.attribute = v('f-attribute');
  if (v('f-domain')) form.domain = v('f-domain');
  if (v('f-category')) form.category = v('f-category');
  if (NON_PUBLIC.includes(form.attribute)) {
    if (v('f-nonPublicReason')) form.nonPublicReason = v('f-nonPublicReason');
    if (v('f-legalBasis')) form.legalBasis = v('f-legalBasis');
  }
  const mode = v('f-interpretationMode');
  const files = {};
  const chosen = {};
  const documentFile = $('f-documentFile').files[0];
  if (documentFile) {
    files.document = fileSpec(documentFile);
    chosen.document = documentFile;
  }
  if (mode === 'attached') {
    form.interpretation = { mode, ...(v('f-interpretationFormat') ? { format: v('f-interpretationFormat') } : {}) };
    const interpretationFile = $('f-interpretationFile').files[0];
    if (interpretationFile) {
      files.interpretation = fileSpec(interpretationFile);
      chosen.interpretation = interpretationFile;
    }
  } else if (mode === 'not-needed') {
    form.interpretation = { mode, reason: v('f-interpretationReason') };
  }
  return { body: { form, files }, chosen };
}

/** Fills the form from a draft's declaration (opening the page on ?draft=…); files must be chosen again. */
function fillForm(f) {
  const set = (id, value) => {
    $(id).value = value ?? '';
  };
  set('f-title', f.title);
  set('f-draftingUnit', f.draftingUnit);
  set('f-documentNumber', f.documentNumber);
  set('f-documentType', f.documentType);
  set('f-documentDate', f.documentDate);
  set('f-domain', f.domain);
  set('f-category', f.category);
  set('f-attribute', f.attribute);
  set('f-nonPublicReason', f.nonPublicReason);
  set('f-legalBasis', f.legalBasis);
  set('f-isPolicy', f.isPolicy === undefined ? '' : String(f.isPolicy));
  set('f-interpretationMode', f.interpretation?.mode);
  modeChosen = Boolean(f.interpretation?.mode);
  if (f.interpretation?.mode === 'attached') set('f-interpretationFormat', f.interpretation.format);
  if (f.interpretation?.mode === 'not-needed') set('f-interpretationReason', f.interpretation.reason);
  set('f-contactName', f.contact?.name);
  set('f-contactPhone', f.contact?.phone);
  syncConditional();
}

/** Opening the page with ?draft=<id> follows that draft, with its declaration in the form. */
async function resume(id) {
  try {
    const view = await api('GET', `/drafts/${encodeURIComponent(id)}`);
    fillForm(view.form ?? {});
    showDraft(view);
    if (NEEDS_CHANGES.includes(view.status)) say('申报表已按原提交内容填好，请重新选择要上传的文件后修改并提交。');
    if (!FINAL.includes(view.status)) follow(view.id);
  } catch (err) {
    if (!(err instanceof ApiFailure && err.status === 401)) say(`无法读取文件 ${id}：${err.message}`);
  }
}

// ---------------------------------------------------------------- uploads

function progressRow(part, file) {
  const id = `progress-${part}`;
  const label = el('label', { for: id, text: `${PART_LABELS[part] ?? part}：${file.name}` });
  const bar = el('progress', { id, max: '100', value: '0' });
  const pct = el('span', { id: `${id}-text`, class: 'pct', 'aria-live': 'polite', text: '0 %' });
  $('progress-list').append(el('div', { class: 'progress-row' }, label, bar, pct));
  return (percent) => {
    bar.value = percent;
    pct.textContent = `${percent} %`;
  };
}

/** POSTs the file to the presigned upload: the policy fields first, then the file as "file". */
function upload(target, file, setProgress) {
  return new Promise((resolve, reject) => {
    const data = new FormData();
    for (const [k, val] of Object.entries(target.fields)) data.append(k, val);
    data.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', target.url);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) setProgress(Math.min(99, Math.floor((e.loaded / e.total) * 100)));
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        setProgress(100);
        resolve();
      } else reject(new Error(`上传失败（${xhr.status}）`));
    });
    xhr.addEventListener('error', () => reject(new Error('上传失败：网络错误')));
    xhr.send(data);
  });
}

// ---------------------------------------------------------------- following the draft

/** Where a finding's evidence comes from, in words: a form field's label, the document or the interpretation. */
function whereLabel(where) {
  if (where === 'document' || where === 'interpretation') return PART_LABELS[where];
  const input = where.startsWith('form.') ? inputFor(where) : undefined;
  const label = input && document.querySelector(`label[for="${input.id}"]`)?.firstChild?.textContent?.trim();
  return label ? `申报表“${label}”` : where;
}

function renderFindings(findings, heading, checked) {
  const box = $('findings');
  box.replaceChildren();
  if (!findings.length) {
    if (checked) box.append(el('p', { text: '规则审查未发现问题。' }));
    return;
  }
  box.append(el('h3', { text: heading }));
  for (const [severity, title, intro] of SEVERITIES) {
    const group = findings.filter((f) => f.severity === severity);
    if (!group.length) continue;
    const section = el('section', { class: `severity severity-${severity}` });
    section.append(el('h4', { text: `${title}（${group.length}）` }), el('p', { text: intro }));
    const list = el('ul', { class: 'finding-list' });
    for (const f of group) {
      const item = el('li', { class: 'finding', 'data-rule': f.ruleId });
      item.append(el('p', { class: 'rule' }, el('strong', { text: f.ruleId })));
      item.append(el('p', { class: 'zh', text: f.zh }));
      if (f.en) item.append(el('p', { class: 'en', lang: 'en', text: f.en }));
      if (f.source) item.append(el('p', { class: 'source', text: `依据：${f.source}` }));
      const evidence = (f.evidence ?? []).filter((e) => e.text);
      if (evidence.length) {
        const ev = el('ul', { class: 'evidence', 'aria-label': '原文摘录' });
        for (const e of evidence) ev.append(el('li', {}, el('span', { class: 'where', text: `${whereLabel(e.in)}：` }), el('q', { text: e.text })));
        item.append(ev);
      }
      list.append(item);
    }
    section.append(list);
    box.append(section);
  }
}

/** Says when a file was (or is being) read by OCR, and which pages to check against the original. */
function renderOcr(files) {
  const box = $('ocr-note');
  box.replaceChildren();
  for (const [part, f] of Object.entries(files)) {
    const ocr = f?.ocr;
    if (!ocr) continue;
    const label = PART_LABELS[part] ?? part;
    // The page lists come worded by the API (ocr.text: shared/page-ranges.ts), as every other place shows them.
    const { pages, check, pending } = ocr.text;
    if (pending) {
      box.append(el('p', { text: `${label}第 ${pending} 页没有文字层（扫描件或图片），正在进行文字识别（OCR）。` }));
      continue;
    }
    if (!pages) continue;
    const p = el('p', { 'data-part': part, text: `${label}第 ${pages} 页的文字由文字识别（OCR${ocr.engine ? `，${ocr.engine}` : ''}）读取，请对照原件核对。` });
    if (check) p.append(el('br'), el('strong', { class: 'ocr-check', text: `请重点核对第 ${check} 页（识别置信度低或未识别出文字）。` }));
    p.append(el('br'), el('span', { class: 'en', lang: 'en', text: `Read by OCR: page(s) ${pages}${check ? `; please check page(s) ${check}` : ''}.` }));
    box.append(p);
  }
  box.hidden = box.childElementCount === 0;
}

function showDraft(view) {
  current = { id: view.id, status: view.status };
  $('status-section').hidden = false;
  $('draft-id').textContent = view.id;
  if (view.form?.title !== undefined) $('draft-title').textContent = view.form.title;
  $('draft-status').textContent = view.statusLabel ?? view.status;
  $('draft-status').dataset.status = view.status;
  $('status-hint').textContent = STATUS_HINTS[view.status] ?? '';
  const reason = view.decision?.reason;
  if (reason && NEEDS_CHANGES.includes(view.status)) $('status-hint').append(el('br'), `审批意见：`, el('span', { text: reason }));
  const findings = view.findings ?? [];
  const preflightOnly = Boolean(view.preflight) && !findings.length;
  const checked = !['AWAITING_UPLOAD', 'EXTRACTING', 'CHECKING'].includes(view.status);
  renderFindings(preflightOnly ? view.preflight : findings, preflightOnly ? '预检结果（仅根据申报表，文件审查后更新）' : '审查结果', checked);
  renderOcr(view.files ?? {});
  const changes = NEEDS_CHANGES.includes(view.status);
  $('resubmit').hidden = !changes;
  $('submit').textContent = changes ? '修改后重新提交' : '提交申报';
}

function follow(id, delay = 1000) {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(async () => {
    try {
      const view = await api('GET', `/drafts/${encodeURIComponent(id)}`);
      showDraft(view);
      if (!FINAL.includes(view.status)) follow(id, view.status === 'PENDING_APPROVAL' || view.status === 'SCHEDULED' ? 3000 : 1000);
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) return;
      $('status-hint').textContent = `暂时无法获取状态（${err.message}），稍后重试。`;
      follow(id, 5000);
    }
  }, delay);
}

// ---------------------------------------------------------------- submit

let busy = false;

async function submit() {
  if (busy) return;
  clearErrors();
  say('');
  const { body, chosen } = buildRequest();
  if (!chosen.document) {
    showIssues({ zh: '请选择要上传的文件正文。', issues: [{ field: 'files.document', zh: '请选择文件正文（PDF、Word .docx 或纯文本）', en: 'choose the document file' }] });
    return;
  }
  busy = true;
  $('submit').disabled = true;
  $('resubmit').disabled = true;
  try {
    const revise = current && current.status === 'RETURNED';
    let created;
    try {
      created = await api('POST', revise ? `/drafts/${encodeURIComponent(current.id)}/revisions` : '/drafts', body);
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 400) {
        showIssues(err.body?.error);
        return;
      }
      if (err instanceof ApiFailure && err.status === 401) return;
      say(`提交失败：${err.message}`);
      return;
    }
    clearTimeout(pollTimer);
    history.replaceState(null, '', `?draft=${encodeURIComponent(created.id)}`);
    showDraft({ id: created.id, status: created.status, statusLabel: '等待上传', form: body.form, findings: [], preflight: created.preflight ?? [] });
    $('progress-section').hidden = false;
    $('progress-list').replaceChildren();
    try {
      await Promise.all(created.uploads.map((target) => upload(target, chosen[target.part], progressRow(target.part, chosen[target.part]))));
    } catch (err) {
      say(`${err.message}。请检查网络后重新提交。`);
      return;
    }
    $('status-hint').textContent = '文件已上传，正在处理。';
    follow(created.id, 500);
  } finally {
    busy = false;
    $('submit').disabled = false;
    $('resubmit').disabled = false;
  }
}

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
    signIn();
  });
  $('signout').addEventListener('click', () => signOut('已退出登录。'));
  for (const id of ['f-attribute', 'f-isPolicy']) $(id).addEventListener('change', syncConditional);
  $('f-interpretationMode').addEventListener('change', () => {
    modeChosen = true;
    syncConditional();
  });
  $('draft-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  $('resubmit').addEventListener('click', () => submit());
  if (sessionStorage.getItem(TOKEN_KEY)) await signIn();
}

start();
