import { withoutLiterals } from '../../src/observability/tracing.hooks';

describe('SQL in traces keeps its shape, never its values', () => {
  it.each([
    ["select `o0`.* from `orders` as `o0` where `o0`.`id` = 'b60f-41' limit 1", 'select `o0`.* from `orders` as `o0` where `o0`.`id` = ? limit ?'],
    ["insert into `t` (`a`, `b`) values ('it''s', -12.5), (X'00ff', 1795986872974) returning `sequence`", 'insert into `t` (`a`, `b`) values (?, ?), (?, ?) returning `sequence`'],
    ['update payments set status = $1 where id = $2', 'update payments set status = $1 where id = $2'],
  ])('%s', (sql, shape) => {
    expect(withoutLiterals(sql)).toBe(shape);
  });
});
