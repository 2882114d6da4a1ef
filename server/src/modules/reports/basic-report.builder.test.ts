import { describe, expect, it } from 'vitest';
import { readZipEntries } from '../../../test/zip-entries.ts';
import { formatDate, formatPercent } from '../../locales/report.zh-CN.ts';
import {
  buildBasicReport,
  composeBasicReport,
  type BasicReportFigures,
  type BasicReportInput,
} from './basic-report.builder.ts';
import { officialLayout, packDocument, type ReportBlock } from './official-document.layout.ts';

/** The community of the statistics CLI test: 6 residents of 4 groups in 3 households. */
const community: BasicReportFigures = {
  from: '2026-01-01',
  asOf: '2026-11-01',
  residents: 6,
  households: 3,
  minorityResidents: 5,
  minorityShare: 5 / 6,
  minorityGroups: 3,
  byEthnicity: { '01': 1, '03': 2, '05': 1, '33': 2 },
  interEthnicCouples: 1,
  floatingResidents: 1,
  movedIn: 4,
  movedOut: 2,
  grids: 2,
  memberUnits: 1,
  buildings: 2,
  entrances: 3,
  dwellings: 5,
  rentalDwellings: 2,
};

const empty: BasicReportFigures = {
  ...community,
  residents: 0,
  households: 0,
  minorityResidents: 0,
  minorityShare: 0,
  minorityGroups: 0,
  byEthnicity: {},
  interEthnicCouples: 0,
  floatingResidents: 0,
  movedIn: 0,
  movedOut: 0,
  grids: 0,
  memberUnits: 0,
  buildings: 0,
  entrances: 0,
  dwellings: 0,
  rentalDwellings: 0,
};

function compose(statistics: BasicReportFigures, orgUnit: Partial<BasicReportInput['orgUnit']> = {}) {
  return composeBasicReport({
    statistics,
    orgUnit: { name: '云朵社区', type: 'community', areaKm2: 2.6, ...orgUnit },
    issuedOn: '2026-11-29',
  });
}

/** Everything the report says, one block a line. */
function textOf(blocks: ReportBlock[]): string {
  return blocks
    .map((b) =>
      b.kind === 'table'
        ? [b.caption, b.headers.join('|'), ...b.rows.map((r) => r.join('|'))].join('\n')
        : b.kind === 'issuer'
          ? `${b.orgName}\n${b.date}`
          : b.text,
    )
    .join('\n');
}

