import { describe, expect, it } from 'vitest';
import {
  hasPersonalNumbers,
  isShownAddressPart,
  maskAddress,
  maskIdNumber,
  maskNumbersInText,
  maskPhone,
  maskPlacePath,
} from './masking.ts';

/** How many characters of `masked` are shown rather than starred. */
function countShown(masked: string): number {
  return Array.from(masked).filter((character) => character !== '*').length;
}

describe('maskIdNumber', () => {
  it('keeps the first 3 and last 4 of an 18-character number', () => {
    expect(maskIdNumber('110101199003071234')).toBe('110***********1234');
    expect(maskIdNumber('51070419850302112X')).toBe('510***********112X');
  });

  it('keeps the first 3 and last 4 of a 15-digit number', () => {
    expect(maskIdNumber('130503670401001')).toBe('130********1001');
  });

  it('keeps only the end of a short or odd value', () => {
    expect(maskIdNumber('12345678')).toBe('******78');
    expect(maskIdNumber('ABC')).toBe('**C');
    expect(maskIdNumber('7')).toBe('*');
    expect(maskIdNumber('')).toBe('');
  });

  it('keeps the length and never shows more than 7 characters', () => {
    for (let length = 0; length <= 30; length++) {
      const masked = maskIdNumber('1234567890'.repeat(3).slice(0, length));
      expect(masked).toHaveLength(length);
      expect(countShown(masked)).toBeLessThanOrEqual(7);
      if (length > 0) expect(countShown(masked)).toBeLessThan(length);
    }
  });
});

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('keeps the first 3 and last 4 of a landline', () => {
    expect(maskPhone('02887654321')).toBe('028****4321');
    expect(maskPhone('08376221234')).toBe('083****1234');
    expect(maskPhone('0106543210')).toBe('010***3210');
  });

  it('masks the normalised number, whatever the formatting', () => {
    expect(maskPhone('+86 138-1234-5678')).toBe('138****5678');
    expect(maskPhone('(028) 8765 4321')).toBe('028****4321');
  });

  it('keeps only the end of a short value', () => {
    expect(maskPhone('87654321')).toBe('****4321');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('123')).toBe('***');
  });

  it('never shows more than 7 characters, nor the whole of anything', () => {
    for (let length = 1; length <= 20; length++) {
      const masked = maskPhone('1234567890'.repeat(2).slice(0, length));
      expect(masked).toHaveLength(length);
      expect(countShown(masked)).toBeLessThanOrEqual(7);
      expect(countShown(masked)).toBeLessThan(length);
    }
  });
});

describe('maskAddress', () => {
  it.each([
    ['羌兴苑一期1栋2单元301室', '羌兴苑一期1栋*单元***室'],
    ['羌兴苑一期1栋2单元301', '羌兴苑一期1栋*单元***'],
    ['云朵社区羌兴苑一期1栋2单元1201', '云朵社区羌兴苑一期1栋*单元****'],
    ['和顺苑3幢1单元502室', '和顺苑3幢*单元***室'],
    ['5号楼3单元201', '5号楼*单元***'],
    ['和顺苑一栋二单元一零一', '和顺苑一栋*单元***'],
    ['和平小区5栋2-301', '和平小区5栋*-***'],
    ['阳光花园A座1203', '阳光花园A座****'],
    ['同心路8号院3栋1单元502', '同心路8号院3栋*单元***'],
    ['1栋3楼B2', '1栋*楼**'],
  ])('keeps the estate and building of %s', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });

  it('reads building-entrance-room written with dashes', () => {
    expect(maskAddress('云溪苑12-2-301')).toBe('云溪苑12-*-***');
    expect(maskAddress('云溪苑12-301室')).toBe('云溪苑12-***室');
    expect(maskAddress('5-1-302')).toBe('5-*-***');
  });

  it('masks every house and room number of an address without a building', () => {
    expect(maskAddress('同心街道石榴社区清真寺巷12号')).toBe('同心街道石榴社区清真寺巷**号');
    expect(maskAddress('羌兴苑一期12301')).toBe('羌兴苑一期*****');
    expect(maskAddress('汶川县威州镇布瓦村3组15号')).toBe('汶川县威州镇布瓦村*组**号');
    expect(maskAddress('301')).toBe('***');
    expect(maskAddress('A301')).toBe('****');
    expect(maskAddress('2单元')).toBe('*单元');
    expect(maskAddress('二单元')).toBe('*单元');
    expect(maskAddress('12号平房')).toBe('**号平房');
    expect(maskAddress('xx路12-3号')).toBe('xx路**-*号');
  });

  it('leaves an address that names only an area as it is', () => {
    for (const area of ['羌兴苑一期', '新疆维吾尔自治区喀什市', '和顺苑3栋', '']) {
      expect(maskAddress(area)).toBe(area);
    }
  });

  it('keeps the length and masks no character of the area', () => {
    for (const address of ['羌兴苑一期1栋2单元301室', '清真寺巷12号', '云溪苑12-2-301', '１栋２单元３０１']) {
      const masked = maskAddress(address);
      expect(Array.from(masked)).toHaveLength(Array.from(address).length);
      expect(masked).not.toBe(address);
    }
    expect(maskAddress('１栋２单元３０１')).toBe('１栋*单元***');
  });
});

