/** Who is calling: the admin, the holder of one order's access token, or nobody. */
export type Principal = { kind: 'admin' } | { kind: 'order'; orderId: string } | { kind: 'anonymous' };
