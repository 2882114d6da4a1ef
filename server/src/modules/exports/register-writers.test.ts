import { describe, expect, it } from 'vitest';
import { occupancyOf, reviewFlagText } from './register-layouts.ts';
import { csvField, csvRecord, neutraliseFormula } from './register-writers.ts';

describe('neutraliseFormula', () => {
  it('puts an apostrophe before text a spreadsheet would run as a formula', () => {
    for (const text of [
      '=HYPERLINK("http://x","y")',
      '+1',
      '-2',
      '@SUM(A1)',
      '\t=1+1',
      '\r=1+1',
      '\tplain',
      ' =1+1',
      '＝1+1',
    ]) {
      expect(neutraliseFormula(text), JSON.stringify(text)).toBe(`'${text}`);
    }
  });

  it('leaves other text alone', () => {
    for (const text of ['杨山', '1-2', 'a=b', '13812345678', '110***********1234', '2026-03-01', '']) {
      expect(neutraliseFormula(text)).toBe(text);
    }
  });
});

describe('csvRecord', () => {
  it('quotes text, doubles quotes, leaves numbers bare and empty cells empty, and ends with CRLF', () => {
    expect(csvRecord([1, '杨山', null, '他说:"你好,世界"\n第二行', 12])).toBe(
      '1,"杨山",,"他说:""你好,世界""\n第二行",12\r\n',
    );
  });

  it('neutralises formulas inside the quotes', () => {
    expect(csvField('=1+1')).toBe(`"'=1+1"`);
    expect(csvField('@cmd')).toBe(`"'@cmd"`);
  });
});

describe('register cells', () => {
  it('names the reasons a row is held for review, and shows an unknown code as it is', () => {
    expect(reviewFlagText(null)).toBeNull();
    expect(reviewFlagText('id_check_digit')).toBe('身份证号码校验位错误');
    expect(reviewFlagText('gender_mismatch,new_code')).toBe('性别与身份证号码不符、new_code');
  });

  it('calls a dwelling without households or residents vacant, rented or not', () => {
    expect(occupancyOf({ isRental: 1, households: 0, occupants: 0 })).toBe('空置');
    expect(occupancyOf({ isRental: true, households: 0, occupants: 1 })).toBe('出租');
    expect(occupancyOf({ isRental: 0, households: 1, occupants: 0 })).toBe('自住');
  });
});
