import type { Page } from '../domain/services/pagination';
import type { PageInfo } from './types/order-connection.type';

/** A domain page → a Relay connection (edges with cursors, pageInfo, totalCount), each node mapped by `toNode`. */
export function toConnection<T, N>(page: Page<T>, toNode: (node: T) => N): { edges: { cursor: string; node: N }[]; pageInfo: PageInfo; totalCount: number } {
  return {
    edges: page.nodes.map((node, i) => ({ cursor: page.cursors[i], node: toNode(node) })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.cursors[0] ?? null,
      endCursor: page.cursors.at(-1) ?? null,
    },
    totalCount: page.totalCount,
  };
}
