import { localDateText } from '@shiliuzi/shared/dates';
import { ageOn } from '@shiliuzi/shared/statistics';
import { findEthnicGroup } from '@shiliuzi/shared/ethnicity';

export function ageOf(birthDate: string | null): number | null {
  return birthDate ? ageOn(birthDate, localDateText()) : null;
}

export function ethnicityName(code: string): string {
  return findEthnicGroup(code)?.name ?? code;
}

export function percent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
