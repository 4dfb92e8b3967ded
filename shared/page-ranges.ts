/**
 * Page numbers as people read them: 1–3、5、7–9. One wording for every place that lists pages:
 * the OCR stage's findings and history notes, the published page's OCR note, and the draft view's
 * `files.*.ocr.text` (which the upload page and the batch CLI show as the API words it).
 * client/gongkai.ts re-exports it for the client's own users.
 */
export function pageRanges(pages: readonly number[], sep = '、'): string {
  const sorted = [...new Set(pages)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(j === i ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return out.join(sep);
}
