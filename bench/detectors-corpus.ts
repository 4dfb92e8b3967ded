/**
 * What every detector finds on every corpus text (raw and normalised): counts per kind and
 * the values, so a change to a detector can be compared before/after for new findings on
 * real documents.
 *
 *   npx tsx bench/detectors-corpus.ts > /tmp/before.txt
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { normaliseText } from '#shared/extract/normalise';
import * as detect from '#shared/rules/detect/index';
import { evaluate } from '#shared/rules/index';
import { NOTICE_IDS, noticeDraft } from '../test/support/rule-drafts.ts';

const { findCitedTitles, findDocumentNumbers, findMarkers, findPersonalData, findValidity } = detect;
/** Absent before issue 15: read only when the detector exists. */
const findOrderNumbers = (detect as Partial<typeof detect>).findOrderNumbers ?? (() => []);
const findPossibleSecrecyMarks = (detect as Partial<typeof detect>).findPossibleSecrecyMarks ?? (() => []);
import { corpusDir } from './detectors.ts';

const dir = corpusDir();
const files = [
  ...readdirSync(path.join(dir, 'txt')).map((f) => `txt/${f}`),
  ...readdirSync(path.join(dir, 'pdf-variants'))
    .filter((f) => f.endsWith('.txt'))
    .map((f) => `pdf-variants/${f}`),
].sort();
for (const file of files) {
  const raw = readFileSync(path.join(dir, file), 'utf8');
  for (const [variant, text] of [
    ['raw', raw],
    ['normalised', normaliseText(raw)],
  ] as const) {
    const found: string[] = [
      ...findDocumentNumbers(text).map((n) => `number ${n.canonical}`),
      ...findOrderNumbers(text).map((n) => `order ${n.canonical}`),
      ...findPossibleSecrecyMarks(text).map((m) => `possible-secrecy ${m.text.replace(/\s/g, '')}`),
      ...findMarkers(text).map((m) => `marker:${m.kind} ${m.text.replace(/\s/g, '')}`),
      ...findPersonalData(text).map((p) => `personal:${p.kind} ${p.text}`),
      ...findCitedTitles(text).map((t) => `title:${t.source} ${t.title}`),
    ];
    const v = findValidity(text);
    if (v) found.push(`validity ${v.text.replace(/\s/g, '')}`);
    console.log(`## ${file} (${variant}): ${found.length} findings`);
    for (const f of found) console.log(`  ${f}`);
  }
}

// The rulebook on each notice with its real declaration form: every finding.
for (const id of NOTICE_IDS) {
  const findings = evaluate(noticeDraft(id), 'all');
  console.log(`## rules on ${id} (real form): ${findings.length} findings`);
  for (const f of findings) console.log(`  ${f.ruleId} ${f.severity} ${f.zh.slice(0, 60)}`);
}
