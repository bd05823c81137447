import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
  type GraphQLInputObjectType,
  type GraphQLObjectType,
  type IntrospectionQuery,
} from 'graphql';
import { printAppSchema } from '../../src/graphql/emit-schema';
import { gql, startTestService, type TestService } from '../helpers/service.helpers';

const SCHEMA_FILE = path.resolve(__dirname, '..', '..', 'schema', 'schema.graphql');

/** schema/schema.graphql (committed, `npm run schema:emit`) is exactly what the running server serves. */
describe('schema drift', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off' });
  });

  afterAll(async () => {
    await ts.close();
  });

  async function served(): Promise<string> {
    const res = await gql<IntrospectionQuery>(ts.graphqlUrl, getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true }));
    expect(res.errors).toBeUndefined();
    return `${printSchema(lexicographicSortSchema(buildClientSchema(res.data!)))}\n`;
  }

  it('the committed file equals the introspected schema of the running server', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await served());
  });

  it('printAppSchema() (what schema:emit writes) equals the introspected schema', async () => {
    expect(printAppSchema()).toBe(await served());
  });

  it('keeps the contract names and types (CONTRACT §2)', () => {
    const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
    const signature = (typeName: 'Query' | 'Mutation' | 'Subscription', field: string) => {
      const f = (schema.getType(typeName) as GraphQLObjectType).getFields()[field];
      return `${field}(${f.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ')}): ${String(f.type)}`;
    };
    // The file is sorted, so arguments appear in alphabetical order.
    expect(signature('Query', 'products')).toBe('products(): [Product!]!');
    expect(signature('Query', 'order')).toBe('order(id: ID!): Order');
    expect(signature('Query', 'orders')).toBe('orders(after: String, first: Int, status: OrderStatus): OrderConnection!');
    expect(signature('Mutation', 'createOrder')).toBe('createOrder(input: CreateOrderInput!): CreateOrderPayload!');
    expect(signature('Mutation', 'cancelOrder')).toBe('cancelOrder(orderId: ID!): Order!');
    // CONTRACT §2, second wave: `afterSequence` replays what a reconnecting client missed.
    expect(signature('Subscription', 'orderStatusChanged')).toBe('orderStatusChanged(afterSequence: Int, orderId: ID!): OrderStatusEvent!');
    const fields = (name: string) => Object.keys((schema.getType(name) as GraphQLObjectType).getFields()).sort();
    expect(fields('CreateOrderPayload')).toEqual(['accessToken', 'order']);
    expect(fields('OrderStatusEvent')).toEqual(expect.arrayContaining(['at', 'order', 'orderId', 'previousStatus', 'source', 'status']));
    expect(fields('Order')).toEqual(
      expect.arrayContaining(['amount', 'amountRefunded', 'createdAt', 'currency', 'customerEmail', 'events', 'id', 'items', 'payments', 'refunds', 'status', 'updatedAt']),
    );
    expect(Object.keys((schema.getType('OrderItemInput') as GraphQLInputObjectType).getFields()).sort()).toEqual(['quantity', 'sku']);
  });
});
