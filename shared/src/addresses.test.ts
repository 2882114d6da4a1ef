import { describe, expect, it } from 'vitest';
import { addressToStore, dwellingAddressText, maskedDwellingAddress } from './addresses.ts';

const path = [
  { kind: 'estate', name: '羌兴苑一期' },
  { kind: 'building', name: '1栋' },
  { kind: 'entrance', name: '2单元' },
  { kind: 'dwelling', name: '301' },
];

describe('dwelling addresses', () => {
  it('writes the places from the estate down when the dwelling has no address of its own', () => {
    expect(dwellingAddressText(null, path)).toBe('羌兴苑一期1栋2单元301');
    expect(maskedDwellingAddress(null, path)).toBe('羌兴苑一期1栋*单元***');
  });

  it('prefers the address recorded on the dwelling', () => {
    expect(dwellingAddressText('云朵社区羌兴苑一期1栋2单元301', path)).toBe('云朵社区羌兴苑一期1栋2单元301');
    expect(maskedDwellingAddress('云朵社区羌兴苑一期1栋2单元301', path)).toBe(
      '云朵社区羌兴苑一期1栋*单元***',
    );
  });
});

describe('addressToStore', () => {
  const stored = '羌兴苑一期1栋2单元301室';

  it('keeps the stored address when the input leaves it out or sends back its masked form', () => {
    expect(addressToStore(undefined, stored)).toBe(stored);
    expect(addressToStore('羌兴苑一期1栋*单元***室', stored)).toBe(stored);
  });

  it('takes a new address, or none', () => {
    expect(addressToStore('羌兴苑一期1栋2单元302室', stored)).toBe('羌兴苑一期1栋2单元302室');
    expect(addressToStore(null, stored)).toBeNull();
    expect(addressToStore('和顺苑', null)).toBe('和顺苑');
    expect(addressToStore(stored, stored)).toBe(stored);
  });
});
