/** Names on the public big screen, masked as on public notices in China. */
import { describe, expect, it } from 'vitest';
import { maskName } from '../../src/modules/dashboard/mask.ts';

describe('maskName', () => {
  it.each([
    ['张三明', '张*明'],
    ['张三', '张*'],
    ['欧阳明华', '欧**华'],
    ['李', '李*'],
    ['阿依古丽·买买提', '阿****提'],
    ['  王 小 红 ', '王*红'],
    ['欧阳 修文', '欧**文'],
  ])('masks the Chinese name %s as %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it.each([
    ['John Smith', 'J*** S.'],
    ['Anna', 'A**a'],
    ['Al', 'A*'],
    ['J', 'J*'],
    ['Maximilian', 'M****n'],
    ['Li Na', 'L* N.'],
    ['Christopher Robin Milne', 'C**** R. M.'],
    ['  John   Smith  ', 'J*** S.'],
    ['Émile Zola', 'É**** Z.'],
    ['J Smith', 'J* S.'],
  ])('masks the Latin name %s as %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('masks an empty name as one star', () => {
    expect(maskName('')).toBe('*');
    expect(maskName('   ')).toBe('*');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(maskName('𠮷野家')).toBe('𠮷*家');
    expect(maskName('𠮷田')).toBe('𠮷*');
  });
});
