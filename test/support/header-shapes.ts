/**
 * Real 国办 header shapes (issue 15), shared by the detector tests (test/unit/detect-real.test.ts)
 * and the own-number bench (bench/detectors-own-number.ts): title stems, the 文种 a title ends
 * with, and 机关代字 as they appear on real documents.
 */

/** Title stems as they stand before the 文种 on real documents. */
export const TITLE_STEMS = [
  '国务院办公厅关于同意建立全国社会保险工作部际联席会议制度的',
  '国务院办公厅关于印发国家突发公共事件总体应急',
  '某某市人民政府关于进一步加强政务公开工作的',
  '国家中长期人才发展规划',
  '关于对省十三届人大三次会议第0123号建议的',
  '2019年国民经济和社会发展统计',
] as const;

/** 文种 a title ends with, as listed in issue 15 and the rest of titles.ts's words. */
export const TITLE_WORDS = [
  '复函',
  '函',
  '答复',
  '细则',
  '规则',
  '规划',
  '纲要',
  '预案',
  '计划',
  '名单',
  '清单',
  '标准',
  '公报',
  '议案',
  '通知',
  '意见',
  '办法',
  '决定',
  '批复',
  '报告',
  '方案',
  '规定',
  '条例',
  '指南',
  '制度',
  '目录',
  '决议',
  '命令',
  '令',
] as const;

/** Real 机关代字 shapes. */
export const ORGANS = ['国办函', '国办发', '国发', '国函', '国办发明电', '晋政办发', '晋政办函', '运盐政办发', '发改规划', '发改高技', '国统字', '京政发'] as const;
