import type { Document } from 'docx';
import { findEthnicGroup, isMinority } from '@shiliuzi/shared/ethnicity';
import type { OrgUnit } from '@shiliuzi/shared/org-units';
import type { RegistryStatistics } from '@shiliuzi/shared/statistics';
import {
  basicReportText as text,
  formatPercent,
  heading1Text,
  heading2Text,
  type EthnicGroupCount,
} from '../../locales/report.zh-CN.ts';
import { renderReport, type ReportBlock } from './official-document.layout.ts';

/** The figures the report states, as `statisticsService.computeRegistryStatistics` counts them. */
export type BasicReportFigures = Pick<
  RegistryStatistics,
  | 'from'
  | 'asOf'
  | 'residents'
  | 'households'
  | 'minorityResidents'
  | 'minorityShare'
  | 'minorityGroups'
  | 'byEthnicity'
  | 'interEthnicCouples'
  | 'floatingResidents'
  | 'movedIn'
  | 'movedOut'
  | 'grids'
  | 'memberUnits'
  | 'buildings'
  | 'entrances'
  | 'dwellings'
  | 'rentalDwellings'
>;

export interface BasicReportInput {
  statistics: BasicReportFigures;
  orgUnit: Pick<OrgUnit, 'name' | 'type' | 'areaKm2'>;
  /** The date the report is issued (YYYY-MM-DD), printed under the org unit's name at the end. */
  issuedOn: string;
}

interface EthnicRow extends EthnicGroupCount {
  code: string;
}

/** Residents by ethnic group with GB/T 3304 names, the largest group first (ties in code order). */
function ethnicRows(byEthnicity: Record<string, number>): EthnicRow[] {
  return Object.entries(byEthnicity)
    .filter(([, count]) => count > 0)
    .map(([code, count]) => ({ code, count, name: findEthnicGroup(code)?.name ?? code }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/**
 * The 基本情况 (basic situation) of an org unit as blocks of text: area, grids and member units;
 * places; residents, households, floating residents and moves; ethnic composition with a table;
 * minority residents; inter-ethnic couples; and the issuing line. Pure: the same figures always
 * give the same text.
 */
export function composeBasicReport({ statistics: s, orgUnit, issuedOn }: BasicReportInput): ReportBlock[] {
  const rows = ethnicRows(s.byEthnicity);
  const blocks: ReportBlock[] = [
    { kind: 'title', text: text.title(orgUnit.name) },
    { kind: 'subtitle', text: text.asOfNote(s.asOf) },
  ];
  let section = 0;
  const heading1 = (title: string) => blocks.push({ kind: 'heading1', text: heading1Text(++section, title) });
  const paragraph = (line: string) => blocks.push({ kind: 'paragraph', text: line });

  heading1(text.headings.overview);
  const overview = text.overview({
    orgName: orgUnit.name,
    areaKm2: orgUnit.areaKm2,
    hasSubunits: orgUnit.type !== 'grid' && orgUnit.type !== 'unit',
    grids: s.grids,
    memberUnits: s.memberUnits,
  });
  if (overview) paragraph(overview);
  paragraph(text.places(s));

  heading1(text.headings.population);
  paragraph(text.population(s));
  paragraph(text.moves(s));

  heading1(text.headings.ethnicity);
  const distribution = text.distribution({
    residents: s.residents,
    groupCount: rows.filter((row) => !findEthnicGroup(row.code)?.isExtension).length,
    groups: rows,
  });
  if (s.residents === 0) {
    paragraph(distribution);
  } else {
    let subsection = 0;
    const heading2 = (title: string) =>
      blocks.push({ kind: 'heading2', text: heading2Text(++subsection, title) });
    heading2(text.headings.distribution);
    paragraph(distribution);
    blocks.push({
      kind: 'table',
      caption: text.table.caption,
      headers: text.table.headers,
      rows: [
        ...rows.map((row) => [row.name, String(row.count), formatPercent(row.count / s.residents)]),
        [text.table.total, String(s.residents), formatPercent(1)],
      ],
    });
    heading2(text.headings.minorities);
    paragraph(text.minorities({ ...s, largest: rows.find((row) => isMinority(row.code)) ?? null }));
    heading2(text.headings.intermarriage);
    paragraph(text.intermarriage(s.interEthnicCouples));
  }

  blocks.push({ kind: 'issuer', orgName: orgUnit.name, date: text.issuedOn(issuedOn) });
  return blocks;
}

/** The 基本情况 report as a Word document in the official layout (pack it with `packDocument`). */
export function buildBasicReport(input: BasicReportInput): Document {
  return renderReport(composeBasicReport(input));
}
