import { describe, expect, it } from 'vitest';
import { SAMPLES } from '#infra/local/samples';
import { loadUsers } from '#infra/local/users';

describe('the local users', () => {
  it('hold a drafter of every unit a sample of `npm start` is submitted for (a drafter acts for their own unit only)', async () => {
    const users = await loadUsers();
    const units = [...new Set(SAMPLES.map((s) => s.form.draftingUnit))];
    expect(units.length).toBeGreaterThan(5);
    for (const unit of units) {
      expect(
        users.filter((u) => u.unit === unit && u.groups.length === 1 && u.groups[0] === 'drafter').map((u) => u.unit),
        unit,
      ).toEqual([unit]);
    }
  });
});
