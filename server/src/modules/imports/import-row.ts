import type { Gender, HouseholdRelation, ResidenceType, ResidentFlag } from '@shiliuzi/shared/registry';

/**
 * One row of a register after reading, layout detection and normalisation: the values found, and
 * every problem with where it is. A row with a `reject` problem is not imported; a `flag` problem
 * imports it held for review (待核实).
 */
export interface MappedRow {
  sheet: string;
  /** 1-based, as the user sees it in Excel. */
  row: number;
  register: 'residents' | 'minority' | 'floating' | 'dwellings';
  values: MappedValues;
  problems: RowProblem[];
}

export interface RowProblem {
  severity: 'reject' | 'flag';
  code: string;
  /** The header text as in the file. */
  column: string;
  columnLetter: string;
  value: string;
  /** Chinese, for the user. */
  reason: string;
}

export interface MappedValues {
  name?: string;
  idNumber?: string;
  ethnicityCode?: string;
  gender?: Gender;
  birthDate?: string;
  phone?: string;
  originRegionCode?: string;
  residenceType?: ResidenceType;
  flags?: Partial<Record<ResidentFlag, boolean>>;
  grid?: { number?: number; name: string };
  address?: { estate?: string; building?: string; entrance?: string; room?: string };
  householdHead?: string;
  relationToHead?: HouseholdRelation | string;
  floating?: {
    arrivalDate?: string;
    originAddress?: string;
    reason?: string;
    expectedStayMonths?: number;
    stall?: string;
    landlordName?: string;
    landlordPhone?: string;
  };
  dwelling?: { status?: 'self' | 'rented' | 'vacant'; landlordName?: string; landlordPhone?: string };
  note?: string;
}