describe('formatPercent', () => {
  it('gives one decimal', () => {
    expect(formatPercent(5 / 6)).toBe('83.3%');
    expect(formatPercent(1 / 3)).toBe('33.3%');
    expect(formatPercent(0.05)).toBe('5.0%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(1)).toBe('100.0%');
  });

  it('never rounds a share that is not zero down to 0.0%, nor one short of the whole up to 100.0%', () => {
    expect(formatPercent(3 / 6292)).toBe('不足0.1%');
    expect(formatPercent(6291 / 6292)).toBe('超过99.9%');
  });
});

describe('formatDate', () => {
  it('writes the date with Arabic numerals and no leading zeros', () => {
    expect(formatDate('2026-01-05')).toBe('2026年1月5日');
    expect(formatDate('2026-11-29')).toBe('2026年11月29日');
  });
});

describe('composeBasicReport', () => {
  it('states every figure of the statistics', () => {
    const text = textOf(compose(community));
    for (const phrase of [
      '云朵社区基本情况',
      '（数据截至2026年11月1日）',
      '辖区面积2.6平方公里',
      '共划分网格2个',
      '登记驻区单位1个',
      '楼栋2栋、单元3个、房屋5套，其中出租房屋2套，占房屋总数的40.0%',
      '截至2026年11月1日，辖区登记在册居民6人、3户',
      '其中流动人口1人，占居民总数的16.7%',
      '2026年1月1日至2026年11月1日，迁入居民4人，迁出居民2人',
      '辖区居民涉及4个民族',
      '少数民族居民5人，占居民总数的83.3%，分属3个少数民族',
      '族际通婚家庭共1对',
    ]) {
      expect(text).toContain(phrase);
    }
    expect(text.match(/2026年11月29日/g)).toHaveLength(1);
    expect(text).not.toMatch(/NaN|Infinity|undefined|null/);
  });

  it('lists the ethnic groups by their GB/T 3304 names, the largest first and ties in code order', () => {
    const text = textOf(compose(community));
    expect(text).toContain('按人数多少依次为：回族2人、羌族2人、汉族1人、维吾尔族1人。');
    expect(text).toContain('其中人数最多的是回族（2人）');
    const table = compose(community).find((b) => b.kind === 'table');
    expect(table).toMatchObject({
      headers: ['民族', '人数', '占比'],
      rows: [
        ['回族', '2', '33.3%'],
        ['羌族', '2', '33.3%'],
        ['汉族', '1', '16.7%'],
        ['维吾尔族', '1', '16.7%'],
        ['合计', '6', '100.0%'],
      ],
    });
  });

  it('numbers the headings 一、二、三 and （一）（二）（三）', () => {
    const headings = compose(community)
      .filter((b) => b.kind === 'heading1' || b.kind === 'heading2')
      .map((b) => ('text' in b ? b.text : ''));
    expect(headings).toEqual([
      '一、辖区概况',
      '二、人口与住户',
      '三、民族构成',
      '（一）民族分布',
      '（二）少数民族居民',
      '（三）族际通婚',
    ]);
  });

  it('ends with the org unit and the date of issue', () => {
    expect(compose(community).at(-1)).toEqual({
      kind: 'issuer',
      orgName: '云朵社区',
      date: '2026年11月29日',
    });
  });

  it('says so when there is nothing to count, without dividing by zero', () => {
    const blocks = compose(empty, { areaKm2: null });
    const text = textOf(blocks);
    for (const phrase of [
      '云朵社区尚未划分网格，暂无登记的驻区单位。',
      '辖区暂未登记楼栋、单元和房屋信息。',
      '截至2026年11月1日，辖区暂无登记在册的居民。',
      '辖区没有居民迁入或迁出。',
      '辖区暂无登记在册的居民，民族构成无从统计。',
    ]) {
      expect(text).toContain(phrase);
    }
    expect(text).not.toContain('平方公里');
    expect(text).not.toMatch(/NaN|Infinity|%/);
    expect(blocks.some((b) => b.kind === 'table')).toBe(false);
  });

  it('says so when one kind of record is missing', () => {
    const text = textOf(
      compose({
        ...community,
        floatingResidents: 0,
        rentalDwellings: 0,
        interEthnicCouples: 0,
        minorityResidents: 0,
        minorityShare: 0,
        minorityGroups: 0,
        residents: 3,
        byEthnicity: { '01': 3 },
      }),
    );
    expect(text).toContain('辖区登记在册居民3人、3户，暂无登记的流动人口。');
    expect(text).toContain('房屋5套，暂无出租房屋。');
    expect(text).toContain('辖区暂无登记的少数民族居民。');
    expect(text).toContain('辖区暂无登记的族际通婚家庭。');
    expect(text).toContain('辖区居民涉及1个民族，按人数多少依次为：汉族3人。');
  });

  it('names the one minority group when there is only one', () => {
    const text = textOf(
      compose({
        ...community,
        residents: 10,
        minorityResidents: 4,
        minorityShare: 0.4,
        minorityGroups: 1,
        byEthnicity: { '01': 6, '33': 4 },
      }),
    );
    expect(text).toContain('辖区有少数民族居民4人，占居民总数的40.0%，均为羌族。');
  });

  it('counts the local codes 97 and 98 by name but not as ethnic groups', () => {
    const text = textOf(
      compose({ ...community, residents: 7, byEthnicity: { ...community.byEthnicity, '97': 1 } }),
    );
    expect(text).toContain('辖区居民涉及4个民族');
    expect(text).toContain('其他未识别民族1人');
  });

  it('does not count grids and member units under a grid', () => {
    const text = textOf(compose({ ...community, grids: 1, memberUnits: 0 }, { type: 'grid', areaKm2: null }));
    expect(text).not.toContain('网格');
    expect(text).not.toContain('驻区单位');
  });
});

describe('buildBasicReport', () => {
  it('lays the report out as a GB/T 9704 document', async () => {
    const bytes = await packDocument(
      buildBasicReport({
        statistics: community,
        orgUnit: { name: '云朵社区', type: 'community', areaKm2: 2.6 },
        issuedOn: '2026-11-29',
      }),
    );
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
    const files = readZipEntries(bytes);
    const document = files.get('word/document.xml')!;
    const styles = files.get('word/styles.xml')!;

    // A4; margins 37/35/28/26 mm; 22 lines of 28 characters.
    expect(document).toContain('<w:pgSz w:w="11906" w:h="16838"');
    expect(document).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    expect(officialLayout.linePitch).toBe(579);
    expect(officialLayout.linePitch * officialLayout.linesPerPage).toBeLessThanOrEqual(16838 - 2098 - 1984);
    const pitch = 320 + officialLayout.characterSpacing;
    expect(pitch * officialLayout.charsPerLine).toBeLessThanOrEqual(officialLayout.textWidth);
    expect(styles).toContain('<w:spacing w:after="0" w:before="0" w:line="579" w:lineRule="exact"/>');
    expect(styles).toContain(`<w:spacing w:val="${officialLayout.characterSpacing}"/>`);

    // Fonts: 3号仿宋 body, 2号小标宋 title, 黑体 and 楷体 headings, zh-CN for East Asian text.
    expect(styles).toMatch(
      /<w:rPrDefault><w:rPr><w:rFonts[^>]*w:eastAsia="仿宋_GB2312"[^>]*\/>.*<w:sz w:val="32"\/>/,
    );
    expect(styles).toContain('w:eastAsia="zh-CN"');
    expect(styles).toMatch(/w:styleId="Title">.*?w:eastAsia="方正小标宋简体".*?<w:sz w:val="44"\/>/);
    expect(styles).toMatch(
      /w:styleId="Heading1">.*?<w:ind w:firstLine="640" w:firstLineChars="200"\/>.*?w:eastAsia="黑体"/,
    );
    expect(styles).toMatch(/w:styleId="Heading2">.*?w:eastAsia="楷体_GB2312"/);
    expect(files.get('word/fontTable.xml')).toContain(
      '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋,FangSong"/>',
    );

    // Page numbers “— n —” in 4号宋体: right on odd pages, left on even ones.
    expect(files.get('word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
    expect(document).toMatch(/<w:footerReference w:type="default"[^>]*\/><w:footerReference w:type="even"/);
    const footers = [...files.entries()]
      .filter(([name]) => /^word\/footer\d+\.xml$/.test(name))
      .map(([, xml]) => xml);
    expect(footers).toHaveLength(2);
    for (const footer of footers) {
      expect(footer).toContain('— </w:t>');
      expect(footer).toContain('PAGE');
      expect(footer).toMatch(/w:eastAsia="宋体".*<w:sz w:val="28"\/>/);
    }
    expect(footers.some((f) => f.includes('<w:jc w:val="right"/>'))).toBe(true);
    expect(footers.some((f) => f.includes('<w:jc w:val="left"/>'))).toBe(true);

    // The text itself, and the table.
    expect(document).toContain('辖区登记在册居民6人、3户');
    expect(document).toContain('<w:tblHeader/>');
  });
});
