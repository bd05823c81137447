import { DateTimeType, OptionalProps, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** Whether the first request under a key is still running or its answer is kept. */
export enum IdempotencyKeyStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
}

/**
 * One `Idempotency-Key` as used by one principal. The primary key is the hash of (principal, key),
 * so the database's unique constraint decides which request runs first across every instance.
 * Nothing here reveals the key or what the response said: the fingerprint is keyed by the client's
 * key and the response is encrypted with a key derived from it.
 */
@Entity({ tableName: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  [OptionalProps]?: 'status' | 'response';

  /** SHA-256 (hex) of the principal's scope and the client's key. */
  @PrimaryKey({ type: 'string', length: 64 })
  keyHash!: string;

  /** Keyed hashes of the operation and of each variable (JSON), to refuse a key reused for another request and say what differs. */
  @Property({ type: 'text' })
  requestFingerprint!: string;

  @Enum({ items: () => IdempotencyKeyStatus, type: 'string' })
  status: IdempotencyKeyStatus = IdempotencyKeyStatus.IN_PROGRESS;

  /** Which execution holds the key while IN_PROGRESS: only it may store or release it. */
  @Property({ type: 'string', length: 36 })
  claimId!: string;

  /** An IN_PROGRESS claim older than this was abandoned (its process died): another request may take it over. */
  @Property({ type: DateTimeType })
  lockedUntil!: Date;

  /** The first response (status and body), AES-256-GCM sealed with a key derived from the client's key. */
  @Property({ type: 'text', nullable: true })
  response?: string | null;

  @Property({ type: DateTimeType })
  createdAt!: Date;

  /** After this the key is forgotten: the background sweep deletes the row, and a new request may reuse the key. */
  @Property({ type: DateTimeType })
  @Index()
  expiresAt!: Date;
}
