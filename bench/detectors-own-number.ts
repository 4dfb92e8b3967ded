/**
 * How often the document's OWN number is found (ownDocumentNumber) on real 国办 header
 * shapes (issue 15): every title stem × 文种 × organ with the number on the next line;
 * every region × 发文 suffix wrapped between them (alone, under a letterhead, under a
 * title); every organ × look-alike bracket. Prints found/total per class.
 *
 *   npx tsx bench/detectors-own-number.ts
 */
import { ownDocumentNumber } from '#shared/rules/attribute';
import { ORGANS, TITLE_STEMS as STEMS, TITLE_WORDS as WORDS } from '../test/support/header-shapes.ts';

const BRACKETS = [
  ['﹝', '﹞'],
  ['｛', '｝'],
  ['{', '}'],
  ['〘', '〙'],
  ['﹙', '﹚'],
  ['〔', '〕'],
];

const classes: Record<string, Array<[string, string]>> = { 'title 文种 above': [], 'organ wrapped': [], 'look-alike brackets': [] };
let n = 1;
for (const s of STEMS)
  for (const w of WORDS)
    for (const o of ORGANS) {
      n++;
      classes['title 文种 above']!.push([`${s}${w}\n${o}〔2019〕${n % 900}号\n\n各省、自治区、直辖市人民政府：`, `${o}〔2019〕${n % 900}号`]);
    }
for (const r of ['国', '国办', '晋政', '运盐政', '京政', '沪府', '晋政办', '古政'])
  for (const x of ['发', '办发', '函', '办函', '发明电', '字', '电', '明电'])
    for (const above of ['', '国务院办公厅文件\n\n', '国务院办公厅关于印发政务公开工作要点的通知\n'])
      classes['organ wrapped']!.push([`${above}${r}\n${x}〔2018〕15号\n`, `${r}${x}〔2018〕15号`]);
for (const o of ORGANS) for (const [a, b] of BRACKETS) classes['look-alike brackets']!.push([`${o}${a}2018${b}43号\n\n国务院关于某某工作的通知\n`, `${o}〔2018〕43号`]);

let all = 0;
let ok = 0;
for (const [name, cases] of Object.entries(classes)) {
  const found = cases.filter(([t, want]) => ownDocumentNumber(t)?.canonical === want).length;
  all += cases.length;
  ok += found;
  console.log(`| ${name} | ${found} / ${cases.length} | ${((found / cases.length) * 100).toFixed(1)}% |`);
}
console.log(`| all | ${ok} / ${all} | ${((ok / all) * 100).toFixed(1)}% |`);
