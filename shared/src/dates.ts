/** 'YYYY-MM-DD' of `date` in the local time zone (the server and browser run in China time). */
export function localDateText(date: Date = new Date()): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}
