import { BadUserInputError } from '../errors';

/** One page of a newest-first listing, ready for a Relay connection. */
export interface Page<T> {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
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
