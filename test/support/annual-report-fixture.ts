import { CELLS, type AnnualReport } from '#shared/domain/annual-report';

/**
 * A complete 年度报告 for the rendering tests: every cell of tables 二, 三 and 四 holds a value
 * no other cell holds (1001, 1002, … in the format's order; the fee a decimal), so a test can
 * find each one in exactly its row and column.
 */
const office = { sub: 'u-infocenter', name: '赵六', role: 'infocenter' };
const at = '2027-01-10T02:00:00.000Z';

export const cellValue = (id: string): number => {
  const i = CELLS.findIndex((c) => c.id === id);
  return id.endsWith('.amount') ? 12.3456 : 1001 + i;
};

export function reportFixture(over: Partial<AnnualReport> = {}): AnnualReport {
  return {
    body: 'yanhu',
    year: '2026',
    status: 'SUBMITTED',
    version: 3,
    cells: Object.fromEntries(
      CELLS.map((c) => [c.id, c.computed ? { source: 'computed' as const, value: cellValue(c.id), at } : { source: 'entered' as const, value: cellValue(c.id), by: office, at }]),
    ),
    sections: {
      overview: { text: '2026年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。\n全年主动公开政府信息1200余条。', by: office, at },
      problems: { text: '政策解读形式还不够丰富。\n下一步将增加图解、视频等解读形式。', by: office, at },
      other: { text: '本年度未收取信息处理费。', by: office, at },
    },
    createdAt: '2027-01-02T02:00:00.000Z',
    updatedAt: at,
    submittedBy: office,
    submittedAt: at,
    ...over,
  };
}
