import path from 'node:path';

/** The providers' official reference material: `shared/reference/` beside the repository (as in CI). */
export const REFERENCE_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'reference');

/** A path inside the reference folder, e.g. `reference('paypal', 'events', 'X.json')`. */
export function reference(...parts: string[]): string {
  return path.join(REFERENCE_DIR, ...parts);
}
