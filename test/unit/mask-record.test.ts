import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '#shared/render/mask';
import { maskAddress, maskName, surnameOf } from '#shared/rules/person-record';
import { evaluate, spansToMask } from '#shared/rules/index';
import { formOf } from '../support/rule-drafts.ts';

// Resident IDs with a correct check character; a roster as appended to a 公示.
const roster = [
  '附件：拟享受补贴人员名单',
  '序号 姓名 身份证号 住址 联系电话',
  '1 王小明 140802198805120012 运城市盐湖区北城街道红旗村3组12号 0359-2456789',
  '2 欧阳建国 11010519491231002X 盐湖区解州镇西关村5号 13935912345',
  '3 李某某 11010519491231002X 王村 0351-7654321',
  '当事人张三，身份证号140802198805120012，家庭住址：山西省运城市盐湖区安邑街道学苑小区2栋301室，住宅电话010-62345678；',
  '签发人：赵四',
  '联系人：钱五，联系电话：0359-6281234。',
  '主送：各乡镇人民政府，王家庄村委会。',
].join('\n');

describe("PUB-4: a private person's name and home address are masked with the record (issue 15 item 3)", () => {
  const out = maskPersonalData(roster);

  it('publishes a name as surname + 某, single and compound surnames', () => {
    expect(out).toContain('1 王某 140802');
    expect(out).toContain('2 欧阳某 110105');
    expect(out).toContain('当事人张某，');
    for (const clear of ['王小明', '欧阳建国', '张三']) expect(out).not.toContain(clear);
  });

  it('cuts a home address to the street / township', () => {
    expect(out).toContain('运城市盐湖区北城街道***');
    expect(out).toContain('盐湖区解州镇***');
    expect(out).toContain('家庭住址：山西省运城市盐湖区安邑街道***，');
    for (const clear of ['红旗村', '西关村', '学苑小区', '301室']) expect(out).not.toContain(clear);
  });

  it('leaves officials in their role, place names and names already masked', () => {
    expect(out).toContain('签发人：赵四');
    expect(out).toContain('联系人：钱五，联系电话：0359-6281234');
    expect(out).toContain('主送：各乡镇人民政府，王家庄村委会。');
    expect(out).toContain('3 李某某 110105');
    expect(out).toContain(' 王村 ');
    const kinds = spansToMask(roster)
      .filter((s) => s.kind === 'name')
      .map((s) => s.text);
    expect(kinds).toEqual(['王小明', '欧阳建国', '张三']);
  });

  it('does not mask a name or address outside a record with a private identifier', () => {
    const text = '经办人王小明，地址运城市盐湖区北城街道红旗村3组12号，电话0359-2456789。';
    expect(maskPersonalData(text)).toBe(text);
  });

  it('reads names and addresses conservatively', () => {
    expect(surnameOf('高中')).toBeUndefined();
    expect(surnameOf('张家湾')).toBeUndefined();
    expect(surnameOf('张某某')).toBeUndefined();
    expect(surnameOf('诸葛亮')).toBe('诸葛');
    // A label glued to the identifier after it is no name (车 and 方 are surnames).
    expect(surnameOf('车牌')).toBeUndefined();
    expect(spansToMask('另一当事人身份证号140802198805120012，手机13912345678，车牌晋MD12345。').map((x) => x.kind)).toEqual(['resident-id', 'mobile', 'plate']);
    expect(maskName('欧阳小明')).toBe('欧阳某');
    expect(maskAddress('古县岳阳镇东街村12号')).toBe('古县岳阳镇***');
    expect(maskAddress('运城市盐湖区学苑路12号')).toBe('运城市盐湖区***');
  });

  it('is idempotent on the published text', () => {
    expect(maskPersonalData(out)).toBe(out);
  });
});

describe('a roster row as the normaliser leaves it (no blanks between Han characters and digits)', () => {
  it("still masks the name and address, the detectors' spans separating the cells", () => {
    const row = '1王小明140802198805120012运城市盐湖区北城街道红旗村3组12号13935912345\n2欧阳建国11010519491231002X盐湖区解州镇西关村5号0359-2456789';
    const out = maskPersonalData(row);
    expect(out).toBe('1王某140802********0012运城市盐湖区北城街道***139****2345\n2欧阳某110105********002X盐湖区解州镇***0359-****789');
  });
});

describe('PUB-4 tells the drafter which names and addresses go with a record', () => {
  it('warns with each name and address as evidence', () => {
    const f = evaluate({ form: formOf({ attribute: '主动公开' }), document: { text: roster } }).filter((x) => x.ruleId === 'PUB-4');
    const persons = f.find((x) => x.zh.includes('个人姓名或住址'))!;
    expect(persons.severity).toBe('warn');
    expect(persons.evidence!.map((e) => e.text)).toEqual([
      '王小明',
      '运城市盐湖区北城街道红旗村3组12号',
      '欧阳建国',
      '盐湖区解州镇西关村5号',
      '张三',
      '山西省运城市盐湖区安邑街道学苑小区2栋301室',
    ]);
  });
});
