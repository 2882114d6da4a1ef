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

/**
 * The address to store for an input: the stored one when the input leaves it out or sends back its
 * masked form (a form or client that returns what it was shown must not overwrite it with stars).
 */
export function addressToStore(input: string | null | undefined, stored: string | null): string | null {
  if (input === undefined) return stored;
  const sentBackMasked =
    input !== null && stored !== null && input !== stored && input === maskAddress(stored);
  return sentBackMasked ? stored : input;
}
