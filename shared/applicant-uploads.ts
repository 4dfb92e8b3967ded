import { presignDownload, statObject } from '#shared/blobs';
import type { Application } from '#shared/domain/application';
import { KEYS } from '#shared/topology';
import { presignApplicantUpload } from '#shared/uploads';

/**
 * The identity document's copy an applicant may attach (条例 Art. 29(一)): declared in the
 * application, uploaded through a presigned form scoped to one key of the private drafts
 * bucket (never the site bucket; no stage reads it), and shown to the office through a link
 * valid for minutes. The emulator does not enforce a POST policy, so what arrived is checked
 * against what was declared before it is offered.
 */

const LINK_SECONDS = 300;

export const idCopyKey = (app: Pick<Application, 'id'>): string => `${KEYS.applicantUploads}${app.id}/id-copy`;

/** The upload form for the copy an application declares, if it declares one. */
export async function idCopyUpload(app: Application, issuedAt: Date) {
  const spec = app.input.idCopy;
  return spec ? presignApplicantUpload(idCopyKey(app), spec.contentType, spec.size, issuedAt) : undefined;
}

/** What the office sees of the copy: arrived or not, a short-lived link when it is what was declared. */
export async function idCopyView(app: Application) {
  const spec = app.input.idCopy;
  if (!spec) return undefined;
  const base = { fileName: spec.fileName, contentType: spec.contentType, size: spec.size };
  const stat = await statObject('drafts', idCopyKey(app));
  if (!stat) return { ...base, uploaded: false };
  if (stat.size > spec.size) return { ...base, uploaded: true, problem: `上传的文件（${stat.size} 字节）大于申报的大小，未予提供 / larger than declared: not offered` };
  const url = await presignDownload('drafts', idCopyKey(app), { fileName: spec.fileName, contentType: spec.contentType, expiresIn: LINK_SECONDS });
  return { ...base, size: stat.size, uploaded: true, url };
}
