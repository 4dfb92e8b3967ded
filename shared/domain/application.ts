import { bi } from '#shared/errors';
import { addWorkingDays, CalendarNotCoveredError, deadlineAfter, workingDaysBetween, type Deadline } from '#shared/calendar';
import * as z from 'zod';
// Each schema is built in a pure IIFE (`/* @__PURE__ */ (() => …)()`): a function's bundle leaves out the schemas it never
// uses, rather than building them at every cold start (issue 17.5; test/unit/cold-imports.test.ts).
import { Actor } from './draft.ts';

/**
 * 依申请公开: an application for government information, from 登记 to 归档, as
 * 《政府信息公开条例》 Chapter IV sets it out. Pure: what a step does to an application is a
 * function of the application, the step, who takes it and the day (China time); the handlers
 * load, call this, persist and notify.
 *
 * The clock (Art. 30–33): 20 working days from the day the application counts as received
 * (Art. 31: in person that day, by post the day signed for, online the day it is confirmed).
 * A 补正 notice stops it, and it starts again, whole, from the day the completed application
 * is received (Art. 30). A third party's opinion (Art. 32) pauses it for at most 15 working
 * days, not counted. One extension of at most 20 working days, approved and told to the
 * applicant (Art. 33).
 */

export const ANSWER_WITHIN_WORKING_DAYS = 20;
export const MAX_EXTENSION_WORKING_DAYS = 20;
export const CONSULTATION_WORKING_DAYS = 15;
/** Art. 30: a completion notice goes out within 7 working days of receipt… */
export const COMPLETION_NOTICE_WITHIN_WORKING_DAYS = 7;
/** …and gives a reasonable period to complete (the office may set another). */
export const COMPLETION_WORKING_DAYS = 15;
/** The lists of the information centre: applications due within this many working days. */
export const DUE_SOON_WORKING_DAYS = 5;

const oneLine = (max: number, zh: string, en: string) =>
  z
    .string()
    .trim()
    .min(1, bi(`${zh}为必填项。`, `${en} is required.`))
    .max(max, bi(`${zh}最多 ${max} 个字符。`, `${en}: at most ${max} characters.`))
    .refine((s) => !/[\r\n]/.test(s), bi(`${zh}应为一行文字。`, `${en} must be one line.`));
const text = (max: number, zh: string, en: string) =>
  z
    .string()
    .trim()
    .min(1, bi(`${zh}为必填项。`, `${en} is required.`))
    .max(max, bi(`${zh}最多 ${max} 个字符。`, `${en}: at most ${max} characters.`));
const day = /* @__PURE__ */ (() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, bi('日期应为 YYYY-MM-DD 格式。', 'A date must be YYYY-MM-DD.')))();

// --- What an application holds (Art. 29) ----------------------------------------------------

export const APPLICANT_TYPES = ['公民', '法人或其他组织'] as const;
/** The kinds of 法人或其他组织 the annual report's table 三 counts apart (国办公开办函〔2021〕30号). */
export const ORGANISATION_KINDS = ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'] as const;
export const ID_TYPES = ['居民身份证', '护照', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '外国人永久居留身份证', '统一社会信用代码', '其他'] as const;
/** How the information is to be delivered (Art. 29(三), 40). */
export const DELIVERY_METHODS = ['电子邮件', '邮寄', '当面领取'] as const;
export const FORMATS = ['电子文档', '纸质文本'] as const;
/** How the application reached the body (Art. 29: 当面、信函、传真、互联网). */
export const CHANNELS = ['互联网', '当面', '信函', '传真'] as const;

const ID_PATTERNS: Partial<Record<(typeof ID_TYPES)[number], RegExp>> = {
  居民身份证: /^\d{17}[\dXx]$/,
  统一社会信用代码: /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/,
};

export const Applicant = /* @__PURE__ */ (() =>
  z
    .object({
      type: z.enum(APPLICANT_TYPES, { error: bi('申请人类型应为“公民”或“法人或其他组织”。', 'The applicant is a 公民 (citizen) or a 法人或其他组织 (organisation).') }),
      name: oneLine(100, '申请人姓名或名称', "The applicant's name"),
      /** For an organisation: which kind (the annual report counts them apart). */
      organisationKind: z.enum(ORGANISATION_KINDS).optional(),
      /** For an organisation: its legal representative or the person it sends. */
      representative: oneLine(50, '法定代表人或负责人', 'The representative').optional(),
      idType: z.enum(ID_TYPES, { error: bi('请选择身份证件类型。', 'Choose the type of identity document.') }),
      idNumber: oneLine(40, '证件号码', 'The identity document number'),
      phone: z
        .string()
        .trim()
        .regex(/^[0-9+\-() ]{5,20}$/, bi('联系电话应为 5–20 位数字（可含 +、-、括号、空格）。', 'The phone number: 5–20 digits (+, -, brackets and spaces allowed).')),
      email: z
        .string()
        .trim()
        .max(200)
        .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, bi('电子邮箱格式不正确。', 'Not an e-mail address.'))
        .optional(),
      address: oneLine(200, '通信地址', 'The postal address').optional(),
      postcode: z
        .string()
        .trim()
        .regex(/^\d{6}$/, bi('邮政编码应为 6 位数字。', 'A postcode has 6 digits.'))
        .optional(),
    })
    .strict()
    .superRefine((a, ctx) => {
      const pattern = ID_PATTERNS[a.idType];
      if (pattern && !pattern.test(a.idNumber))
        ctx.addIssue({
          code: 'custom',
          path: ['idNumber'],
          message:
            a.idType === '居民身份证'
              ? bi('居民身份证号码应为 18 位（最后一位可为 X）。', 'A resident identity card number has 18 characters (the last may be X).')
              : bi('统一社会信用代码应为 18 位数字或大写字母。', 'A unified social credit code has 18 digits or capital letters.'),
        });
      if (a.type === '法人或其他组织' && !a.organisationKind)
        ctx.addIssue({ code: 'custom', path: ['organisationKind'], message: bi('请选择组织类别（商业企业、科研机构等）。', 'Choose the kind of organisation.') });
      if (a.type === '公民' && a.organisationKind)
        ctx.addIssue({ code: 'custom', path: ['organisationKind'], message: bi('公民申请不填组织类别。', 'A citizen has no organisation kind.') });
    }))();
