import { BadUserInputError } from '../errors';

/** One page of a newest-first listing, ready for a Relay connection. */
export interface Page<T> {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
}

/** How many nodes one page may hold (`first`), and how many when the client does not say. */
export const PAGE_SIZE = { min: 1, max: 100, default: 20 } as const;

/** The page size a client asked for, checked: a whole number from 1 to 100, 20 when absent. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? PAGE_SIZE.default;
  if (!Number.isInteger(size) || size < PAGE_SIZE.min || size > PAGE_SIZE.max) {
    throw new BadUserInputError(`first must be a whole number from ${PAGE_SIZE.min} to ${PAGE_SIZE.max}`, 'first');
  }
  return size;
}

/** The page size a query will cost at most, before it is checked (the cost limit runs first). */
export function pageSizeForCost(first: unknown): number {
  return Math.min(Math.max(Number(first ?? PAGE_SIZE.default), PAGE_SIZE.min), PAGE_SIZE.max);
}

/** Opaque cursor over (createdAt, id): stable even when many rows share a timestamp. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.getTime(), id])).toString('base64url');
}

export function decodeCursor(cursor: string, field: string): { createdAt: Date; id: string } {
  try {
    const [ms, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof ms === 'number' && Number.isFinite(ms) && typeof id === 'string') return { createdAt: new Date(ms), id };
  } catch {
    // fall through to the error below: a cursor is opaque, any decoding failure means the same thing
  }
  throw new BadUserInputError(`'${cursor.slice(0, 40)}' is not a cursor returned by this API`, field);
}
