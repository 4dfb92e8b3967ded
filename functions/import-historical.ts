import { now } from '#shared/clock';
import { PART_LABELS } from '#shared/domain/draft';
import { env } from '#shared/env';
import { ValidationError, type FieldIssue } from '#shared/errors';
import { historicalId, historicalView, getHistorical, originalKey, putHistorical, type HistoricalRecord } from '#shared/historical';
import { statObject } from '#shared/blobs';
import { apiHandler, actorOf } from '#shared/http';
import { ROUTES } from '#shared/routes/historical';
import { unitMismatch } from '#shared/unit';
import { listBodies } from '#shared/bodies';
import { actsForUnit } from '#shared/scope';
import { presignUpload } from '#shared/uploads';

/**
 * POST /historical: bulk import of historical documents (issued before this system, no
 * attribute). Each becomes an UNDETERMINED record with a presigned upload for its original.
 * Drafting units import their own unit's documents; the information centre those of the units
 * of the bodies it acts for (shared/scope.ts).
 * Importing the same document again (same unit, number or title, date) finds its record.
 */
export const handler = apiHandler(ROUTES.importHistorical, async ({ who, body: req }) => {
  const maxBytes = env.maxUploadBytes();
  const bodies = who.role === 'drafter' ? [] : await listBodies();
  const issues: FieldIssue[] = req.documents.flatMap((d, i) => [
    ...(who.role === 'drafter' && unitMismatch(who, d.draftingUnit)
      ? [
          {
            field: `documents.${i}.draftingUnit`,
            zh: `起草单位只能导入本单位（${who.unit ?? '未设置单位'}）的历史文件`,
            en: `a drafting unit imports only its own documents (${who.unit ?? 'no unit set'})`,
          },
        ]
      : []),
    ...(who.role !== 'drafter' && !actsForUnit(who, bodies, d.draftingUnit)
      ? [
          {
            field: `documents.${i}.draftingUnit`,
            zh: `起草单位“${d.draftingUnit}”不属于您负责的公开主体，不能导入其历史文件；请由该单位所属公开主体的信息中心导入`,
            en: `the drafting unit "${d.draftingUnit}" belongs to a publishing body you do not act for; its body's information centre imports its documents`,
          },
        ]
      : []),
    ...(d.file.size > maxBytes
      ? [
          {
            field: `documents.${i}.file.size`,
            zh: `${PART_LABELS.document}超过大小上限 ${Math.round(maxBytes / 1024 / 1024)} MB`,
            en: `the file exceeds the ${Math.round(maxBytes / 1024 / 1024)} MB limit`,
          },
        ]
      : []),
  ]);
  if (issues.length) throw new ValidationError(issues);

  const at = now();
  const actor = actorOf(who);
  const documents = [];
  for (const d of req.documents) {
    const id = historicalId(d);
    const fresh: HistoricalRecord = {
      id,
      version: 1,
      status: 'UNDETERMINED',
      title: d.title,
      ...(d.documentNumber ? { documentNumber: d.documentNumber } : {}),
      documentDate: d.documentDate,
      draftingUnit: d.draftingUnit,
      file: { key: originalKey(id), fileName: d.file.fileName, contentType: d.file.contentType, size: d.file.size },
      importedBy: actor,
      importedAt: at.toISOString(),
    };
    const created = await putHistorical(fresh);
    const record = created ? fresh : await getHistorical(id);
    // An upload is handed out until the original is in (a re-run of an interrupted import gets a fresh one).
    const needsUpload = record.status === 'UNDETERMINED' && !(await statObject('drafts', record.file.key));
    const upload = needsUpload ? await presignUpload('document', { ...record.file, maxBytes }, at) : undefined;
    documents.push({ ...historicalView(record), imported: created, ...(upload ? { upload } : {}) });
  }
  return { documents };
});
