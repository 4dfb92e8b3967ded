import { describe, expect, it } from 'vitest';
import { RepealRequest, transitionDays, validityLabel, validityState } from '#shared/domain/validity';

describe('validity state of a normative document', () => {
  const v = { from: '2024-01-01', until: '2026-12-31' };
  it('follows the dates', () => {
    expect(validityState(v, undefined, '2023-12-31')).toBe('尚未生效');
    expect(validityState(v, undefined, '2026-12-31')).toBe('现行有效');
    expect(validityLabel(v, undefined, '2027-01-01')).toBe('已失效（有效期至 2026-12-31）');
  });
  it('a repeal or amendment wins from its date on', () => {
    expect(validityState(v, { kind: 'repealed', date: '2025-06-01' }, '2025-05-31')).toBe('现行有效');
    expect(validityLabel(v, { kind: 'repealed', date: '2025-06-01' }, '2025-06-01')).toBe('已废止（2025-06-01 起）');
    expect(validityState(v, { kind: 'amended', date: '2025-06-01' }, '2030-01-01')).toBe('已修订');
  });
  it('changes state only on its transition days', () => {
    expect(transitionDays(v, { date: '2025-06-01' })).toEqual(['2024-01-01', '2025-06-01', '2027-01-01']);
  });
  it('a repeal needs a sane date and a reason', () => {
    expect(RepealRequest.safeParse({ date: '2025-13-01', reason: '已被新文件替代' }).success).toBe(false);
    expect(RepealRequest.safeParse({ date: '2025-06-01', reason: '短' }).success).toBe(false);
    expect(RepealRequest.safeParse({ date: '2025-06-01', reason: '已被新文件替代' }).success).toBe(true);
  });
});
