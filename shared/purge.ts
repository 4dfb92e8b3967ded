import { deleteAllVersions } from '#shared/blobs';
import { KEYS } from '#shared/topology';
import type { Draft, Part, StoredFile } from '#shared/domain/draft';
import type { Finding } from '#shared/domain/finding';

/**
 * Classified content off the system (issue 15.4; 000 §二(三)1: 经保密机关视情转为涉密文件处理).
 * A draft whose text shows a secrecy mark is rejected, and every byte of it — each upload,
 * the pinned copies, the extracted texts, of every revision and every object version — is
 * removed from the drafts bucket. What stays is what the audit needs: each file's sha256 and
 * size, the ATTR-5 finding quoting the mark, and a history line listing what was removed.
 * Evidence quoting any other part of the body is cut from the draft's findings.
 */
export const SECRECY_RULE = 'ATTR-5';

/** True when the findings include a blocking secrecy-mark finding. */
export const isClassified = (findings: readonly Finding[]): boolean => findings.some((f) => f.ruleId === SECRECY_RULE && f.severity === 'block');

/** The findings with no body text left, except the secrecy mark itself. */
export const withoutBodyText = (findings: readonly Finding[]): Finding[] =>
  findings.map((f) => (f.ruleId === SECRECY_RULE ? f : { ...f, evidence: f.evidence?.map(({ text: _text, ...e }) => e) }));

/** The prefixes holding the draft's bytes, every revision. */
export const draftPrefixes = (id: string): string[] => [`${KEYS.uploads}${id}/`, `${KEYS.extracted}${id}/`];

export interface PurgeReport {
  readonly removed: number;
  /** sha256 (and size) of each file as received, by part: what the audit keeps. */
  readonly hashes: { part: Part; sha256: string; size: number }[];
}

/** Removes every object and object version of the draft from the drafts bucket. */
export async function purgeDraftBytes(draft: Draft): Promise<PurgeReport> {
  let removed = 0;
  for (const prefix of draftPrefixes(draft.id)) removed += (await deleteAllVersions('drafts', prefix)).length;
  const hashes = (Object.entries(draft.files) as [Part, StoredFile | undefined][])
    .filter((e): e is [Part, StoredFile] => !!e[1]?.pinned?.sha256)
    .map(([part, f]) => ({ part, sha256: f.pinned!.sha256, size: f.pinned!.size }));
  return { removed, hashes };
}

/** The history note of a purge. */
export const purgeNote = (r: PurgeReport): string => {
  const hashes = r.hashes.map((h) => `${h.part} sha256 ${h.sha256}（${h.size} 字节 / bytes）`).join('；');
  return `正文显示密级标志，已从系统中删除该文件的全部上传件、副本和提取文本（共 ${r.removed} 个对象，含各版本），仅保留哈希值、审查结论和本记录：${hashes} / A secrecy mark was found: every upload, copy and extracted text of the draft (${r.removed} objects, every version) was removed from the system; only the hashes, the finding and this record are kept: ${hashes}`;
};