describe('maskPlacePath', () => {
  it('keeps estate, courtyard and building names and masks the entrance and the dwelling', () => {
    const path = [
      { kind: 'estate', name: '羌兴苑一期' },
      { kind: 'building', name: '1栋' },
      { kind: 'entrance', name: '2单元' },
      { kind: 'dwelling', name: '301室' },
    ];
    expect(maskPlacePath(path)).toBe('羌兴苑一期1栋*单元***室');
  });

  it('keeps a courtyard with a number, and masks a dwelling with the building in its name', () => {
    expect(
      maskPlacePath([
        { kind: 'courtyard', name: '同心路8号院' },
        { kind: 'dwelling', name: '12号平房' },
      ]),
    ).toBe('同心路8号院**号平房');
    expect(
      maskPlacePath([
        { kind: 'building', name: '1栋' },
        { kind: 'dwelling', name: '1栋2单元301' },
      ]),
    ).toBe('1栋1栋*单元***');
    expect(maskPlacePath([{ kind: 'dwelling', name: '同心苑1号' }])).toBe('同心苑*号');
  });
});

describe('isShownAddressPart', () => {
  it('allows searching by what a masked address shows, and nothing it hides', () => {
    for (const shown of ['羌兴苑', '羌兴苑一期', '1栋', '羌兴苑一期1栋', '和顺苑']) {
      expect(isShownAddressPart(shown), shown).toBe(true);
    }
    for (const hidden of ['2单元', '301', '1栋2单元', '2单元301', '1', '清真寺巷12号']) {
      expect(isShownAddressPart(hidden), hidden).toBe(false);
    }
  });
});

describe('numbers in free text', () => {
  const id = '513221198503021234'; // found by its shape, whatever its check digit

  it('masks ID numbers and mobile numbers written inside text', () => {
    expect(maskNumbersInText(`走访${id}本人，电话13812345678，邻居`)).toBe(
      '走访513***********1234本人，电话138****5678，邻居',
    );
    expect(maskNumbersInText('旧证号510703850302123')).toBe('旧证号510********2123');
  });

  it('finds an ID number or a mobile number, not dates, amounts or longer digit runs', () => {
    expect(hasPersonalNumbers(`身份证号${id}`)).toBe(true);
    expect(hasPersonalNumbers(`身份证号${id.slice(0, 17)}x`)).toBe(true);
    expect(hasPersonalNumbers('联系人手机 13812345678')).toBe(true);
    expect(hasPersonalNumbers('2026年3月2日入户，发放慰问金500元，电话028-87654321')).toBe(false);
    expect(hasPersonalNumbers('订单号 138123456789012345678')).toBe(false);
    expect(hasPersonalNumbers('')).toBe(false);
  });
});
