import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { CreateDraftRequest } from '#shared/api';
import type { Status } from '#shared/domain/draft';
import { fileSpec, GongkaiClient, uploadFile, type CreatedDraft } from '#client/gongkai';

/**
 * The sample drafts `npm start` pushes through the pipeline: the five real notices of the
 * corpus as drafting units would declare them, declarations that break the rules, and
 * every broken file of the corpus. Each says what it should come to.
 */
export const corpusDir = (): string => process.env.GONGKAI_CORPUS ?? fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const samplesDir = fileURLToPath(new URL('./samples/', import.meta.url));

type Form = CreateDraftRequest['form'];

export interface Sample {
  readonly name: string;
  readonly document: string;
  readonly interpretation?: string;
  readonly form: Form;
  /** Where the sample should end after the demo approver has approved what reaches it. */
  readonly expect: Status;
  readonly why: string;
}

const contact = { name: '赵敏', phone: '0359-2021234' };
const notNeeded = (reason: string) => ({ mode: 'not-needed' as const, reason });

const base = (over: Partial<Form> & Pick<Form, 'title'>): Form => ({
  draftingUnit: '运城市盐湖区人民政府办公室',
  documentType: '通知',
  documentDate: '2020-12-10',
  isPolicy: false,
  attribute: '主动公开',
  interpretation: notNeeded('印发工作方案的通知，不涉及公众权利义务，无需解读'),
  contact,
  ...over,
});

