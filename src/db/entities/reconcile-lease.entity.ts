import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The lease that lets one instance at a time run a provider status sync round. Written with plain
 * conditional UPDATEs (reconciliation.lease.ts); `expiresAt` is epoch milliseconds, so an instance
 * that died mid-round loses it when that time passes.
 */
@Entity({ tableName: 'reconcile_leases' })
export class ReconcileLeaseEntity {
  @PrimaryKey({ type: 'string', length: 50 })
  name!: string;

  @Property({ type: 'string', length: 255, nullable: true })
  holder?: string | null;

  @Property({ type: new BigIntType('number'), default: 0 })
  expiresAt: number = 0;
}
