import type { CreateDraftRequest } from '#shared/api';

type Form = CreateDraftRequest['form'];

/** The unit of dev-drafter-fgw, the default drafter of the test stack (config/local-users.json). */
export const DEFAULT_DRAFTER_UNIT = '运城市盐湖区发展和改革局';

/**
 * A complete, valid declaration for a non-policy 主动公开 notice; override what a test is about.
 * Its drafting unit is the unit of the test stack's default drafter (dev-drafter-fgw): a drafter
 * submits in their own unit's name only. For another unit submit with `stack.drafterFor(unit)`.
 */
export const validForm = (over: Partial<Form> = {}): Form => ({
  title: '运城市盐湖区人民政府办公室关于印发运城市盐湖区全面推进基层政务公开标准化规范化工作方案的通知',
  draftingUnit: DEFAULT_DRAFTER_UNIT,
  documentNumber: '运盐政办发〔2020〕60号',
  documentType: '通知',
  documentDate: '2020-12-10',
  isPolicy: false,
  attribute: '主动公开',
  interpretation: { mode: 'not-needed', reason: '印发工作方案，无需解读' },
  contact: { name: '王明', phone: '0359-2021234' },
  ...over,
});

export const PDF = 'application/pdf' as const;
