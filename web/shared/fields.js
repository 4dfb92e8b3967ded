// The web apps' one way to show the API's field messages beside the fields (the upload page and
// the bodies page share it): each input names its request field in data-field; an issue's
// field ("form.title", "contact.phone", "units.2"…) goes to the input with the longest matching
// name, its Chinese message and English gloss below it, linked by aria-describedby and marked
// aria-invalid; the form's summary lists them all.

import { el } from './dom.js';

const errorId = (input) => `${input.id}-error`;

/** The input of `root` an issue's field belongs to: the longest data-field that is the field or its prefix. */
export function inputForField(field, root = document) {
  let best;
  for (const input of root.querySelectorAll('[data-field]')) {
    const f = input.dataset.field;
    if ((field === f || field.startsWith(`${f}.`)) && (!best || f.length > best.dataset.field.length)) best = input;
  }
  return best;
}

/** Removes every field message and the summary's content. */
export function clearFieldErrors(summary) {
  for (const p of document.querySelectorAll('.error')) p.remove();
  for (const input of document.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((i) => i && i !== errorId(input));
    if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
    else input.removeAttribute('aria-describedby');
  }
  summary.hidden = true;
  summary.replaceChildren();
}

function showIssue(input, issue) {
  const id = errorId(input);
  let p = document.getElementById(id);
  if (!p) {
    p = el('p', { id, class: 'error' });
    input.insertAdjacentElement('afterend', p);
  }
  const line = el('span', { class: 'error-line' }, el('span', { text: issue.zh }));
  if (issue.en && issue.en !== issue.zh) line.append(' ', el('span', { lang: 'en', class: 'en', text: issue.en }));
  p.append(line);
  input.setAttribute('aria-invalid', 'true');
  const ids = new Set((input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  ids.add(id);
  input.setAttribute('aria-describedby', [...ids].join(' '));
}

/**
 * Shows the API's error (`{ zh, en, issues }`) in `summary` and beside each field; `inputFor`
 * maps a field to its input (default inputForField). Focuses the first field with a message,
 * else the summary. Returns that first input, if any.
 */
export function showFieldIssues(summary, error, { fallback = '提交失败，请检查后重试。', inputFor = (f) => inputForField(f) } = {}) {
  const head = el('p', { text: error?.zh ?? fallback });
  if (error?.en && error.en !== error.zh) head.append(' ', el('span', { lang: 'en', class: 'en', text: error.en }));
  summary.replaceChildren(head);
  const list = el('ul');
  let first;
  for (const issue of error?.issues ?? []) {
    const input = inputFor(issue.field);
    const label = input ? document.querySelector(`label[for="${input.id}"]`)?.firstChild?.textContent?.trim() : undefined;
    list.append(el('li', { text: `${label ?? issue.field}：${issue.zh}` }));
    if (input) {
      showIssue(input, issue);
      first ??= input;
    }
  }
  if (list.childElementCount) summary.append(list);
  summary.hidden = false;
  if (first) first.focus();
  else {
    summary.setAttribute('tabindex', '-1');
    summary.focus();
  }
  return first;
}
