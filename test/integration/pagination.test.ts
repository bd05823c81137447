import { createOrder, errorCode, expectNoInternals, gql, startTestService, type TestService } from '../helpers/service.helpers';

interface Connection {
  orders: {
    totalCount: number;
    edges: { cursor: string; node: { id: string; status: string; createdAt: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

const PAGE = `query($first: Int, $after: String, $status: OrderStatus) {
  orders(first: $first, after: $after, status: $status) {
    totalCount
    edges { cursor node { id status createdAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

/** The admin `orders` connection: cursor paging to the end, status filter, argument validation. */
describe('orders pagination', () => {
  let ts: TestService;
  const created: string[] = [];
  const canceled = new Set<string>();

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off' });
    for (let i = 0; i < 25; i++) {
      const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'STICKER-PACK', quantity: 1 + (i % 5) }]);
      created.push(id);
      if (i % 4 === 0) {
        await gql(ts.graphqlUrl, `mutation($id: ID!) { cancelOrder(orderId: $id) { id } }`, { id }, token);
        canceled.add(id);
      }
    }
  });

  afterAll(async () => {
    await ts.close();
  });

  async function page(variables: Record<string, unknown>) {
    const res = await gql<Connection>(ts.graphqlUrl, PAGE, variables, ts.adminKey);
    expect(res.errors).toBeUndefined();
    return res.data!.orders;
  }

  /** Follows endCursor until hasNextPage is false; returns every page. */
  async function allPages(first: number, status?: string) {
    const pages: Connection['orders'][] = [];
    let after: string | null = null;
    for (;;) {
      const current: Connection['orders'] = await page({ first, after, status });
      pages.push(current);
      if (!current.pageInfo.hasNextPage) return pages;
      expect(current.pageInfo.endCursor).toBe(current.edges.at(-1)!.cursor);
      after = current.pageInfo.endCursor;
      if (pages.length > 30) throw new Error('pagination does not terminate');
    }
  }

  it('pages through every order exactly once, newest first', async () => {
    const pages = await allPages(7);
    expect(pages.map((p) => p.edges.length)).toEqual([7, 7, 7, 4]);
    const ids = pages.flatMap((p) => p.edges.map((e) => e.node.id));
    expect(new Set(ids).size).toBe(25);
    expect([...ids].sort()).toEqual([...created].sort());
    const times = pages.flatMap((p) => p.edges.map((e) => Date.parse(e.node.createdAt)));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    pages.forEach((p, i) => {
      expect(p.totalCount).toBe(25);
      expect(p.pageInfo.hasNextPage).toBe(i < pages.length - 1);
      expect(p.pageInfo.hasPreviousPage).toBe(i > 0);
      expect(p.pageInfo.startCursor).toBe(p.edges[0].cursor);
      expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)!.cursor);
    });
  });

  it('ends exactly on a page boundary without an empty extra page', async () => {
    const pages = await allPages(5);
    expect(pages.map((p) => p.edges.length)).toEqual([5, 5, 5, 5, 5]);
    expect(pages.at(-1)!.pageInfo.hasNextPage).toBe(false);
    const afterLast = await page({ first: 5, after: pages.at(-1)!.pageInfo.endCursor });
    expect(afterLast.edges).toEqual([]);
    expect(afterLast.pageInfo).toMatchObject({ hasNextPage: false, startCursor: null, endCursor: null });
  });

  it('defaults to 20 and accepts 1 and 100', async () => {
    const all = await page({ first: 100 });
    expect(all.edges).toHaveLength(25);
    expect((await page({})).edges).toEqual(all.edges.slice(0, 20));
    expect((await page({ first: 1 })).edges).toEqual(all.edges.slice(0, 1));
  });

  it('filters by status, with a matching totalCount, across pages', async () => {
    const canceledPages = await allPages(3, 'CANCELED');
    const canceledIds = canceledPages.flatMap((p) => p.edges.map((e) => e.node.id));
    expect(canceledIds).toEqual([...created].reverse().filter((id) => canceled.has(id)));
    expect(canceledPages[0].totalCount).toBe(canceled.size);
    expect(canceledPages.flatMap((p) => p.edges).every((e) => e.node.status === 'CANCELED')).toBe(true);

    const open = await allPages(100, 'CREATED');
    expect(open[0].totalCount).toBe(25 - canceled.size);
    expect(open[0].edges.map((e) => e.node.id).sort()).toEqual(created.filter((id) => !canceled.has(id)).sort());

    const none = await page({ status: 'PAID' });
    expect(none).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it.each([
    ['first: 0', { first: 0 }, 'first'],
    ['first: -1', { first: -1 }, 'first'],
    ['first: 101', { first: 101 }, 'first'],
    ['a garbage cursor', { after: 'not-a-cursor' }, 'after'],
    ['a base64 cursor of the wrong shape', { after: Buffer.from('{"a":1}').toString('base64url') }, 'after'],
  ])('answers BAD_USER_INPUT naming the argument for %s', async (_what, variables, field) => {
    const res = await gql(ts.graphqlUrl, PAGE, variables, ts.adminKey);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions!.field).toBe(field);
    expect(res.errors![0].message).toMatch(field === 'first' ? /first/ : /cursor/);
    expect(res.data).toBeNull();
    expectNoInternals(res);
  });

  it('answers BAD_USER_INPUT for a value of the wrong type', async () => {
    const res = await gql(ts.graphqlUrl, PAGE, { first: 'ten' }, ts.adminKey);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/first/);
    expectNoInternals(res);
  });
});