export type Applicant = z.infer<typeof Applicant>;

export const InformationWanted = /* @__PURE__ */ (() =>
  z
    .object({
      /** The information wanted, described (Art. 29(二): 名称、文号或者便于行政机关查询的其他特征性描述). */
      description: text(2000, '所需信息的描述', 'The description of the information wanted').refine(
        (s) => [...s].length >= 5,
        bi('请至少用 5 个字描述所需的信息（名称、文号或其他特征）。', 'Describe the information wanted in at least 5 characters (title, number or other features).'),
      ),
      /** A document found through the catalogue (its draft id). */
      documentId: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, bi('文件标识不正确。', 'Not a document id.'))
        .optional(),
      purpose: text(500, '用途', 'The purpose').optional(),
    })
    .strict())();
export type InformationWanted = z.infer<typeof InformationWanted>;

/** What an identity document's copy may be: a photo or a scan. */
export const ID_COPY_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export const ID_COPY_MAX_BYTES = 5 * 1024 * 1024;
export const IdCopySpec = /* @__PURE__ */ (() =>
  z
    .object({
      fileName: oneLine(200, '文件名', 'The file name'),
      contentType: z.enum(ID_COPY_TYPES, { error: bi('身份证明复印件应为 JPEG、PNG 图片或 PDF 文件。', 'The identity document copy must be a JPEG or PNG image or a PDF.') }),
      size: z
        .number()
        .int()
        .positive(bi('文件不能为空。', 'The file is empty.'))
        .max(ID_COPY_MAX_BYTES, bi('身份证明复印件不能超过 5 MB，请压缩或缩小后再上传。', 'The identity document copy is at most 5 MB: compress or shrink it.')),
    })
    .strict())();

export const ApplicationInput = /* @__PURE__ */ (() =>
  z
    .object({
      /** The 公开主体 applied to. */
      body: z.string().regex(/^[a-z0-9-]{1,40}$/, bi('请选择受理的公开主体。', 'Choose the body applied to.')),
      applicant: Applicant,
      request: InformationWanted,
      delivery: z.enum(DELIVERY_METHODS, { error: bi('请选择获取信息的方式（电子邮件、邮寄或当面领取）。', 'Choose how to receive the information.') }),
      format: z.enum(FORMATS, { error: bi('请选择信息的形式（电子文档或纸质文本）。', 'Choose the form of the information.') }),
      /** A copy of the identity document (Art. 29(一) 身份证明), uploaded after submission through a presigned form. */
      idCopy: IdCopySpec.optional(),
    })
    .strict()
    .superRefine((a, ctx) => {
      if (a.delivery === '电子邮件' && !a.applicant.email)
        ctx.addIssue({ code: 'custom', path: ['applicant', 'email'], message: bi('选择电子邮件送达时须填写电子邮箱。', 'Delivery by e-mail needs an e-mail address.') });
      if (a.delivery === '邮寄' && !a.applicant.address)
        ctx.addIssue({ code: 'custom', path: ['applicant', 'address'], message: bi('选择邮寄送达时须填写通信地址。', 'Delivery by post needs a postal address.') });
    }))();
export type ApplicationInput = z.infer<typeof ApplicationInput>;

// --- Answers (Art. 36) ----------------------------------------------------------------------

/**
 * The 不予公开 grounds as the annual report's table 三 counts them (国办公开办函〔2021〕30号),
 * each with the article it rests on.
 */
export const WITHHOLD_GROUNDS = {
  secret: { zh: '属于国家秘密', article: '《中华人民共和国政府信息公开条例》第十四条' },
  'law-forbids': { zh: '其他法律行政法规禁止公开', article: '《中华人民共和国政府信息公开条例》第十四条' },
  security: { zh: '危及“三安全一稳定”', article: '《中华人民共和国政府信息公开条例》第十四条' },
  'third-party': { zh: '保护第三方合法权益', article: '《中华人民共和国政府信息公开条例》第十五条' },
  internal: { zh: '属于三类内部事务信息', article: '《中华人民共和国政府信息公开条例》第十六条第一款' },
  process: { zh: '属于四类过程性信息', article: '《中华人民共和国政府信息公开条例》第十六条第二款' },
  enforcement: { zh: '属于行政执法案卷', article: '《中华人民共和国政府信息公开条例》第十六条第二款' },
  query: { zh: '属于行政查询事项', article: '《中华人民共和国政府信息公开条例》第三十六条第（七）项' },
} as const;
export type WithholdGround = keyof typeof WITHHOLD_GROUNDS;
const WithholdGroundId = /* @__PURE__ */ (() =>
  z.enum(Object.keys(WITHHOLD_GROUNDS) as [WithholdGround, ...WithholdGround[]], {
    error: bi('不予公开的理由应为条例规定的情形之一。', 'A ground for withholding must be one the regulation names.'),
  }))();

