/** 'YYYY-MM-DD' of `date` in the local time zone (the server and browser run in China time). */
export function localDateText(date: Date = new Date()): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

/**
 * The date `years` whole years before a 'YYYY-MM-DD' date, 29 February becoming the 28th in a
 * year without it. Someone born on or before it is at least `years` old on `isoDate` (`ageOn`).
 */
export function yearsBefore(isoDate: string, years: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y - years, m - 1, d));
  if (date.getUTCMonth() !== m - 1) date.setUTCDate(0);
  return date.toISOString().slice(0, 10);
}
