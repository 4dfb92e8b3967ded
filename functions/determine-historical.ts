import { CreateDraftRequest } from '#shared/api';
import { copyObject, statObject } from '#shared/blobs';
import { chinaDay, now } from '#shared/clock';
import { isNonPublic } from '#shared/domain/form';
import { ConflictError, ForbiddenError } from '#shared/errors';
import { DeterminationRequest, getHistorical, historicalView, letterText, replaceHistorical, type HistoricalRecord } from '#shared/historical';
import { apiHandler, actorOf, bodyOf, parseWith, Reply } from '#shared/http';
import { ROUTES } from '#shared/routes/historical';
import { intakeDraft, newDraftId } from '#shared/intake';
import { findDraft } from '#shared/store';

/**
 * POST /historical/{id}/determination: the drafting unit's 公函 (notice 000 §二(三)1) —
 * the attribute, the reason, the legal basis when not public, and the rest of the 申报表.
 * The record is marked DETERMINED first (conditional write: determined once), then the
 * document becomes an ordinary draft through the same intake as POST /drafts, and its
 * stored original is copied to the draft's upload key, so the S3 event starts extraction,
 * the rulebook and approval exactly as for any draft. A call interrupted after the first
 * step is completed by calling again.
 */
export const handler = apiHandler(ROUTES.determineHistorical, async ({ id, event, who }) => {
  let record = await getHistorical(id);
  if (record.draftingUnit !== who.unit) {
    throw new ForbiddenError({ zh: '只有该文件的起草单位可以出具公函确定其公开属性。', en: 'Only the drafting unit of the document can determine its attribute.' });
  }
  const original = await statObject('drafts', record.file.key);
  if (!original) throw new ConflictError({ zh: '历史文件原件尚未上传，请先上传原件。', en: 'The original of this historical document has not been uploaded yet.' });

  if (record.status === 'UNDETERMINED') {
    const d = parseWith(DeterminationRequest, bodyOf(event));
    const { attribute, reason, legalBasis, files, ...rest } = d;
    const request = parseWith(CreateDraftRequest, {
      form: {
        ...rest,
        title: record.title,
        draftingUnit: record.draftingUnit,
        ...(record.documentNumber ? { documentNumber: record.documentNumber } : {}),
        documentDate: record.documentDate,
        attribute,
        ...(isNonPublic(attribute) ? { nonPublicReason: reason } : {}),
        ...(legalBasis ? { legalBasis } : {}),
      },
      files: {
        document: { fileName: record.file.fileName, contentType: record.file.contentType, size: original.size },
        ...(files?.interpretation ? { interpretation: files.interpretation } : {}),
      },
    });
    const at = now();
    const next: Omit<HistoricalRecord, 'version'> = {
      ...record,
      status: 'DETERMINED',
      determination: {
        attribute,
        reason,
        ...(legalBasis ? { legalBasis } : {}),
        letter: letterText(record, d, who.name, chinaDay(at)),
        by: actorOf(who),
        at: at.toISOString(),
        draftId: newDraftId(at),
        request,
      },
    };
    record = await replaceHistorical(record, next);
  }

  const det = record.determination!;
  const existing = await findDraft(det.draftId);
  if (existing && existing.status !== 'AWAITING_UPLOAD') {
    throw new ConflictError({ zh: `该历史文件已确定公开属性，对应文件 ${det.draftId}。`, en: `This document's attribute was determined already: draft ${det.draftId}.` });
  }
  const intake = existing
    ? undefined
    : await intakeDraft(who, det.request, { id: det.draftId, note: `${record.title}（历史文件 ${record.id}，公函确定公开属性为${det.attribute}）` });
  const draft = existing ?? intake!.draft;
  if (!(await statObject('drafts', draft.files.document.key))) {
    await copyObject('drafts', record.file.key, draft.files.document.key, draft.files.document.contentType);
  }
  return new Reply(existing ? 200 : 201, {
    historical: historicalView(record),
    draftId: draft.id,
    status: draft.status,
    // The original is in place already; only an interpretation, if declared, is left to upload.
    uploads: (intake?.uploads ?? []).filter((u) => u.part !== 'document'),
    preflight: intake?.preflight ?? [],
  });
});