export const SAMPLES: readonly Sample[] = [
  {
    name: '盐湖区工作方案 (PDF)',
    document: 'pdf/000_70017f665202e428.pdf',
    form: base({ title: '运城市盐湖区人民政府办公室关于印发运城市盐湖区全面推进基层政务公开标准化规范化工作方案的通知', documentNumber: '运盐政办发〔2020〕60号' }),
    expect: 'PUBLISHED',
    why: '主动公开，非政策性文件，声明无需解读',
  },
  {
    name: '李沧区工作方案 (DOCX)',
    document: 'docx/001_635c498a68e213e6.docx',
    form: base({
      title: '李沧区人民政府办公室关于印发《青岛市李沧区全面推进基层政务公开标准化规范化工作方案》的通知',
      draftingUnit: '青岛市李沧区人民政府办公室',
      documentDate: '2020-06-11',
    }),
    expect: 'PUBLISHED',
    why: 'Word 文件，主动公开',
  },
  {
    name: '古县 2022 年工作要点 (PDF)',
    document: 'pdf/002_6bc38a5105b87f60.pdf',
    form: base({
      title: '古县人民政府办公室关于印发古县2022年政务公开工作要点的通知',
      draftingUnit: '古县人民政府办公室',
      documentNumber: '古政办发〔2022〕30号',
      documentDate: '2022-05-20',
      documentType: '要点',
    }),
    expect: 'PUBLISHED',
    why: '主动公开',
  },
  {
    name: '江西实施意见 + 解读 (PDF)',
    document: 'pdf/004_a31f9dc5403041b8.pdf',
    interpretation: join(samplesDir, '004-interpretation.txt'),
    form: base({
      title: '江西省人民政府办公厅关于全面推进基层政务公开标准化规范化的实施意见',
      draftingUnit: '江西省人民政府办公厅',
      documentNumber: '赣府厅发〔2020〕17号',
      documentType: '意见',
      documentDate: '2020-09-30',
      isPolicy: true,
      interpretation: { mode: 'attached', format: '文字' },
    }),
    expect: 'PUBLISHED',
    why: '政策性文件，随文提交解读，发布后互相链接',
  },
  {
    name: '盐湖区工作方案，依申请公开 (DOCX)',
    document: 'docx/000_70017f665202e428.docx',
    form: base({
      title: '运城市盐湖区人民政府办公室关于印发运城市盐湖区全面推进基层政务公开标准化规范化工作方案的通知（内部分工版）',
      documentNumber: '运盐政办发〔2020〕60号',
      attribute: '依申请公开',
      nonPublicReason: '方案附件含各责任单位内部分工和联系人信息，属于内部事务信息',
      legalBasis: '《中华人民共和国政府信息公开条例》第十六条第一款',
    }),
    expect: 'FILED',
    why: '依申请公开，理由和依据齐全：归档，不写入公开网站，一年后复核',
  },
  {
    name: '尤溪县实施方案，标注与申报不符 (DOCX)',
    document: 'docx/003_947bd769dad19b2f.docx',
    form: base({
      title: '尤溪县人民政府办公室关于印发尤溪县全面推进基层政务公开标准化规范化工作实施方案的通知',
      draftingUnit: '尤溪县人民政府办公室',
      documentNumber: '尤政办〔2020〕31号',
      documentDate: '2020-07-15',
      attribute: '依申请公开',
      nonPublicReason: '方案附件含各责任单位内部分工和联系人信息，属于内部事务信息',
      legalBasis: '《中华人民共和国政府信息公开条例》第十六条第一款',
    }),
    expect: 'REJECTED',
    why: 'ATTR-4：正文标注（此件主动公开），与申报的依申请公开矛盾',
  },
  {
    name: '解读照抄原文 (DOCX)',
    document: 'docx/004_a31f9dc5403041b8.docx',
    interpretation: 'txt/004_a31f9dc5403041b8.txt',
    form: base({
      title: '江西省人民政府办公厅关于全面推进基层政务公开标准化规范化的实施意见（解读照抄原文）',
      draftingUnit: '江西省人民政府办公厅',
      documentNumber: '赣府厅发〔2020〕17号',
      documentType: '意见',
      documentDate: '2020-09-30',
      isPolicy: true,
      interpretation: { mode: 'attached', format: '文字' },
    }),
    expect: 'REJECTED',
    why: 'INT-3：解读材料不能停留在粘原文的层面',
  },
  {
    name: '含个人信息的公示 (TXT)',
    document: join(samplesDir, 'personal-data-notice.txt'),
    form: base({
      title: '运城市盐湖区民政局关于2024年第一批临时救助对象的公示',
      draftingUnit: '运城市盐湖区民政局',
      documentType: '公告',
      documentDate: '2024-03-01',
      domain: '社会救助',
      interpretation: notNeeded('公示名单，无需解读'),
    }),
    expect: 'PUBLISHED',
    why: 'PUB-4：身份证号、手机号、车牌在公开页面上打码',
  },
  {
    name: '不予公开但理由笼统 (PDF)',
    document: 'pdf/003_947bd769dad19b2f.pdf',
    form: base({
      title: '尤溪县人民政府办公室关于印发实施方案的通知（理由不充分）',
      draftingUnit: '尤溪县人民政府办公室',
      attribute: '不予公开',
      nonPublicReason: '内部文件，不宜公开',
    }),
    expect: 'REJECTED',
    why: 'ATTR-2：理由笼统且无法律依据',
  },
  {
    name: '政策性文件未附解读 (DOCX)',
    document: 'docx/004_a31f9dc5403041b8.docx',
    form: base({
      title: '江西省人民政府办公厅关于全面推进基层政务公开标准化规范化的实施意见（未附解读）',
      draftingUnit: '江西省人民政府办公厅',
      documentType: '意见',
      isPolicy: true,
    }),
    expect: 'REJECTED',
    why: 'INT-1：政策性文件必须随文解读',
  },
  {
    name: '未明确公开属性 (DOCX)',
    document: 'docx/002_6bc38a5105b87f60.docx',
    form: (({ attribute: _omit, ...rest }) => rest)(base({ title: '古县人民政府办公室关于印发古县2022年政务公开工作要点的通知（未定属性）', draftingUnit: '古县人民政府办公室' })),
    expect: 'REJECTED',
    why: 'ATTR-1：未明确公开属性，不予发文',
  },
  ...(
    [
      ['scanned_002.pdf', 'PUBLISHED', '扫描件，无文字层：由 OCR 识别文字，逐页标注置信度（FILE-2），照常审核发布'],
      ['encrypted_userpw_004.pdf', 'REJECTED', '需要密码'],
      ['truncated_004.pdf', 'REJECTED', '文件损坏'],
      ['truncated_1k_004.pdf', 'REJECTED', '文件损坏'],
      ['truncated_noxref_004.pdf', 'REJECTED', '文件损坏'],
      ['truncated_003.docx', 'REJECTED', '文件损坏'],
      ['fake_zip.pdf', 'REJECTED', '不是 PDF 或 Word'],
      ['fake_exe.pdf', 'REJECTED', '不是 PDF 或 Word'],
      ['fake_docx_renamed.pdf', 'PUBLISHED', '实为 Word 文件：按内容提取并提示扩展名不符'],
      ['fake_pdf_renamed.docx', 'PUBLISHED', '实为 PDF 文件：按内容提取并提示扩展名不符'],
    ] as const
  ).map(([file, expect, why]): Sample => ({
    name: `问题文件 ${file}`,
    document: `bad/${file}`,
    form: base({ title: `问题文件示例：${file}`, draftingUnit: '运城市盐湖区发展和改革局' }),
    expect,
    why,
  })),
];

/** Submits a sample as a drafting unit would: declare, then upload to the presigned URLs. */
export async function submitSample(client: GongkaiClient, sample: Sample, corpus = corpusDir()): Promise<CreatedDraft> {
  const doc = await fileSpec(sample.document.startsWith('/') ? sample.document : join(corpus, sample.document));
  const interp = sample.interpretation ? await fileSpec(sample.interpretation.startsWith('/') ? sample.interpretation : join(corpus, sample.interpretation)) : undefined;
  const created = await client.createDraft({
    form: sample.form,
    files: { document: doc.spec, ...(interp ? { interpretation: interp.spec } : {}) },
  });
  for (const upload of created.uploads) {
    const file = upload.part === 'document' ? doc : interp!;
    await uploadFile(upload, file.bytes, file.spec.fileName);
  }
  return created;
}
