import type { ResidentRow } from '../../db/schema.ts';
import { idNumberIndex, phoneIndex, sealNullable } from '../../lib/field-crypto.ts';
import { newId } from '../../lib/ids.ts';
import { maskPhone } from '@shiliuzi/shared/masking';

export type SealedIdentityColumns = Pick<
  ResidentRow,
  'idNumber' | 'idNumberHash' | 'phone' | 'phoneHash' | 'phoneMasked'
>;

/** The sealed columns of a resident's ID number and phone, with their blind indexes and masked phone. */
export function sealedIdentityColumns(
  residentId: string,
  fields: { idNumber?: string | null | undefined; phone?: string | null | undefined },
): Partial<SealedIdentityColumns> {
  const columns: Partial<SealedIdentityColumns> = {};
  if (fields.idNumber !== undefined) {
    columns.idNumber = sealNullable('resident.id_number', residentId, fields.idNumber);
    columns.idNumberHash = fields.idNumber === null ? null : idNumberIndex(fields.idNumber);
  }
  if (fields.phone !== undefined) {
    columns.phone = sealNullable('resident.phone', residentId, fields.phone);
    columns.phoneHash = fields.phone === null ? null : phoneIndex(fields.phone);
    columns.phoneMasked = fields.phone === null ? null : maskPhone(fields.phone);
  }
  return columns;
}

/**
 * The id of a resident not yet created, with its ID number and phone sealed for that id. An import makes
 * one per row on its reading thread, beside the writing (the seals and blind indexes are a good part of
 * a new resident's cost), and matches the row by `idNumberHash`; a row that turns out to be someone
 * already registered throws it away.
 */
export interface SealedIdentity {
  id: string;
  columns: SealedIdentityColumns;
}

export function sealIdentity(fields: { idNumber: string | null; phone: string | null }): SealedIdentity {
  const id = newId();
  return { id, columns: sealedIdentityColumns(id, fields) as SealedIdentityColumns };
}