/** 无法提供 (Art. 36(四)(五)): the report's three. */
export const UNAVAILABLE_REASONS = {
  'not-held': { zh: '本机关不掌握相关政府信息', article: '《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项' },
  'needs-making': { zh: '没有现成信息需要另行制作', article: '《中华人民共和国政府信息公开条例》第三十八条' },
  unclear: { zh: '补正后申请内容仍不明确', article: '《中华人民共和国政府信息公开条例》第三十条' },
} as const;
/** 不予处理 (Art. 36(六), 39, 35). */
export const NOT_PROCESSED_REASONS = {
  petition: { zh: '信访举报投诉类申请', article: '《中华人民共和国政府信息公开条例》第三十九条第一款' },
  repeated: { zh: '重复申请', article: '《中华人民共和国政府信息公开条例》第三十六条第（六）项' },
  publication: { zh: '要求提供公开出版物', article: '《中华人民共和国政府信息公开条例》第三十九条第二款' },
  excessive: { zh: '无正当理由大量反复申请', article: '《中华人民共和国政府信息公开条例》第三十五条' },
  confirm: { zh: '要求行政机关确认或重新出具已获取信息', article: '《中华人民共和国政府信息公开条例》第三十六条' },
} as const;
/** 其他处理 (the report's three). */
export const OTHER_REASONS = {
  'not-completed': { zh: '申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', article: '《中华人民共和国政府信息公开条例》第三十条' },
  'fee-unpaid': { zh: '申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', article: '《政府信息公开信息处理费管理办法》' },
  other: { zh: '其他', article: '《中华人民共和国政府信息公开条例》' },
} as const;
const keysOf = <T extends object>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

const Withheld = /* @__PURE__ */ (() =>
  z
    .object({
      what: text(500, '不予公开的内容', 'What is withheld'),
      ground: WithholdGroundId,
      /** The reason in this case (why the ground applies). */
      reason: text(1000, '理由', 'The reason'),
      /**
       * 部分公开 of a Gongkai document (Art. 37, 区分处理): the passages withheld, copied word
       * for word from the document; each is redacted in the copy delivered, with this ground.
       */
      passages: z
        .array(text(2000, '不予公开的原文段落', 'A withheld passage'))
        .max(50)
        .optional(),
    })
    .strict())();

export const Answer = /* @__PURE__ */ (() =>
  z.discriminatedUnion(
    'type',
    [
      z
        .object({
          type: z.literal('予以公开'),
          /** What is given: a description, and the Gongkai documents delivered (their draft ids). */
          given: text(2000, '提供的信息', 'What is given'),
          documents: z
            .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/))
            .max(20)
            .default([]),
          /** Already 主动公开 (Art. 36(一)): where the applicant finds it. */
          publishedAt: oneLine(500, '获取途径', 'Where it is published').optional(),
        })
        .strict(),
      z
        .object({
          type: z.literal('部分公开'),
          given: text(2000, '提供的信息', 'What is given'),
          documents: z
            .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/))
            .max(20)
            .default([]),
          withheld: z.array(Withheld).min(1, bi('部分公开须写明不予公开的部分及其理由。', 'A partial disclosure names what is withheld and why.')).max(20),
        })
        .strict(),
      z
        .object({
          type: z.literal('不予公开'),
          withheld: z.array(Withheld).min(1, bi('不予公开须逐项写明理由和法律依据。', 'Withholding names each ground and its legal basis.')).max(20),
        })
        .strict(),
      z
        .object({
          type: z.literal('无法提供'),
          reason: z.enum(keysOf(UNAVAILABLE_REASONS)),
          explanation: text(1000, '说明', 'The explanation'),
          /** 非本机关掌握: the body that holds it, and how to reach it (Art. 36(五)). */
          holder: oneLine(200, '负责公开的机关及联系方式', 'The body that holds it, with its contact').optional(),
        })
        .strict(),
      z.object({ type: z.literal('不予处理'), reason: z.enum(keysOf(NOT_PROCESSED_REASONS)), explanation: text(1000, '说明', 'The explanation') }).strict(),
      z.object({ type: z.literal('其他处理'), reason: z.enum(keysOf(OTHER_REASONS)), explanation: text(1000, '说明', 'The explanation') }).strict(),
    ],
    { error: bi('答复类型应为条例第三十六条规定的类型之一。', 'The answer type must be one of Art. 36.') },
  ))();
export type Answer = z.infer<typeof Answer>;
export type AnswerType = Answer['type'];
export const ANSWER_TYPES: readonly AnswerType[] = ['予以公开', '部分公开', '不予公开', '无法提供', '不予处理', '其他处理'];

/** The article an answer rests on, and its reasons, as the answer document cites them. */
export function legalBasisOf(a: Answer): { zh: string; article: string }[] {
  switch (a.type) {
    case '予以公开':
      return [{ zh: '予以公开', article: '《中华人民共和国政府信息公开条例》第三十六条第（一）项、第（二）项' }];
    case '部分公开':
      return [{ zh: '部分公开（区分处理）', article: '《中华人民共和国政府信息公开条例》第三十七条' }, ...uniqueGrounds(a.withheld.map((w) => w.ground))];
    case '不予公开':
      return uniqueGrounds(a.withheld.map((w) => w.ground));
    case '无法提供':
      return [UNAVAILABLE_REASONS[a.reason]];
    case '不予处理':
      return [NOT_PROCESSED_REASONS[a.reason]];
    case '其他处理':
      return [OTHER_REASONS[a.reason]];
  }
}
const uniqueGrounds = (ids: readonly WithholdGround[]) => [...new Set(ids)].map((g) => WITHHOLD_GROUNDS[g]);

// --- The application and its steps -----------------------------------------------------------

export const APPLICATION_STATUSES = ['RECEIVED', 'AWAITING_COMPLETION', 'CONSULTING', 'PROPOSED', 'DECIDED', 'DELIVERED', 'ARCHIVED', 'WITHDRAWN'] as const;
export const ApplicationStatus = /* @__PURE__ */ (() => z.enum(APPLICATION_STATUSES))();
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;
export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, string> = {
  RECEIVED: '已登记，办理中',
  AWAITING_COMPLETION: '待申请人补正',
  CONSULTING: '征求第三方意见',
  PROPOSED: '办理意见待审批',
  DECIDED: '已作出答复决定，待送达',
  DELIVERED: '已送达',
  ARCHIVED: '已归档',
  WITHDRAWN: '已撤回',
};
/** Statuses in which the statutory clock can still run out (the deadline lists). */
export const OPEN_STATUSES: readonly ApplicationStatus[] = ['RECEIVED', 'AWAITING_COMPLETION', 'CONSULTING', 'PROPOSED', 'DECIDED'];

