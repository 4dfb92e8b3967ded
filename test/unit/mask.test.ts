import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '#shared/render/mask';

describe('masking personal data for publication (PUB-4)', () => {
  const text = '张某某，身份证号140802196503120026，联系电话13935912345，车辆晋M·A1234，银行卡6222021234567890128。监督电话：0359-2025678';

  it('hides what identifies the person and keeps the kind of record readable', () => {
    const out = maskPersonalData(text);
    expect(out).toContain('140802********0026');
    expect(out).toContain('139****2345');
    expect(out).not.toContain('140802196503120026');
    expect(out).not.toContain('13935912345');
    expect(out).not.toContain('晋M·A1234');
    expect(out).not.toContain('6222021234567890128');
  });

  it('keeps the office hotline, which the notices require to be published', () => {
    expect(maskPersonalData(text)).toContain('0359-2025678');
  });

  it('leaves text without personal data untouched, and is idempotent', () => {
    const plain = '运盐政办发〔2020〕60号 2020年12月10日 第26个试点领域';
    expect(maskPersonalData(plain)).toBe(plain);
    const once = maskPersonalData(text);
    expect(maskPersonalData(once)).toBe(once);
  });
});
