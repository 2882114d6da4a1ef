import { dwellingAddressText, maskedDwellingAddress } from '@shiliuzi/shared/addresses';
import { findEthnicGroup } from '@shiliuzi/shared/ethnicity';
import { maskAddress } from '@shiliuzi/shared/masking';
import { describeOrigin } from '@shiliuzi/shared/region';
import type { FloatingReason, Gender, HouseholdRelation, ResidenceType } from '@shiliuzi/shared/registry';
import { registryLabels } from '@shiliuzi/shared/registry-labels.zh-CN';
import {
  columnHeaders,
  exportText,
  occupancyLabels,
  reviewFlagLabels,
  type ColumnId,
} from '../../locales/export.zh-CN.ts';
import type { AncestorColumns } from '../../db/place-ancestors.ts';
import type { DwellingRegisterRow, ResidentRegisterRow } from './exports.repository.ts';

/** The registers that can be exported. */
export { registerKinds, type RegisterKind } from '@shiliuzi/shared/imports';
import type { RegisterKind } from '@shiliuzi/shared/imports';

/** What a cell holds: text, a number (serials and counts only) or nothing. */
export type Cell = string | number | null;

/**
 * How a column is written: `idNumber` and `phone` are masked unless revealed and, like `text` and
 * `date`, always written as text; `serial` and `count` are numbers. Addresses are `text`, masked
 * unless revealed too (the lines below carry them as the register writes them).
 */
export type ColumnKind = 'serial' | 'text' | 'date' | 'count' | 'idNumber' | 'phone';

/** A column of a register: header, width in characters, kind and the cell of a row. */
export interface RegisterColumn<R> {
  id: ColumnId;
  header: string;
  width: number;
  kind: ColumnKind;
  /** The raw cell (never masked here); `unitName` is the org unit the row belongs to. */
  value: (row: R, unitName: string) => Cell;
}

function column<R>(
  id: ColumnId,
  width: number,
  kind: ColumnKind,
  value: (row: R, unitName: string) => Cell,
): RegisterColumn<R> {
  return { id, header: columnHeaders[id], width, kind, value };
}

const serial = <R>(): RegisterColumn<R> => column<R>('serial', 6, 'serial', () => null);
const unit = <R>(): RegisterColumn<R> => column<R>('orgUnit', 16, 'text', (_row, unitName) => unitName);

const join = (values: readonly string[]) => (values.length ? values.join(exportText.listSeparator) : null);

/** The places above a dwelling, top-down (estate first). */
function ancestorsTopDown(row: AncestorColumns): { kind: string; name: string }[] {
  const levels: [string | null, string | null][] = [
    [row.p4Kind, row.p4Name],
    [row.p3Kind, row.p3Name],
    [row.p2Kind, row.p2Name],
    [row.p1Kind, row.p1Name],
  ];
  return levels.flatMap(([kind, name]) => (kind !== null && name !== null ? [{ kind, name }] : []));
}

/**
 * 现住址: the dwelling's own address, else estate, building, entrance and room, else the household's
 * address; whole when revealed, else masked (羌寨小区1栋*单元***).
 */
export function residentAddress(row: ResidentRegisterRow, reveal: boolean): string | null {
  if (row.dwellingName !== null) {
    const path = [...ancestorsTopDown(row), { kind: 'dwelling', name: row.dwellingName }];
    return reveal
      ? dwellingAddressText(row.dwellingAddress, path)
      : maskedDwellingAddress(row.dwellingAddress, path);
  }
  if (row.householdAddress === null) return null;
  return reveal ? row.householdAddress : maskAddress(row.householdAddress);
}

/** A resident row as the register writes it: sealed values opened or masked, the address composed. */
export type ResidentRegisterLine = ResidentRegisterRow & { address: string | null };

/**
 * A dwelling row as the register writes it: the entrance, the room and the dwelling's own address
 * whole when revealed, else masked. The row's own columns stay as read: they are the page's key.
 */
export type DwellingRegisterLine = DwellingRegisterRow & {
  shownEntrance: string | null;
  shownRoom: string;
  shownAddress: string | null;
};

