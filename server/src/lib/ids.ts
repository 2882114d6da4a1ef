import { v7 as uuidv7 } from 'uuid';

/** New record id: UUID v7, time-ordered so B-tree inserts stay local and ids sort by creation. */
export function newId(): string {
  return uuidv7();
}

/** The current instant as the ISO 8601 text both databases store. */
export function nowIso(): string {
  return new Date().toISOString();
}
