import { readFileSync } from 'node:fs';
for (const i of ['000_70017f665202e428','001_635c498a68e213e6','002_6bc38a5105b87f60','003_947bd769dad19b2f','004_a31f9dc5403041b8']) {
  const d = readFileSync(`/tmp/exp/${i}.d`, 'utf8');
  const t = readFileSync(`/work/shared/corpus/txt/${i}.txt`, 'utf8');
  const lines = t.split('\n');
  const exp = lines.map(l => l + '\n\n').join('');
  const d2 = d.replace(/\n\n/g, '\n');
  console.log(i, JSON.stringify(t.slice(-20)), JSON.stringify(d.slice(-20)), d === exp, d2 === t, d2.trimEnd() === t.trimEnd(), d.includes('\r'), t.includes('\r'));
  if (d2.trimEnd() !== t.trimEnd()) { let k=0; while (d2[k]===t[k]) k++; console.log(k, JSON.stringify(d2.slice(k-20,k+40)), JSON.stringify(t.slice(k-20,k+40))); }
}
