import { z } from 'zod';
import { DeclarationForm } from '#shared/domain/form';
import { UploadSpec } from '#shared/domain/draft';

/**
 * Request bodies of the API, derived from the domain schemas (never written twice).
 */
export const CreateDraftRequest = z
  .object({
    form: DeclarationForm,
    files: z.object({ document: UploadSpec, interpretation: UploadSpec.optional() }, { error: '请说明要上传的文件 / describe the files to upload' }),
  })
  .superRefine((req, ctx) => {
    const attached = req.form.interpretation?.mode === 'attached';
    if (attached && !req.files.interpretation) {
      ctx.addIssue({
        code: 'custom',
        path: ['files', 'interpretation'],
        message: '申报表声明随附解读材料，但未提供解读文件 / the form attaches an interpretation but no interpretation file is described',
      });
    }
    if (!attached && req.files.interpretation) {
      ctx.addIssue({
        code: 'custom',
        path: ['form', 'interpretation'],
        message: '提供了解读文件，请在申报表中选择“随附解读” / an interpretation file is given; set interpretation.mode to "attached"',
      });
    }
  });
export type CreateDraftRequest = z.infer<typeof CreateDraftRequest>;

export const DecisionRequest = z
  .object({
    claimToken: z.string({ error: '缺少领取凭证，请先领取任务 / claimToken missing: claim the task first' }).min(1),
    version: z.number({ error: '缺少文件版本号 / version (the draft version you reviewed) is required' }).int(),
    outcome: z.enum(['approve', 'reject'], { error: '决定应为 approve 或 reject / outcome must be approve or reject' }),
    reason: z.string().trim().max(1000).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.outcome === 'reject' && !d.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: '退回必须写明理由 / a rejection needs a reason' });
    }
  });
export type DecisionRequest = z.infer<typeof DecisionRequest>;

export const ClaimRequest = z.object({
  /** Lease length; defaults to the approval queue's visibility timeout. */
  leaseSeconds: z.number().int().min(60).max(43_200).optional(),
});
