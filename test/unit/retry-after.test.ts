import { retryAfterMs } from '../../src/providers/retry-after';

describe('retryAfterMs', () => {
  it.each([
    [{ 'retry-after': '2' }, 2000],
    [{ 'Retry-After': '0' }, 0],
    [{ 'retry-after': ['5'] }, 5000],
    [{ 'retry-after': 'Sun, 29 Nov 2026 21:00:10 GMT' }, 10_000],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '' }, undefined],
    [{}, undefined],
    [undefined, undefined],
  ])('%j → %p', (headers, expected) => {
    expect(retryAfterMs(headers as Record<string, unknown> | undefined, Date.parse('2026-11-29T21:00:00Z'))).toBe(expected);
  });
});
