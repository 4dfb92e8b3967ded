// 政府信息公开工作年度报告 in the console (issue 13): the information centre reviews the draft
// report of a body and year in the national format (国办公开办函〔2021〕30号). The cells the
// pipeline computes are shown read-only, marked 系统计算; the cells the office enters are
// inputs, each with who entered it and when; the three text sections; one save at the version
// read (a 409 reloads). The format itself (rows, columns, labels) comes with the report from
// the API (shared/domain/annual-report.ts), so nothing here repeats it.
// Text from the API is inserted as text, never as HTML.

const STATUS_LABELS = { DRAFT: '草稿（填报中）', SUBMITTED: '已报送审批', PUBLISHED: '已公开发布' };

/** Creates the annual-report part of the console with the helpers of console.js. */
export function createAnnualReports({ api, show, showStatus, showError, clearError, el, $ }) {
  const state = { report: null, bodies: [], busy: false };

  const fmt = (iso) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso ?? '') : d.toLocaleString('zh-CN', { hour12: false });
  };
  const who = (c) => (c?.source === 'entered' ? `填报人：${c.by.name} · ${fmt(c.at)}` : '');

  /** One cell: computed (read-only, 系统计算) or entered (an input, with who and when). */
  function cell(id, label) {
    const c = state.report.cells[id];
    const spec = state.report.missing.includes(id) || c?.source === 'entered' ? 'entered' : 'computed';
    const td = el('td', null, { 'data-cell': id, class: spec });
    if (spec === 'computed') {
      td.append(el('span', c ? String(c.value) : '—', { class: 'value' }), el('span', '系统计算', { class: 'source' }));
      return td;
    }
    const editable = state.report.status === 'DRAFT';
    const input = el('input', null, {
      type: 'number',
      min: '0',
      step: id === '二.fees.amount' ? '0.0001' : '1',
      inputmode: 'decimal',
      'aria-label': label,
      'data-cell-input': id,
      value: c ? String(c.value) : '',
    });
    if (!editable) input.setAttribute('disabled', '');
    td.append(input);
    if (c) td.append(el('span', who(c), { class: 'source' }));
    return td;
  }

  function table(caption, head, rows) {
    const t = el('table', null, { class: 'report-table' });
    t.append(el('caption', caption));
    const thead = el('thead');
    const tr = el('tr');
    tr.append(el('th', '项目', { scope: 'col' }), ...head.map((h) => el('th', h, { scope: 'col' })));
    thead.append(tr);
    const tbody = el('tbody');
    for (const [label, cells] of rows) {
      const r = el('tr');
      r.append(el('th', label, { scope: 'row' }), ...cells);
      tbody.append(r);
    }
    t.append(thead, tbody);
    return el('div', null, { class: 'table-wrap' }, [t]);
  }

  function render() {
    const r = state.report;
    const f = r.format;
    $('ar-title').textContent = `${r.body} · ${r.year} 年度政府信息公开工作年度报告`;
    $('ar-meta').textContent =
      `状态：${STATUS_LABELS[r.status] ?? r.status} · 第 ${r.version} 版${r.stored ? '' : '（尚未保存）'} · 报送期限：${r.deadline} 前 · 尚未填报 ${r.missing.length} 项`;
    const t2 = $('ar-table2');
    t2.replaceChildren(
      ...f.table2.map((g) =>
        table(
          `二、主动公开政府信息情况 · ${g.item}`,
          g.columns.map((c) => c.label),
          g.rows.map((row) => [row.label, g.columns.map((c) => cell(`二.${row.key}.${c.key}`, `${row.label} ${c.label}`))]),
        ),
      ),
    );
    const cols = f.applicantColumns;
    $('ar-table3').replaceChildren(
      table(
        '三、收到和处理政府信息公开申请情况（申请人情况）',
        cols.map((c) => c.label),
        f.table3Rows.map((row) => [[row.group, row.subgroup, row.label].filter(Boolean).join(' '), cols.map((c) => cell(`三.${row.key}.${c.key}`, `${row.label} ${c.label}`))]),
      ),
    );
    $('ar-table4').replaceChildren(
      table(
        '四、政府信息公开行政复议、行政诉讼情况',
        f.reviewResults.map((x) => x.label),
        f.reviewGroups.map((g) => [g.label, f.reviewResults.map((x) => cell(`四.${g.key}.${x.key}`, `${g.label} ${x.label}`))]),
      ),
    );
    const texts = $('ar-texts');
    texts.replaceChildren(
      ...f.textSections.map((s) => {
        const entry = r.sections[s.key];
        const id = `ar-text-${s.key}`;
        const box = el('div', null, { class: 'field' });
        const area = el('textarea', null, { id, rows: '6', 'data-section': s.key, 'aria-describedby': `${id}-hint` });
        area.value = entry?.text ?? '';
        if (r.status !== 'DRAFT') area.setAttribute('disabled', '');
        box.append(el('label', s.label, { for: id }), area, el('p', s.hint, { id: `${id}-hint`, class: 'help' }));
        if (entry) box.append(el('p', `填报人：${entry.by.name} · ${fmt(entry.at)}`, { class: 'source' }));
        return box;
      }),
    );
    $('ar-save').hidden = r.status !== 'DRAFT';
    // Only a saved draft is submitted: what the approver sees is the version stored.
    $('ar-submit').hidden = r.status !== 'DRAFT' || !r.stored;
    $('ar-report').hidden = false;
  }

  async function load(body, year, { keepError = false } = {}) {
    if (!keepError) clearError();
    showStatus('正在加载年度报告…');
    try {
      state.report = await api('GET', `/bodies/${encodeURIComponent(body)}/annual-reports/${encodeURIComponent(year)}`);
      render();
      showStatus(`已加载 ${year} 年度报告。`);
    } catch (err) {
      showStatus('');
      showError(err);
    }
  }

  async function loadList(body) {
    const list = $('ar-years');
    list.replaceChildren();
    try {
      const res = await api('GET', `/bodies/${encodeURIComponent(body)}/annual-reports`);
      const years = [...res.reports];
      if (!res.due.started) years.unshift({ year: res.due.year, status: null, deadline: res.due.deadline });
      for (const y of years) {
        const a = el('a', `${y.year} 年度`, { href: `#annual-reports/${encodeURIComponent(body)}/${y.year}` });
        list.append(el('li', null, {}, [a, document.createTextNode(` · ${y.status ? (STATUS_LABELS[y.status] ?? y.status) : '尚未开始'} · 期限 ${y.deadline}`)]));
      }
    } catch (err) {
      showError(err);
    }
  }

  /** What changed since the report was read: entered cells (an empty input clears one) and sections. */
  function changes() {
    const r = state.report;
    const cells = {};
    for (const input of document.querySelectorAll('[data-cell-input]')) {
      const id = input.getAttribute('data-cell-input');
      const raw = input.value.trim();
      const before = r.cells[id]?.value;
      if (raw === '' && before !== undefined) cells[id] = null;
      else if (raw !== '' && Number(raw) !== before) cells[id] = Number(raw);
    }
    const sections = {};
    for (const area of document.querySelectorAll('[data-section]')) {
      const key = area.getAttribute('data-section');
      if (area.value !== (r.sections[key]?.text ?? '')) sections[key] = area.value;
    }
    return { cells, sections };
  }

  async function save() {
    if (state.busy || !state.report) return;
    state.busy = true;
    clearError();
    const r = state.report;
    try {
      state.report = await api('POST', `/bodies/${encodeURIComponent(r.body)}/annual-reports/${encodeURIComponent(r.year)}`, { version: r.version, ...changes() });
      render();
      showStatus(`已保存（第 ${state.report.version} 版）。`);
    } catch (err) {
      showStatus('');
      showError(err);
      // Someone saved in between: show theirs (the entries typed here are lost; the message says why).
      if (err?.status === 409) await load(r.body, r.year, { keepError: true });
    } finally {
      state.busy = false;
    }
  }

  /** Submits the saved version: it is frozen and goes through the rulebook and an approver as a draft of the body. */
  async function submit() {
    if (state.busy || !state.report) return;
    const r = state.report;
    const unsaved = changes();
    if (Object.keys(unsaved.cells).length || Object.keys(unsaved.sections).length) {
      showError(new Error('有尚未保存的修改，请先保存再报送。 Save your changes before submitting.'));
      return;
    }
    state.busy = true;
    clearError();
    try {
      const res = await api('POST', `/bodies/${encodeURIComponent(r.body)}/annual-reports/${encodeURIComponent(r.year)}/submit`, { version: r.version });
      state.report = res.report;
      render();
      showStatus(`已报送审批（第 ${r.version} 版，文件 ${res.draftId}）：经规则审查和审批后发布到年度报告栏目。`);
    } catch (err) {
      showStatus('');
      showError(err);
      if (err?.status === 409) await load(r.body, r.year, { keepError: true });
    } finally {
      state.busy = false;
    }
  }

  /** The reminder (条例 Art. 49): the bodies this user acts for whose report on the past year is not yet published. */
  async function loadDue() {
    const box = $('ar-due');
    try {
      const due = await api('GET', '/annual-reports/due');
      box.hidden = !due.open || due.missing.length === 0;
      if (box.hidden) return;
      const when = due.overdue ? `已超过报送期限 ${-due.daysLeft} 天` : `距报送期限还有 ${due.daysLeft} 天`;
      box.replaceChildren(
        el('p', `${due.year} 年度报告应于 ${due.deadline} 前公布（${when}），以下主体尚未发布：`),
        el(
          'ul',
          null,
          {},
          due.missing.map((b) =>
            el('li', null, {}, [
              el('a', b.name, { href: `#annual-reports/${encodeURIComponent(b.id)}/${encodeURIComponent(due.year)}` }),
              document.createTextNode(` · ${b.status === 'NONE' ? '尚未编写' : (STATUS_LABELS[b.status] ?? b.status)}`),
            ]),
          ),
        ),
      );
    } catch {
      box.hidden = true; // the reminder is a help; the page works without it
    }
  }

  let wired = false;
  async function route(hash) {
    show('annual-reports');
    if (!wired) {
      wired = true;
      $('ar-open').addEventListener('submit', (e) => {
        e.preventDefault();
        location.hash = `#annual-reports/${encodeURIComponent($('ar-body').value)}/${encodeURIComponent($('ar-year').value)}`;
      });
      $('ar-save').addEventListener('click', () => void save());
      $('ar-submit').addEventListener('click', () => void submit());
    }
    if (!state.bodies.length) {
      try {
        state.bodies = (await api('GET', '/me')).bodies ?? [];
      } catch (err) {
        showError(err);
      }
      $('ar-body').replaceChildren(...state.bodies.map((b) => el('option', b, { value: b })));
      $('ar-year').value = String(new Date().getFullYear() - 1);
    }
    const [, body, year] = decodeURIComponent(hash).split('/');
    if (body) $('ar-body').value = body;
    if (year) $('ar-year').value = year;
    await loadDue();
    const current = body ?? $('ar-body').value;
    if (current) await loadList(current);
    if (body && year) await load(body, year);
    else $('ar-report').hidden = true;
  }

  return {
    route,
    reset() {
      state.report = null;
      state.bodies = [];
    },
  };
}
