import { describe, expect, it } from 'vitest';
import { entriesFromCsv, parseCsv, progressLine } from '#cli/submit';

describe('the submit CLI manifest', () => {
  it('parses CSV as RFC 4180: quotes, doubled quotes, CRLF, a BOM, blank lines', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\r\nz,\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['z', ''],
    ]);
    expect(parseCsv('a,"multi\nline"')).toEqual([['a', 'multi\nline']]);
  });

  it('maps Chinese and dotted headers onto the form, with yes/no and mode words', () => {
    const { entries, issues } = entriesFromCsv(
      ['文件,标题,是否政策性文件,解读方式,无需解读理由,联系人,contact.phone,validity.years,文号', 'a.pdf,标题一二三,否,无需,不需要解读的理由,赵敏,0359-2021234,5,'].join('\n'),
    );
    expect(issues).toEqual([]);
    expect(entries).toEqual([
      {
        file: 'a.pdf',
        form: {
          title: '标题一二三',
          isPolicy: false,
          interpretation: { mode: 'not-needed', reason: '不需要解读的理由' },
          contact: { name: '赵敏', phone: '0359-2021234' },
          validity: { years: 5 },
        },
      },
    ]);
  });

  it('takes an interpretation file as an attached interpretation, and names unknown columns', () => {
    expect(entriesFromCsv('file,解读文件\na.pdf,b.txt').entries).toEqual([{ file: 'a.pdf', interpretation: 'b.txt', form: { interpretation: { mode: 'attached' } } }]);
    expect(entriesFromCsv('file,颜色\na.pdf,红').issues).toEqual(['未知的列“颜色” / unknown column "颜色"']);
  });

  it('draws a plain text progress bar', () => {
    expect(progressLine(0, 4, 'x', 8)).toBe('[........] 0/4 x');
    expect(progressLine(2, 4, 'x', 8)).toBe('[####....] 2/4 x');
    expect(progressLine(4, 4, 'x', 8)).toBe('[########] 4/4 x');
  });
});