export const Consultation = /* @__PURE__ */ (() =>
  z.object({
    thirdParty: z.string(),
    /** The day the request for an opinion went out (the pause starts after it). */
    from: day,
    /** The last day the third party may answer (15 working days); absent when the calendar does not reach it. */
    dueOn: z.string().optional(),
    /** The day the opinion came back, or the consultation closed (the clock runs again the next working day). */
    to: day.optional(),
    opinion: z.enum(['同意公开', '不同意公开', '逾期未提出意见']).optional(),
  }))();
/** A copy of a Gongkai document made for one applicant (shared/render/delivery.ts). */
export const DeliveredDocument = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    title: z.string(),
    number: z.string().optional(),
    /** The copy's key in the drafts bucket (KEYS.deliveries). */
    key: z.string(),
    /** Passages redacted (部分公开) and personal data masked in it. */
    redacted: z.number().int(),
    masked: z.number().int(),
  }))();
export type DeliveredDocument = z.infer<typeof DeliveredDocument>;

/** Calendar days a delivered copy stays downloadable from the tracking page. */
export const DELIVERY_AVAILABLE_DAYS = 30;
/** Seconds one download link is valid (each visit of the tracking page makes new ones). */
export const DELIVERY_LINK_SECONDS = 900;

export const Extension = /* @__PURE__ */ (() =>
  z.object({ workingDays: z.number().int().min(1).max(MAX_EXTENSION_WORKING_DAYS), reason: z.string(), approvedBy: Actor, on: day }))();

export const Clock = /* @__PURE__ */ (() =>
  z.object({
    /** The day the application counts as received (Art. 31), or the day its completion was received (Art. 30). */
    startOn: day,
    consultations: z.array(Consultation),
    extension: Extension.optional(),
    /** While a 补正 notice waits: the day it was sent (the clock stands). */
    stoppedOn: day.optional(),
  }))();
export type Clock = z.infer<typeof Clock>;

export const ApplicationEvent = /* @__PURE__ */ (() =>
  z.object({
    at: z.string(),
    by: Actor,
    step: z.string(),
    label: z.string(),
    /** What the applicant is told on the tracking page (undefined: an internal step). */
    public: z.string().optional(),
    note: z.string().optional(),
    from: ApplicationStatus.optional(),
    to: ApplicationStatus,
  }))();
export type ApplicationEvent = z.infer<typeof ApplicationEvent>;

export const Application = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    /** What the applicant keeps to follow the application (never the id of the store). */
    trackingCode: z.string(),
    body: z.string(),
    channel: z.enum(CHANNELS),
    /** The day the application arrived (Art. 31 fixes from it the day it counts as received). */
    receivedOn: day,
    input: ApplicationInput,
    status: ApplicationStatus,
    clock: Clock,
    /** 补正: what the applicant was asked to complete (Art. 30: one notice, all of it). */
    completion: z
      .object({
        items: z.array(z.string()),
        requestedOn: day,
        /** The reasonable period given to complete (Art. 30), in working days, and its last day. */
        workingDays: z.number().int().optional(),
        dueOn: day.optional(),
        /** The notice went out after the 7 working days Art. 30 allows from receipt. */
        late: z.boolean().optional(),
        completedOn: day.optional(),
        supplement: z.string().optional(),
      })
      .optional(),
    proposal: z.object({ answer: Answer, by: Actor, on: day }).optional(),
    decision: z.object({ answer: Answer, proposedBy: Actor, approvedBy: Actor, on: day }).optional(),
    delivery: z
      .object({
        method: z.enum(DELIVERY_METHODS),
        on: day,
        by: Actor,
        note: z.string().optional(),
        /**
         * Gongkai documents given (予以公开 / 部分公开): a copy for this applicant only, with others'
         * personal data masked and the withheld passages redacted, kept in the private bucket and
         * offered through the tracking page by short-lived links until `availableUntil`.
         */
        documents: z.array(DeliveredDocument).optional(),
        availableUntil: day.optional(),
      })
      .optional(),
    history: z.array(ApplicationEvent),
    version: z.number().int(),
  }))();
export type Application = z.infer<typeof Application>;

