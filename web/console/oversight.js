// 监督考核 in the console (issue 13 part 3): what a 公开主体 and each of its drafting units are
// judged by in a year — 主动公开 within 20 working days (条例第二十六条), policy documents with
// their interpretation and the diversified share against its target, re-reviews on time (REV-1),
// applications answered on time (条例第三十三条), and the 行政规范性文件 in force, expired and
// repealed. Every share is shown with its counts (分子/分母) beside the percentage; the figures
// and the CSV come from GET /bodies/{id}/oversight, which computes them from the table's counts.
// Text from the API is inserted as text, never as HTML.

/** Creates the oversight part of the console with the helpers of console.js. */
export function createOversight({ api, show, showStatus, showError, clearError, el, $ }) {
  const state = { bodies: [], report: null, csvUrl: null };

  const pct = (s) => (s.percent === null ? '—' : `${s.percent.toFixed(1)}%`);
  /** A share as 分子/分母 and %, in one cell. */
  function shareCell(s, extra) {
    const td = el('td', null, { class: 'share' });
    td.append(el('span', `${s.numerator}/${s.denominator}`, { class: 'counts' }), el('span', ` ${pct(s)}`, { class: 'percent' }));
    if (extra) td.append(el('span', extra, { class: 'note' }));
    return td;
  }
  const num = (n) => el('td', String(n), { class: 'num' });

  function targetNote(row) {
    const d = row.diversified;
    if (d.meetsTarget === null) return `（目标 ${d.targetPercent}%：暂无解读）`;
    return d.meetsTarget ? `（达到 ${d.targetPercent}% 目标）` : `（未达 ${d.targetPercent}% 目标）`;
  }

  function table(id, caption, rows) {
    const t = el('table', null, { class: 'report-table', id });
    t.append(el('caption', caption));
    const head = [
      '名称',
      '20个工作日内公开（按时/可计算）',
      '超期',
      '无法计算（日历未覆盖）',
      '政策文件有解读（有解读/政策文件）',
      `多样化解读（多样化/解读，目标 ${state.report.targetPercent}%）`,
      '按时复核（按时/已复核）',
      ...(rows.some((r) => r.answers) ? ['按时答复（按时/可计算）', '答复期限无法计算'] : []),
      '规范性文件：现行有效',
      '已失效',
      '已废止',
      '已修订',
      '尚未生效',
    ];
    const tr = el('tr');
    tr.append(...head.map((h) => el('th', h, { scope: 'col' })));
    const thead = el('thead', null, {}, [tr]);
    const tbody = el('tbody');
    for (const row of rows) {
      const r = el('tr', null, { 'data-scope': row.scope, 'data-name': row.name });
      r.append(
        el('th', row.name, { scope: 'row' }),
        shareCell(row.art26.onTime),
        num(row.art26.late),
        num(row.art26.unknown),
        shareCell(row.interpreted),
        shareCell(row.diversified, targetNote(row)),
        shareCell(row.reviews),
        ...(row.answers ? [shareCell(row.answers), num(row.answers.unknown)] : []),
        num(row.normative.inForce),
        num(row.normative.expired),
        num(row.normative.repealed),
        num(row.normative.amended),
        num(row.normative.notYetInForce),
      );
      if (row.diversified.meetsTarget === false) r.querySelectorAll('td.share')[2].classList.add('below-target');
      tbody.append(r);
    }
    t.append(thead, tbody);
    return el('div', null, { class: 'table-wrap' }, [t]);
  }

  function render() {
    const r = state.report;
    $('ov-title').textContent = `${r.body.name} · ${r.year} 年度监督考核`;
    $('ov-meta').textContent =
      `规范性文件统计截至 ${r.referenceDay}；多样化解读目标 ${r.targetPercent}%（000 §二(五)2）。比例均以“分子/分母”列出所依据的件数；“无法计算”的不计入比例，不作推测。`;
    const bodyRows = r.rows.filter((row) => row.scope === 'body');
    const unitRows = r.rows.filter((row) => row.scope === 'unit');
    $('ov-body').replaceChildren(table('ov-body-table', '公开主体', bodyRows));
    $('ov-units').replaceChildren(unitRows.length ? table('ov-units-table', '各起草单位', unitRows) : el('p', '本年度暂无起草单位的记录。', { class: 'help' }));
    $('ov-report').hidden = false;
  }

  async function load(body, year) {
    clearError();
    showStatus('正在读取…');
    try {
      const path = `/bodies/${encodeURIComponent(body)}/oversight?year=${encodeURIComponent(year)}`;
      state.report = await api('GET', path);
      render();
      const { csv, fileName } = await api('GET', `${path}&format=csv`);
      if (state.csvUrl) URL.revokeObjectURL(state.csvUrl);
      // The CSV as the API wrote it: UTF-8 with its BOM, so Excel reads the Chinese.
      state.csvUrl = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const link = $('ov-csv');
      link.href = state.csvUrl;
      link.download = fileName;
      link.hidden = false;
      showStatus('');
    } catch (err) {
      showStatus('');
      showError(err);
      $('ov-report').hidden = true;
    }
  }

  let wired = false;
  async function route(hash) {
    show('oversight');
    if (!wired) {
      wired = true;
      $('ov-open').addEventListener('submit', (e) => {
        e.preventDefault();
        location.hash = `#oversight/${encodeURIComponent($('ov-body-select').value)}/${encodeURIComponent($('ov-year').value)}`;
      });
    }
    if (!state.bodies.length) {
      try {
        const me = await api('GET', '/me');
        state.bodies = me.roles?.includes('admin') ? (await api('GET', '/bodies')).bodies.map((b) => b.id) : (me.bodies ?? []);
      } catch (err) {
        showError(err);
      }
      $('ov-body-select').replaceChildren(...state.bodies.map((b) => el('option', b, { value: b })));
      $('ov-year').value = String(new Date().getFullYear());
    }
    const [, body, year] = decodeURIComponent(hash).split('/');
    if (body) $('ov-body-select').value = body;
    if (year) $('ov-year').value = year;
    if (body && year) await load(body, year);
    else $('ov-report').hidden = true;
  }

  return {
    route,
    reset() {
      state.bodies = [];
      state.report = null;
    },
  };
}
