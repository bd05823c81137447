import type { EntityManager } from '@mikro-orm/core';
import { ProductEntity } from '../../db/entities';
import { CATALOG_SEED } from '../catalog.seed';

/** Reads the product catalog; prices are only ever taken from here. */
export class CatalogService {
  constructor(private readonly em: EntityManager) {}

  /** Active products, by SKU. */
  async listActive(): Promise<ProductEntity[]> {
    return this.em.fork().find(ProductEntity, { active: true }, { orderBy: { currency: 'asc', sku: 'asc' } });
  }

  /** Inserts the demo products that are missing; never overwrites a product that exists. */
  async seedDemoProducts(): Promise<number> {
    const em = this.em.fork();
    const existing = new Set((await em.find(ProductEntity, {}, { fields: ['sku'] })).map((p) => p.sku));
    const missing = CATALOG_SEED.filter((p) => !existing.has(p.sku));
    for (const product of missing) em.persist(em.create(ProductEntity, { ...product }));
    await em.flush();
    return missing.length;
  }
}