/** A step the office (or the applicant, for 补正 and withdrawal) takes on an application. */
export const ApplicationStep = /* @__PURE__ */ (() =>
  z.discriminatedUnion(
    'step',
    [
      z
        .object({
          step: z.literal('request-completion'),
          items: z
            .array(oneLine(200, '需补正的事项', 'An item to complete'))
            .min(1, bi('补正告知须一次列明需要补正的全部事项。', 'A completion notice lists everything to complete, at once.'))
            .max(20),
          /** The reasonable period to complete (Art. 30: 合理的补正期限), in working days. */
          workingDays: z
            .number()
            .int()
            .min(5, bi('补正期限至少 5 个工作日。', 'Give at least 5 working days to complete.'))
            .max(60, bi('补正期限最多 60 个工作日。', 'At most 60 working days to complete.'))
            .default(COMPLETION_WORKING_DAYS),
          note: text(1000, '说明', 'The note').optional(),
        })
        .strict(),
      z.object({ step: z.literal('complete'), supplement: text(2000, '补正的内容', 'What is completed'), on: day.optional() }).strict(),
      z.object({ step: z.literal('consult'), thirdParty: oneLine(200, '第三方', 'The third party'), note: text(1000, '说明', 'The note').optional() }).strict(),
      z.object({ step: z.literal('consultation-reply'), opinion: z.enum(['同意公开', '不同意公开', '逾期未提出意见']), note: text(1000, '说明', 'The note').optional() }).strict(),
      z.object({ step: z.literal('propose'), answer: Answer }).strict(),
      z.object({ step: z.literal('approve'), note: text(1000, '说明', 'The note').optional() }).strict(),
      z.object({ step: z.literal('return'), note: text(1000, '退回理由', 'The reason for returning') }).strict(),
      z
        .object({
          step: z.literal('extend'),
          workingDays: z
            .number()
            .int()
            .min(1)
            .max(
              MAX_EXTENSION_WORKING_DAYS,
              bi(`延长答复期限最长不得超过 ${MAX_EXTENSION_WORKING_DAYS} 个工作日。`, `An extension is at most ${MAX_EXTENSION_WORKING_DAYS} working days.`),
            ),
          reason: text(1000, '延期理由', 'The reason for the extension'),
        })
        .strict(),
      z.object({ step: z.literal('deliver'), method: z.enum(DELIVERY_METHODS), on: day.optional(), note: text(500, '送达说明', 'The delivery note').optional() }).strict(),
      z.object({ step: z.literal('archive') }).strict(),
      z.object({ step: z.literal('withdraw'), reason: text(500, '撤回理由', 'The reason') }).strict(),
      z.object({ step: z.literal('transfer'), toBody: z.string().regex(/^[a-z0-9-]{1,40}$/), note: text(500, '说明', 'The note') }).strict(),
    ],
    { error: bi('不认识的办理步骤。', 'Not a step of handling an application.') },
  ))();
export type ApplicationStep = z.infer<typeof ApplicationStep>;
export type StepName = ApplicationStep['step'];

/** Who may take each step: the office handles, an approver approves and extends, the applicant completes and withdraws. */
export type StepActor = 'infocenter' | 'approver' | 'applicant';
export const STEP_ACTORS: Record<StepName, readonly StepActor[]> = {
  'request-completion': ['infocenter'],
  complete: ['applicant', 'infocenter'],
  consult: ['infocenter'],
  'consultation-reply': ['infocenter'],
  propose: ['infocenter'],
  approve: ['approver'],
  return: ['approver'],
  extend: ['approver'],
  deliver: ['infocenter'],
  archive: ['infocenter'],
  withdraw: ['applicant', 'infocenter'],
  transfer: ['infocenter'],
};

const FROM: Record<StepName, readonly ApplicationStatus[]> = {
  'request-completion': ['RECEIVED'],
  complete: ['AWAITING_COMPLETION'],
  consult: ['RECEIVED'],
  'consultation-reply': ['CONSULTING'],
  propose: ['RECEIVED'],
  approve: ['PROPOSED'],
  return: ['PROPOSED'],
  extend: ['RECEIVED', 'CONSULTING', 'PROPOSED'],
  deliver: ['DECIDED'],
  archive: ['DELIVERED'],
  withdraw: ['RECEIVED', 'AWAITING_COMPLETION', 'CONSULTING', 'PROPOSED'],
  transfer: ['RECEIVED'],
};

export const STEP_LABELS: Record<StepName | 'register', string> = {
  register: '登记',
  'request-completion': '补正告知',
  complete: '申请人补正',
  consult: '征求第三方意见',
  'consultation-reply': '第三方意见',
  propose: '提出办理意见',
  approve: '报批通过，作出答复决定',
  return: '办理意见退回',
  extend: '延长答复期限',
  deliver: '送达',
  archive: '归档',
  withdraw: '撤回申请',
  transfer: '转交公开主体',
};

/**
 * A step that the state machine refuses, with the reason in both languages: `role` when the
 * step is not the actor's to take, `state` when the application's state does not allow it.
 */
export class StepRefused extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
    readonly kind: 'role' | 'state' = 'state',
  ) {
    super(en);
    this.name = 'StepRefused';
  }
}

/**
 * A new application, registered (登记). `receivedOn` is the day it counts as received (Art. 31):
 * in person the day handed in, by post the day signed for, online the day the system confirms it.
 */
export function register(args: {
  id: string;
  trackingCode: string;
  input: ApplicationInput;
  channel: (typeof CHANNELS)[number];
  receivedOn: string;
  by: Actor;
  at: string;
}): Application {
  const startOn = args.receivedOn;
  return {
    id: args.id,
    trackingCode: args.trackingCode,
    body: args.input.body,
    channel: args.channel,
    receivedOn: args.receivedOn,
    input: args.input,
    status: 'RECEIVED',
    clock: { startOn, consultations: [] },
    history: [
      {
        at: args.at,
        by: args.by,
        step: 'register',
        label: STEP_LABELS.register,
        public: `申请已登记（${args.channel}），${startOn} 视为收到申请。`,
        to: 'RECEIVED',
      },
    ],
    version: 0,
  };
}

/** The deadline of the answer (Art. 33) as the clock stands, or why there is none now. */
export type AnswerDue =
  | { readonly kind: 'due'; readonly dueOn: string; readonly workingDays: number }
  | { readonly kind: 'stopped'; readonly since: string; readonly reason: 'completion' }
  | { readonly kind: 'paused'; readonly since: string; readonly until?: string; readonly reason: 'consultation' }
  | { readonly kind: 'closed' }
  | Extract<Deadline, { kind: 'uncovered' }>;

/** Working days the consultations paused the clock (from the day after the request to the day of the reply). */
function pausedWorkingDays(clock: Clock): number {
  return clock.consultations.reduce((n, c) => n + (c.to ? workingDaysBetween(c.from, c.to) : 0), 0);
}

