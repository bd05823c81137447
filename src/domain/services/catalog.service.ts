import type { EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import { ProductEntity } from '../../db/entities';
import { CATALOG_SEED } from '../catalog.seed';

/** A product as the catalog shows it. */
export interface CatalogProduct {
  sku: string;
  name: string;
  description: string | null;
  unitAmount: number;
  currency: string;
}

/** Reads the product catalog; prices are only ever taken from here. */
export class CatalogService {
  constructor(private readonly em: EntityManager) {}

  /** Active products, by currency then SKU: one plain query, nothing hydrated (read on every storefront visit). */
  async listActive(): Promise<CatalogProduct[]> {
    const knex = (this.em.getConnection() as AbstractSqlConnection).getKnex();
    const rows: Record<string, any>[] = await knex('products')
      .select('sku', 'name', 'description', 'unit_amount', 'currency')
      .where('active', true)
      .orderBy(['currency', 'sku']);
    return rows.map((r) => ({ sku: r.sku, name: r.name, description: r.description ?? null, unitAmount: Number(r.unit_amount), currency: r.currency }));
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
