import { describe, expect, it } from 'vitest';
import { BodyFields, bodyChanges, bodyIssues, bodyOfUnit, type Body } from '#shared/domain/body';

/** Issue 16.1: the rules of a body among the platform's, pure (no emulator). */
const fields = (over: Partial<BodyFields> = {}): BodyFields =>
  BodyFields.parse({
    name: '某县人民政府',
    code: '11330100MB0000000X',
    kind: 'government',
    units: [],
    guide: '# 政府信息公开指南\n\n{{name}}的指南，工作机构：{{office}}。',
    system: '# 政府信息公开制度\n\n{{name}}的制度文字，按条例执行。',
    contact: { office: '县政务公开办', address: '人民路 1 号', phone: '0571-0000000' },
    ...over,
  });
const at = '2026-01-01T00:00:00.000Z';
const actor = { sub: 's', name: 'n', role: 'admin' };
const stored = (id: string, over: Partial<BodyFields> = {}): Body => ({ id, ...fields(over), version: 1, createdAt: at, updatedAt: at, createdBy: actor, updatedBy: actor });

const top = stored('county');
const fgw = stored('fgw', { name: '发改局', code: '11330100MB0000001X', kind: 'department', parent: 'county', units: ['发改局', '发改局价格科'] });
const township = stored('town', { name: '某镇', code: '11330100MB0000002X', kind: 'township', parent: 'fgw', units: ['某镇'] });
const platform = [top, fgw, township];

describe('bodyIssues', () => {
  it('accepts a body that clashes with nothing', () => {
    expect(bodyIssues({ id: 'mzj', ...fields({ name: '民政局', code: '11330100MB0000003X', parent: 'county', units: ['民政局'] }) }, platform)).toEqual([]);
    // Its own values are not a clash with itself (an edit).
    expect(bodyIssues({ ...fgw }, platform)).toEqual([]);
  });

  it('names each clash by field: name, code, a unit of another body, a unit twice', () => {
    const issues = bodyIssues({ id: 'x', ...fields({ name: '发改局', code: '11330100MB0000002X', parent: 'county', units: ['新单位', '发改局价格科', '新单位'] }) }, platform);
    expect(issues.map((i) => i.field).sort()).toEqual(['code', 'name', 'units.1', 'units.2']);
    expect(issues.find((i) => i.field === 'units.1')!.zh).toContain('发改局');
  });

  it('keeps one top body, a parent that exists, and no loop', () => {
    expect(bodyIssues({ id: 'x', ...fields({ name: '另一个', code: '11330100MB0000009X' }) }, platform).map((i) => i.field)).toEqual(['parent']);
    expect(bodyIssues({ id: 'x', ...fields({ name: '另一个', code: '11330100MB0000009X', parent: 'nowhere' }) }, platform).map((i) => i.field)).toEqual(['parent']);
    expect(bodyIssues({ ...fgw, parent: 'fgw' }, platform).map((i) => i.field)).toEqual(['parent']);
    // fgw below its own child town: a loop, however deep.
    expect(bodyIssues({ ...fgw, parent: 'town' }, platform).map((i) => i.en)).toEqual([expect.stringMatching(/loop/)]);
    expect(bodyIssues({ ...top, parent: 'town' }, platform).map((i) => i.en)).toEqual([expect.stringMatching(/loop/)]);
  });

  it('checks the texts: a level-1 heading, and only settings the body has', () => {
    const issues = bodyIssues({ ...fgw, guide: '没有标题的指南文字，{{director}} 负责，邮编 {{postcode}}。', system: '# 制度\n\n正文文字足够长，没有问题。' }, platform);
    expect(issues.map((i) => i.field)).toEqual(['guide', 'guide', 'guide']);
    expect(issues.map((i) => i.en).join(' ')).toMatch(/heading.*director.*postcode/s);
  });
});

describe('bodyChanges', () => {
  it('lists each changed field, long texts by their length', () => {
    const before = fields({ units: ['a单位'] });
    const after = { ...before, units: ['a单位', 'b单位'], guide: `${before.guide}补充。`, parent: 'county' };
    expect(bodyChanges(before, after)).toEqual([
      { field: 'parent', after: 'county' },
      { field: 'units', before: 'a单位', after: 'a单位、b单位' },
      { field: 'guide', before: `${before.guide.length} 字 chars`, after: `${after.guide.length} 字 chars` },
    ]);
    expect(bodyChanges(before, before)).toEqual([]);
  });
});

describe('bodyOfUnit', () => {
  it('is the body listing the unit, else the top body (drafts from before bodies)', () => {
    expect(bodyOfUnit(platform, '发改局价格科')!.id).toBe('fgw');
    expect(bodyOfUnit(platform, '未登记的单位')!.id).toBe('county');
    expect(bodyOfUnit(platform, undefined)!.id).toBe('county');
  });
});
