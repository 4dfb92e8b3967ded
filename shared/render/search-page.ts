import { html } from '#shared/render/html';
import { layout, sitePaths } from '#shared/render/site';

/**
 * The public search page (search.html) and the two static files it loads. The page is
 * plain HTML that works as a form without JavaScript (it then says search needs it); the
 * script runs pagefind over the bundles named in search/current.json (see
 * shared/site/search.ts for the shards). Nothing here is user text: the query and every
 * result are put into the page by the browser script, as text nodes only.
 */

export const SEARCH_SCRIPT_KEY = 'search/search.js';
export const SEARCH_STYLE_KEY = 'search/search.css';

/** The search page; with more than one body, a filter by 公开主体 (`?body=<id>`, empty: the whole platform). */
export function searchPage(bodies: readonly { readonly id: string; readonly name: string }[] = []): string {
  return layout(
    '站内搜索',
    html`<h1>站内搜索</h1>
<form class="search" role="search" action="${sitePaths.search}" method="get">
<label for="search-q">关键词</label>
<input type="search" id="search-q" name="q" maxlength="100" autocomplete="off" required>
${
  bodies.length > 1
    ? html`<label for="search-body">公开主体</label>
<select id="search-body" name="body"><option value="">全平台</option>${bodies.map((b) => html`<option value="${b.id}">${b.name}</option>`)}</select>
`
    : ''
}<button type="submit">搜索</button>
</form>
<noscript><p class="notice">站内搜索需要启用 JavaScript。未启用时，请通过<a href="${sitePaths.listIndex('catalogue')}">主动公开基本目录</a>查找文件。</p></noscript>
<section class="search-results" aria-label="搜索结果" aria-live="polite">
<p id="search-status" class="muted"></p>
<ol id="search-results" class="results"></ol>
</section>`,
    { depth: 0, scripts: [SEARCH_SCRIPT_KEY], styles: [SEARCH_STYLE_KEY] },
  ).value;
}

export const SEARCH_STYLE = `form.search label{align-self:center;white-space:nowrap}
form.search{flex-wrap:wrap}form.search select{font-size:1rem;padding:.3rem;max-width:100%}
ol.results{padding-left:1.4em}
ol.results li{margin:.9em 0}
ol.results .title{font-size:1.05rem}
ol.results .facts{margin:.1em 0 0;font-size:.85rem}
ol.results .excerpt{margin:.2em 0 0;color:#333;font-size:.95rem}
ol.results mark{background:#fff1a8;color:inherit}
`;

/**
 * The browser side (plain ES2020, a classic deferred script; CSP allows only same-origin
 * scripts, pagefind's WebAssembly and same-origin fetches). It never assigns markup:
 * pagefind's excerpts carry <mark> tags, which are rebuilt as elements around text nodes.
 */
