import { knex as createKnex } from '@mikro-orm/knex';
import { CompiledShapes } from '../../src/db/compiled-shapes';

/** A statement's compiled text is reused per shape, and only where the caller's bindings are knex's own. */
describe('CompiledShapes', () => {
  const knex = createKnex({ client: 'sqlite3', useNullAsDefault: true, connection: { filename: ':memory:' } });
  afterAll(() => knex.destroy());

  it('builds a shape once and runs later calls on its text with their own values, as knex would compile them', () => {
    const shapes = new CompiledShapes();
    const build = jest.fn((ids: string[]) => knex('orders').select('id').whereIn('id', ids).limit(1));
    const first = shapes.statement(knex, 'orders:2', ['a', 'b', 1], () => build(['a', 'b']));
    expect(first.toSQL().bindings).toEqual(['a', 'b', 1]);
    const ids = ['c', 'd'];
    const second = shapes.statement(knex, 'orders:2', [...ids, 1], () => build(ids));
    expect(build).toHaveBeenCalledTimes(1);
    expect(second.toSQL().toNative()).toEqual(build(ids).toSQL().toNative());
  });

  it('keeps no text for a shape whose compiled bindings are not exactly the ones passed', () => {
    const shapes = new CompiledShapes();
    const build = jest.fn(() => knex('orders').select('id').where('status', 'PAID').whereIn('id', ['a']));
    // The caller forgot the status binding: the text is not kept, so it can never run with 'a' in the status slot.
    shapes.statement(knex, 'paid:1', ['a'], build);
    const again = shapes.statement(knex, 'paid:1', ['a'], build);
    expect(build).toHaveBeenCalledTimes(2);
    expect(again.toSQL().bindings).toEqual(['PAID', 'a']);
  });
});
