/**
 * PDF extraction gives one line per visual line, so a paragraph arrives cut into lines of
 * the page's width. Rejoins them: a line continues the previous one when the previous one
 * is about as long as a full line and does not end a sentence. Short lines (titles,
 * signatures, dates) and lines after 。！？：; stay on their own.
 */
const ENDS_PARAGRAPH = /[。！？：；!?:;」』”）)]$/;
const STARTS_ITEM = /^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[.、．]|第[一二三四五六七八九十]+[条章节])/;

export function reflow(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length < 3) return lines.join('\n');
  const lengths = lines.map((l) => [...l].length).sort((a, b) => a - b);
  // The length of a full line: a high percentile, so short lines do not drag it down.
  const full = lengths[Math.floor(lengths.length * 0.8)]!;
  const out: string[] = [];
  for (const line of lines) {
    const prev = out[out.length - 1];
    const prevLineLength = prev === undefined ? 0 : [...(prev.split('\u0000').pop() ?? '')].length;
    if (prev !== undefined && prevLineLength >= full * 0.85 && !ENDS_PARAGRAPH.test(prev) && !STARTS_ITEM.test(line)) {
      out[out.length - 1] = `${prev}\u0000${line}`;
    } else {
      out.push(line);
    }
  }
  return out.map((p) => p.replaceAll('\u0000', '')).join('\n');
}