/** The review reasons of a row held for review, in Chinese (codes may be comma-separated). */
export function reviewFlagText(flag: string | null): string | null {
  if (!flag) return null;
  return join(
    flag
      .split(',')
      .map((code) => code.trim())
      .filter(Boolean)
      .map((code) => reviewFlagLabels[code] ?? code),
  );
}

function flagsText(row: ResidentRegisterRow): string | null {
  const labels = registryLabels.flags;
  const set: string[] = [];
  if (row.isHardship) set.push(labels.hardship);
  if (row.isMinimumLivingAllowance) set.push(labels.minimumLivingAllowance);
  if (row.isDisabled) set.push(labels.disabled);
  if (row.isElderlyAlone) set.push(labels.elderlyAlone);
  if (row.isPartyMember) set.push(labels.partyMember);
  if (row.isVolunteer) set.push(labels.volunteer);
  return join(set);
}

function languagesText(row: ResidentRegisterRow): string | null {
  try {
    const languages = JSON.parse(row.languages) as unknown;
    return Array.isArray(languages) ? join(languages.map(String)) : null;
  } catch {
    return row.languages || null;
  }
}

type ResidentColumn = RegisterColumn<ResidentRegisterLine>;

const residentColumns = {
  serial: serial<ResidentRegisterLine>(),
  name: column<ResidentRegisterLine>('name', 12, 'text', (r) => r.name),
  gender: column<ResidentRegisterLine>(
    'gender',
    6,
    'text',
    (r) => registryLabels.genders[r.gender as Gender],
  ),
  ethnicity: column<ResidentRegisterLine>(
    'ethnicity',
    10,
    'text',
    (r) => findEthnicGroup(r.ethnicityCode)?.name ?? r.ethnicityCode,
  ),
  idNumber: column<ResidentRegisterLine>('idNumber', 22, 'idNumber', (r) => r.idNumber),
  birthDate: column<ResidentRegisterLine>('birthDate', 12, 'date', (r) => r.birthDate),
  phone: column<ResidentRegisterLine>('phone', 15, 'phone', (r) => r.phone),
  orgUnit: unit<ResidentRegisterLine>(),
  address: column<ResidentRegisterLine>('address', 30, 'text', (r) => r.address),
  headName: column<ResidentRegisterLine>('headName', 12, 'text', (r) => r.headName),
  relationToHead: column<ResidentRegisterLine>('relationToHead', 10, 'text', (r) =>
    r.relationToHead === null
      ? null
      : (registryLabels.householdRelations[r.relationToHead as HouseholdRelation] ?? r.relationToHead),
  ),
  residenceType: column<ResidentRegisterLine>(
    'residenceType',
    10,
    'text',
    (r) => registryLabels.residenceTypes[r.residenceType as ResidenceType] ?? r.residenceType,
  ),
  origin: column<ResidentRegisterLine>('origin', 24, 'text', (r) =>
    r.originRegionCode === null ? null : (describeOrigin(r.originRegionCode)?.fullName ?? r.originRegionCode),
  ),
  languages: column<ResidentRegisterLine>('languages', 14, 'text', languagesText),
  flags: column<ResidentRegisterLine>('flags', 16, 'text', flagsText),
  movedInOn: column<ResidentRegisterLine>('movedInOn', 12, 'date', (r) => r.movedInOn),
  reviewFlag: column<ResidentRegisterLine>('reviewFlag', 20, 'text', (r) => reviewFlagText(r.reviewFlag)),
  note: column<ResidentRegisterLine>('note', 24, 'text', (r) => r.note),
  originAddress: column<ResidentRegisterLine>('originAddress', 28, 'text', (r) => r.floatingOriginAddress),
  arrivalDate: column<ResidentRegisterLine>('arrivalDate', 12, 'date', (r) => r.floatingArrivalDate),
  floatingReason: column<ResidentRegisterLine>('floatingReason', 10, 'text', (r) =>
    r.floatingReason === null
      ? null
      : (registryLabels.floatingReasons[r.floatingReason as FloatingReason] ?? r.floatingReason),
  ),
  expectedStayMonths: column<ResidentRegisterLine>(
    'expectedStayMonths',
    10,
    'count',
    (r) => r.floatingExpectedStayMonths,
  ),
  stall: column<ResidentRegisterLine>('stall', 18, 'text', (r) => r.floatingStall),
  landlordName: column<ResidentRegisterLine>('landlordName', 12, 'text', (r) => r.floatingLandlordName),
  landlordPhone: column<ResidentRegisterLine>('landlordPhone', 15, 'phone', (r) => r.floatingLandlordPhone),
} satisfies Partial<Record<ColumnId, ResidentColumn>>;