export function answerDue(app: Pick<Application, 'status' | 'clock'>): AnswerDue {
  const { clock } = app;
  if (app.status === 'DELIVERED' || app.status === 'ARCHIVED' || app.status === 'WITHDRAWN') return { kind: 'closed' };
  if (clock.stoppedOn) return { kind: 'stopped', since: clock.stoppedOn, reason: 'completion' };
  const open = clock.consultations.find((c) => !c.to);
  if (open) return { kind: 'paused', since: open.from, ...(open.dueOn ? { until: open.dueOn } : {}), reason: 'consultation' };
  const days = ANSWER_WITHIN_WORKING_DAYS + (clock.extension?.workingDays ?? 0);
  let paused: number;
  try {
    paused = pausedWorkingDays(clock);
  } catch (err) {
    if (!(err instanceof CalendarNotCoveredError)) throw err;
    return deadlineAfter(`${err.year}-01-01`, 1) as Extract<Deadline, { kind: 'uncovered' }>;
  }
  const d = deadlineAfter(clock.startOn, days + paused);
  return d.kind === 'uncovered' ? d : { kind: 'due', dueOn: d.due, workingDays: days };
}

/**
 * The day the deadline lists sort by: the answer's due day, or, while consulting, the day the
 * third party's time ends (the office must act then). A deadline in a year the calendar does
 * not cover sorts at that year's first day, so it reaches the lists as the calendar runs out,
 * for the office to set by hand. Undefined when nothing is due.
 */
export function watchDay(app: Pick<Application, 'status' | 'clock'>): string | undefined {
  const due = answerDue(app);
  if (due.kind === 'due') return due.dueOn;
  if (due.kind === 'paused') return due.until ?? `${app.clock.consultations.find((c) => !c.to)!.from.slice(0, 4)}-12-31`;
  if (due.kind === 'uncovered') return `${due.year}-01-01`;
  return undefined;
}

export const URGENCIES = ['overdue', 'due-soon', 'uncovered', 'on-time', 'none'] as const;
export type Urgency = (typeof URGENCIES)[number];

/**
 * Overdue on `today`, due within DUE_SOON_WORKING_DAYS, or 'uncovered': the calendar does not
 * reach the deadline (the office sets it by hand; never guessed).
 */
export function urgency(app: Pick<Application, 'status' | 'clock'>, today: string): Urgency {
  if (answerDue(app).kind === 'uncovered') return 'uncovered';
  const d = watchDay(app);
  if (!d) return 'none';
  if (d < today) return 'overdue';
  try {
    return d <= addWorkingDays(today, DUE_SOON_WORKING_DAYS) ? 'due-soon' : 'on-time';
  } catch (err) {
    if (!(err instanceof CalendarNotCoveredError)) throw err;
    // The next five working days run past the calendar: a deadline before its end is close.
    return 'due-soon';
  }
}

/** The outcome of one step: the application as it now stands, and what the applicant is told. */
export interface StepResult {
  readonly application: Application;
  readonly event: ApplicationEvent;
}

/**
 * One step of handling (000 §二(四): 登记、受理、补正、征求意见、提出办理意见、作出决定、报批、送达).
 * `actor` is who takes it in which capacity; `today` is the China day; `at` the instant.
 */
