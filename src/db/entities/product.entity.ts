import { OptionalProps, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A catalog product; prices live here and nowhere on the client. */
@Entity({ tableName: 'products' })
export class ProductEntity {
  [OptionalProps]?: 'active';

  @PrimaryKey({ type: 'string', length: 64 })
  sku!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  /** Price in the currency's minor unit. */
  @Property({ type: 'integer' })
  unitAmount!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'boolean' })
  active: boolean = true;
}