export const SEARCH_SCRIPT = `'use strict';
(function () {
  var MAX_RESULTS = 50;
  var BUNDLE = /^search\\/s\\/[a-z][a-z0-9-]{1,39}\\/[0-9]{4}\\/[0-9]+\\/g[0-9]+\\/$/;
  var HAN_SPACE = /(?<=\\p{Script=Han}(?:<\\/?mark>)*) (?=(?:<\\/?mark>)*\\S)|(?<=\\S(?:<\\/?mark>)*) (?=(?:<\\/?mark>)*\\p{Script=Han})/gu;
  var RESULT_URL = /^[A-Za-z0-9][A-Za-z0-9_\\-\\/.]*\\.html$/;
  var script = document.currentScript;
  // search/search.js sits one folder below the site root.
  var root = new URL('../', script ? script.src : location.href);
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var params = new URLSearchParams(location.search);
  var q = (params.get('q') || '').trim().slice(0, 100);
  input.value = q;
  // The filter by 公开主体: a body id, or none (the whole platform).
  var bodySelect = document.getElementById('search-body');
  var body = (params.get('body') || '').trim();
  if (!/^[a-z][a-z0-9-]{1,39}$/.test(body)) body = '';
  if (bodySelect) {
    if (body && !Array.prototype.some.call(bodySelect.options, function (o) { return o.value === body; })) body = '';
    bodySelect.value = body;
  }
  if (!q) {
    status.textContent = '请输入要查找的关键词。';
    return;
  }
  status.textContent = '正在搜索“' + q + '”……';

  function say(text) {
    status.textContent = text;
  }

  function excerpt(marked) {
    // pagefind escapes < and > of the text and wraps hits in <mark>…</mark>.
    var p = document.createElement('p');
    p.className = 'excerpt';
    var inMark = false;
    // The index spaces out Chinese characters (shared/site/search.ts, charWords): close them up.
    var clean = String(marked || '').replace(HAN_SPACE, '');
    clean.split(/(<mark>|<\\/mark>)/).forEach(function (part) {
      if (part === '<mark>') { inMark = true; return; }
      if (part === '</mark>') { inMark = false; return; }
      if (!part) return;
      var text = part.replace(/&lt;/g, '<').replace(/&gt;/g, '>');
      if (inMark) {
        var m = document.createElement('mark');
        m.textContent = text;
        p.appendChild(m);
      } else {
        p.appendChild(document.createTextNode(text));
      }
    });
    return p;
  }

  function render(items) {
    list.replaceChildren();
    items.forEach(function (d) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.className = 'title';
      a.href = d.raw_url; // site-relative, checked below; this page is at the site root
      a.textContent = (d.meta && d.meta.title) || d.raw_url;
      li.appendChild(a);
      var m = d.meta || {};
      var facts = [m.bodyName, m.number, m.unit, m.date].filter(function (x) { return typeof x === 'string' && x; });
      if (facts.length) {
        var p = document.createElement('p');
        p.className = 'facts muted';
        p.textContent = facts.join(' · ');
        li.appendChild(p);
      }
      li.appendChild(excerpt(d.excerpt));
      list.appendChild(li);
    });
  }

  async function run() {
    var res = await fetch(new URL('search/current.json', root), { cache: 'no-cache' });
    var pointer = res.ok ? await res.json() : {};
    // The pointer lists one bundle per shard (a body's documents of a year, in parts); a
    // search within one body loads only that body's shards.
    var tiers = (Array.isArray(pointer.shards) ? pointer.shards : [])
      .filter(function (s) { return s && typeof s.folder === 'string' && BUNDLE.test(s.folder) && (!body || s.body === body); })
      .map(function (s) { return s.folder; });
    var found = [];
    if (tiers.length) {
      var primary = new URL(tiers[0], root);
      var pagefind = await import(new URL('pagefind.js', primary).href);
      // Result URLs are recorded site-relative; baseUrl makes pagefind resolve them from the root.
      await pagefind.options({ basePath: primary.pathname, baseUrl: root.pathname, excerptLength: 60 });
      // Merged shards share the primary's WebAssembly; each loads its small entry and meta files
      // now, and only the index chunks a query needs and the fragments of the results shown.
      await Promise.all(tiers.slice(1).map(function (t) { return pagefind.mergeIndex(new URL(t, root).pathname, { baseUrl: root.pathname }); }));
      // Each word of the query must occur as written: an exact phrase of its characters
      // (the index holds Chinese character by character; see shared/site/search.ts).
      var words = q.replace(/["\\u201c\\u201d]/g, ' ').split(/\\s+/).filter(Boolean).slice(0, 5);
      var hits = null;
      for (var w = 0; w < words.length; w++) {
        var phrase = words[w].replace(/(\\p{Script=Han})/gu, ' $1 ').replace(/\\s+/g, ' ').trim();
        var search = await pagefind.search('"' + phrase + '"', body ? { filters: { body: body } } : {});
        var results = (search && search.results) || [];
        if (hits === null) {
          hits = results;
        } else {
          var ids = new Set(results.map(function (r) { return r.id; }));
          hits = hits.filter(function (r) { return ids.has(r.id); });
        }
      }
      hits = hits || [];
      var data = await Promise.all(hits.slice(0, MAX_RESULTS).map(function (r) { return r.data(); }));
      var seen = new Set();
      found = data.filter(function (d) {
        var ok = d && typeof d.raw_url === 'string' && RESULT_URL.test(d.raw_url) && d.raw_url.indexOf('..') < 0 && !seen.has(d.raw_url);
        if (ok) seen.add(d.raw_url);
        return ok;
      });
      if (hits.length > MAX_RESULTS) {
        render(found);
        say('共找到 ' + hits.length + ' 条结果，显示前 ' + found.length + ' 条。');
        return;
      }
    }
    render(found);
    var where = body && bodySelect ? bodySelect.options[bodySelect.selectedIndex].text + '：' : '';
    say(found.length ? where + '共找到 ' + found.length + ' 条结果。' : where + '未找到与“' + q + '”相关的结果。');
  }

  run().catch(function (err) {
    list.replaceChildren();
    say('搜索暂时不可用，请稍后再试。');
    console.warn('search failed', err);
  });
})();
`;