export function takeStep(app: Application, input: z.input<typeof ApplicationStep>, actor: { who: Actor; as: StepActor }, today: string, at: string): StepResult {
  const step = ApplicationStep.parse(input);
  if (!STEP_ACTORS[step.step].includes(actor.as))
    throw new StepRefused(
      `“${STEP_LABELS[step.step]}”不能由${actor.as === 'applicant' ? '申请人' : actor.as === 'approver' ? '审批人' : '信息中心'}办理。`,
      `${step.step} cannot be taken by the ${actor.as}.`,
      'role',
    );
  if (!FROM[step.step].includes(app.status))
    throw new StepRefused(
      `申请当前状态为“${APPLICATION_STATUS_LABELS[app.status]}”，不能办理“${STEP_LABELS[step.step]}”。`,
      `The application is ${app.status}: "${step.step}" is not possible now.`,
    );
  const clock: Clock = { ...app.clock, consultations: [...app.clock.consultations] };
  let next: Application = { ...app, clock };
  let to: ApplicationStatus = app.status;
  let publicText: string | undefined;
  let note: string | undefined;

  switch (step.step) {
    case 'request-completion': {
      // Art. 30: one notice, listing everything; within 7 working days of receipt.
      if (app.completion)
        throw new StepRefused('补正告知只能一次性发出，本申请已经告知过。', 'A completion notice is sent once, listing everything; this application already had one.');
      const due = deadlineAfter(today, step.workingDays);
      let late = false;
      try {
        late = workingDaysBetween(app.clock.startOn, today) > COMPLETION_NOTICE_WITHIN_WORKING_DAYS;
      } catch (err) {
        if (!(err instanceof CalendarNotCoveredError)) throw err;
      }
      next = {
        ...next,
        completion: { items: step.items, requestedOn: today, workingDays: step.workingDays, ...(due.kind === 'due' ? { dueOn: due.due } : {}), ...(late ? { late } : {}) },
      };
      clock.stoppedOn = today;
      to = 'AWAITING_COMPLETION';
      publicText = `请在 ${step.workingDays} 个工作日内${due.kind === 'due' ? `（${due.due} 前）` : ''}补正以下事项：${step.items.join('；')}。答复期限自收到补正后的申请之日起重新计算；无正当理由逾期不补正的，视为放弃申请。`;
      note = [late ? `补正告知晚于收到申请后 ${COMPLETION_NOTICE_WITHIN_WORKING_DAYS} 个工作日（条例第三十条）` : '', step.note ?? ''].filter(Boolean).join('；') || undefined;
      break;
    }
    case 'complete': {
      const on = step.on ?? today;
      if (on < (app.completion?.requestedOn ?? app.receivedOn) || on > today)
        throw new StepRefused('补正日期应在补正告知之后且不晚于今天。', 'The completion date falls between the notice and today.');
      next = { ...next, completion: { ...app.completion!, completedOn: on, supplement: step.supplement } };
      delete clock.stoppedOn;
      clock.startOn = on;
      clock.consultations = [];
      to = 'RECEIVED';
      publicText = `已收到补正，${on} 起重新计算答复期限。`;
      note = step.supplement;
      break;
    }
    case 'consult': {
      const dueOn = deadlineAfter(today, CONSULTATION_WORKING_DAYS);
      clock.consultations.push({ thirdParty: step.thirdParty, from: today, ...(dueOn.kind === 'due' ? { dueOn: dueOn.due } : {}) });
      to = 'CONSULTING';
      publicText = `涉及第三方合法权益，已书面征求第三方意见；征求意见所需时间不计算在答复期限内（最长 ${CONSULTATION_WORKING_DAYS} 个工作日）。`;
      note = step.note;
      break;
    }
    case 'consultation-reply': {
      const i = clock.consultations.findIndex((c) => !c.to);
      const c = clock.consultations[i]!;
      // The pause ends with the reply, or with the 15th working day at the latest.
      const to_ = c.dueOn && today > c.dueOn ? c.dueOn : today;
      clock.consultations[i] = { ...c, to: to_, opinion: step.opinion };
      to = 'RECEIVED';
      publicText = '征求第三方意见已结束，答复期限继续计算。';
      note = [step.opinion, step.note].filter(Boolean).join('：');
      break;
    }
    case 'propose': {
      next = { ...next, proposal: { answer: step.answer, by: actor.who, on: today } };
      to = 'PROPOSED';
      note = `${step.answer.type}`;
      break;
    }
    case 'approve': {
      const p = app.proposal!;
      if (p.by.sub === actor.who.sub) throw new StepRefused('不能审批自己提出的办理意见，请由另一位审批人审批。', 'Nobody approves their own proposal: another approver must.');
      next = { ...next, decision: { answer: p.answer, proposedBy: p.by, approvedBy: actor.who, on: today } };
      to = 'DECIDED';
      publicText = `已作出答复决定（${p.answer.type}），将按您选择的方式送达。`;
      note = step.note;
      break;
    }
    case 'return': {
      const { proposal: _dropped, ...rest } = next;
      next = rest;
      to = 'RECEIVED';
      note = step.note;
      break;
    }
    case 'extend': {
      if (clock.extension) throw new StepRefused('答复期限只能延长一次。', 'The deadline can be extended once.');
      const due = answerDue(app);
      if (due.kind === 'due' && due.dueOn < today) throw new StepRefused('答复期限已过，不能再延长。', 'The deadline has passed: it can no longer be extended.');
      clock.extension = { workingDays: step.workingDays, reason: step.reason, approvedBy: actor.who, on: today };
      publicText = `经批准，答复期限延长 ${step.workingDays} 个工作日。理由：${step.reason}`;
      note = step.reason;
      break;
    }
    case 'deliver': {
      const on = step.on ?? today;
      if (on < app.decision!.on || on > today) throw new StepRefused('送达日期应在答复决定之后且不晚于今天。', 'The delivery date falls between the decision and today.');
      next = { ...next, delivery: { method: step.method, on, by: actor.who, ...(step.note ? { note: step.note } : {}) } };
      to = 'DELIVERED';
      publicText = `答复已于 ${on} 以${step.method}方式送达。`;
      note = step.note;
      break;
    }
    case 'archive': {
      to = 'ARCHIVED';
      publicText = '办理完毕，已归档。';
      break;
    }
    case 'withdraw': {
      to = 'WITHDRAWN';
      publicText = actor.as === 'applicant' ? '申请人已撤回申请。' : `申请已撤回：${step.reason}`;
      note = step.reason;
      break;
    }
    case 'transfer': {
      if (step.toBody === app.body) throw new StepRefused('申请已在该公开主体。', 'The application is already with that body.');
      next = { ...next, body: step.toBody };
      publicText = '申请已转交负责公开该信息的公开主体办理。';
      note = step.note;
      break;
    }
  }

  const event: ApplicationEvent = {
    at,
    by: actor.who,
    step: step.step,
    label: STEP_LABELS[step.step],
    ...(publicText ? { public: publicText } : {}),
    ...(note ? { note } : {}),
    from: app.status,
    to,
  };
  return { application: { ...next, status: to, history: [...app.history, event] }, event };
}

/** What the applicant sees on the tracking page: no identity number, no internal note. */
export function trackingView(app: Application, bodyName: string): TrackingView {
  const due = answerDue(app);
  return {
    trackingCode: app.trackingCode,
    body: { id: app.body, name: bodyName },
    receivedOn: app.receivedOn,
    status: app.status,
    statusLabel: APPLICATION_STATUS_LABELS[app.status],
    description: app.input.request.description,
    due,
    ...(app.completion && !app.completion.completedOn && app.status === 'AWAITING_COMPLETION'
      ? { completion: { items: app.completion.items, requestedOn: app.completion.requestedOn, ...(app.completion.dueOn ? { dueOn: app.completion.dueOn } : {}) } }
      : {}),
    ...(app.decision ? { answerType: app.decision.answer.type } : {}),
    steps: app.history.filter((e) => e.public).map((e) => ({ on: e.at, label: e.label, text: e.public! })),
  };
}

/** Masks an identity number for people who do not need it whole (the console's lists). */
export const maskId = (n: string): string => (n.length <= 4 ? '*'.repeat(n.length) : `${n.slice(0, 2)}${'*'.repeat(n.length - 4)}${n.slice(-2)}`);

// --- What the API answers ---------------------------------------------------------------------