const c = residentColumns;

/** 全部居民台账 and 少数民族居民台账 (the latter adds the languages spoken). */
const residentRegisterColumns: ResidentColumn[] = [
  c.serial,
  c.name,
  c.gender,
  c.ethnicity,
  c.idNumber,
  c.birthDate,
  c.phone,
  c.orgUnit,
  c.address,
  c.headName,
  c.relationToHead,
  c.residenceType,
  c.origin,
  c.flags,
  c.movedInOn,
  c.reviewFlag,
  c.note,
];

const minorityRegisterColumns: ResidentColumn[] = [
  ...residentRegisterColumns.slice(0, residentRegisterColumns.indexOf(c.flags)),
  c.languages,
  ...residentRegisterColumns.slice(residentRegisterColumns.indexOf(c.flags)),
];

/** 流动人口台账: who, where from, why and until when, where they live or trade, and the landlord. */
const floatingRegisterColumns: ResidentColumn[] = [
  c.serial,
  c.name,
  c.gender,
  c.ethnicity,
  c.idNumber,
  c.birthDate,
  c.phone,
  c.orgUnit,
  c.address,
  c.origin,
  c.originAddress,
  c.arrivalDate,
  c.floatingReason,
  c.expectedStayMonths,
  c.stall,
  c.landlordName,
  c.landlordPhone,
  c.flags,
  c.reviewFlag,
  c.note,
];

/** 出租 when rented out, 自住 when lived in, 空置 when no live resident and no household is there. */
export function occupancyOf(row: Pick<DwellingRegisterRow, 'isRental' | 'households' | 'occupants'>) {
  if (Number(row.households) === 0 && Number(row.occupants) === 0) return occupancyLabels.vacant;
  return row.isRental ? occupancyLabels.rented : occupancyLabels.owner;
}

type DwellingColumn = RegisterColumn<DwellingRegisterLine>;

/** 房屋台账. */
const dwellingRegisterColumns: DwellingColumn[] = [
  serial<DwellingRegisterLine>(),
  unit<DwellingRegisterLine>(),
  column<DwellingRegisterLine>('estate', 18, 'text', (r) =>
    join(
      ancestorsTopDown(r)
        .filter((p) => p.kind === 'estate' || p.kind === 'courtyard')
        .map((p) => p.name),
    ),
  ),
  column<DwellingRegisterLine>('building', 10, 'text', (r) => r.buildingKey || null),
  column<DwellingRegisterLine>('entrance', 8, 'text', (r) => r.shownEntrance),
  column<DwellingRegisterLine>('room', 10, 'text', (r) => r.shownRoom),
  column<DwellingRegisterLine>('dwellingAddress', 28, 'text', (r) => r.shownAddress),
  column<DwellingRegisterLine>('occupancy', 10, 'text', occupancyOf),
  column<DwellingRegisterLine>('landlordName', 12, 'text', (r) => r.landlordName),
  column<DwellingRegisterLine>('landlordPhone', 15, 'phone', (r) => r.landlordPhone),
  column<DwellingRegisterLine>('households', 8, 'count', (r) => Number(r.households)),
  column<DwellingRegisterLine>('occupants', 10, 'count', (r) => Number(r.occupants)),
  column<DwellingRegisterLine>('note', 24, 'text', (r) => r.note),
];

/** The columns of each register, in the order the paper registers print them. */
export const registerColumns = {
  residents: residentRegisterColumns,
  minority: minorityRegisterColumns,
  floating: floatingRegisterColumns,
  dwellings: dwellingRegisterColumns,
} satisfies Record<RegisterKind, readonly RegisterColumn<never>[]>;
