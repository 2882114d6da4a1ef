import { maskAddress, maskPlacePath, type AddressPart } from './masking.ts';

/**
 * A dwelling's address in full: its own address when one is recorded, else the names of its places
 * from the estate down to the dwelling (羌兴苑一期1栋2单元301).
 */
export function dwellingAddressText(ownAddress: string | null, path: readonly AddressPart[]): string {
  return ownAddress || path.map((part) => part.name).join('');
}

/** The same address as lists show it (see `maskAddress` and `maskPlacePath`). */
export function maskedDwellingAddress(ownAddress: string | null, path: readonly AddressPart[]): string {
  return ownAddress ? maskAddress(ownAddress) : maskPlacePath(path);
}