export const AnswerDueView = /* @__PURE__ */ (() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('due'), dueOn: z.string(), workingDays: z.number() }),
    z.object({ kind: z.literal('stopped'), since: z.string(), reason: z.literal('completion') }),
    z.object({ kind: z.literal('paused'), since: z.string(), until: z.string().optional(), reason: z.literal('consultation') }),
    z.object({ kind: z.literal('closed') }),
    z.object({ kind: z.literal('uncovered'), year: z.number(), message: z.object({ zh: z.string(), en: z.string() }) }),
  ]))();

/** The applicant's page: each step the applicant is told of, with its date, and the deadline. */
export const TrackingView = /* @__PURE__ */ (() =>
  z.object({
    trackingCode: z.string(),
    body: z.object({ id: z.string(), name: z.string() }),
    receivedOn: z.string(),
    status: ApplicationStatus,
    statusLabel: z.string(),
    description: z.string(),
    due: AnswerDueView,
    completion: z.object({ items: z.array(z.string()), requestedOn: z.string(), dueOn: z.string().optional() }).optional(),
    answerType: z.string().optional(),
    steps: z.array(z.object({ on: z.string(), label: z.string(), text: z.string() })),
    /** The copies of the documents given, to download: each link valid for minutes, offered until documentsAvailableUntil. */
    documents: z.array(z.object({ title: z.string(), number: z.string().optional(), url: z.string(), expiresAt: z.string() })).optional(),
    documentsAvailableUntil: z.string().optional(),
  }))();
export type TrackingView = z.infer<typeof TrackingView>;

/** What the applicant gets back on applying online (Art. 31: it counts as received the day it is confirmed). */
/** A presigned form for one applicant upload: POST `fields` and the file to `url` before `expiresAt`. */
export const ApplicantUpload = /* @__PURE__ */ (() =>
  z.object({ url: z.string(), fields: z.record(z.string(), z.string()), maxBytes: z.number().int(), contentType: z.string(), expiresAt: z.string() }))();

export const ApplicationReceipt = /* @__PURE__ */ (() =>
  TrackingView.extend({
    /** The page that shows the application's progress, with the code in it. */
    trackingPath: z.string(),
    /** Where to upload the identity document's copy, when the application declares one. */
    idCopyUpload: ApplicantUpload.optional(),
  }))();

/** The steps an applicant takes with the tracking code: 补正 and withdrawal. */
export const ApplicantStep = /* @__PURE__ */ (() =>
  z.discriminatedUnion(
    'step',
    [
      z.object({ step: z.literal('complete'), supplement: text(2000, '补正的内容', 'What is completed') }).strict(),
      z.object({ step: z.literal('withdraw'), reason: text(500, '撤回理由', 'The reason') }).strict(),
    ],
    { error: bi('申请人只能补正或撤回申请。', 'An applicant can complete or withdraw the application.') },
  ))();

/** An application as the office handles it (the whole record, with its clock). */
export const ApplicationView = /* @__PURE__ */ (() =>
  Application.extend({
    bodyName: z.string(),
    statusLabel: z.string(),
    due: AnswerDueView,
    urgency: z.enum(URGENCIES),
    /** The identity document's copy, when declared: whether it arrived, and a link valid for minutes. */
    idCopy: z
      .object({ fileName: z.string(), contentType: z.string(), size: z.number(), uploaded: z.boolean(), url: z.string().optional(), problem: z.string().optional() })
      .optional(),
    /** The steps the office may take now, and who may take them. */
    nextSteps: z.array(z.object({ step: z.string(), label: z.string(), by: z.array(z.string()) })),
  }))();
export type ApplicationView = z.infer<typeof ApplicationView>;

/** One line of the office's lists: no identity number, no contact. */
export const ApplicationSummary = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    /** What the applicant quotes on the phone: the office finds the row by it. */
    trackingCode: z.string(),
    body: z.string(),
    applicant: z.string(),
    applicantType: z.string(),
    description: z.string(),
    receivedOn: z.string(),
    status: ApplicationStatus,
    statusLabel: z.string(),
    watchOn: z.string().optional(),
    /** The answer's clock as the application view gives it (due, stopped, paused, closed, uncovered). */
    due: AnswerDueView,
    urgency: z.enum(URGENCIES),
  }))();
export type ApplicationSummary = z.infer<typeof ApplicationSummary>;

export const RegisterApplicationRequest = /* @__PURE__ */ (() =>
  z
    .object({
      channel: z.enum(CHANNELS, { error: bi('请选择申请方式（当面、信函、传真或互联网）。', 'Choose how the application came.') }),
      /** Art. 31: in person the day it was handed in, by post the day signed for, by fax or online the day confirmed. */
      receivedOn: day,
      application: ApplicationInput,
    })
    .strict())();

export const viewOf = (a: Application, bodyName: string, today: string): ApplicationView => ({
  ...a,
  bodyName,
  statusLabel: APPLICATION_STATUS_LABELS[a.status],
  due: answerDue(a),
  urgency: urgency(a, today),
  nextSteps: (Object.keys(FROM) as StepName[])
    .filter((s) => FROM[s].includes(a.status) && !(s === 'extend' && a.clock.extension) && !(s === 'request-completion' && a.completion))
    .map((s) => ({ step: s, label: STEP_LABELS[s], by: [...STEP_ACTORS[s]] })),
});

export const summaryOf = (a: Application, today: string): ApplicationSummary => ({
  id: a.id,
  trackingCode: a.trackingCode,
  body: a.body,
  applicant: a.input.applicant.name,
  applicantType: a.input.applicant.type,
  description: [...a.input.request.description].slice(0, 80).join(''),
  receivedOn: a.receivedOn,
  status: a.status,
  statusLabel: APPLICATION_STATUS_LABELS[a.status],
  ...(watchDay(a) ? { watchOn: watchDay(a) } : {}),
  due: answerDue(a),
  urgency: urgency(a, today),
});
