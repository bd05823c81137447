import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { IdempotencyKeyEntity, IdempotencyKeyStatus } from '../../db/entities/idempotency-key.entity';
import { ConflictError } from '../errors';
import type { ScopedIdempotencyKey } from '../idempotency/idempotency-key';
import { describeDifference, type RequestFingerprint } from '../idempotency/request-fingerprint';
import { openResponse, sealResponse } from '../idempotency/sealed-response';

/** The first answer under a key, as it went to the client. */
export interface StoredResponse {
  status: number;
  /** The serialized GraphQL response, exactly as first sent. */
  body: string;
}

/** Either this request runs (and must then `complete` or `release` its claim), or the first answer is replayed. */
export type IdempotencyClaim = { kind: 'execute'; claimId: string } | { kind: 'replay'; response: StoredResponse };

export interface IdempotencySettings {
  /** How long a key is remembered (IDEMPOTENCY_TTL_HOURS). */
  ttlMs: number;
  /** How long a running request holds its key before the claim counts as abandoned (its process died). */
  leaseMs: number;
}

/** Longer than any mutation can run (provider timeouts and retries included), so a live request is never taken over. */
export const IDEMPOTENCY_LEASE_MS = 10 * 60_000;

/**
 * The storage rules of `Idempotency-Key` (CONTRACT §2): the first request under a key inserts its
 * row, and the primary key decides across instances who runs; a later one is replayed, refused as
 * IN_USE while the first runs, or refused as REUSED when it asks for something else. A response is
 * stored sealed with a key derived from the client's key, so the database alone never reveals it.
 */
export class IdempotencyService {
  constructor(
    private readonly em: EntityManager,
    private readonly settings: IdempotencySettings,
  ) {}

  async claim(key: ScopedIdempotencyKey, fingerprint: RequestFingerprint): Promise<IdempotencyClaim> {
    const em = this.em.fork();
    // A row that disappears between our failed insert and our read was released: try again, briefly.
    for (let round = 0; round < 3; round++) {
      const now = new Date();
      const claimId = randomUUID();
      const fresh = { requestFingerprint: JSON.stringify(fingerprint), status: IdempotencyKeyStatus.IN_PROGRESS, claimId, lockedUntil: this.after(now, this.settings.leaseMs), response: null };
      try {
        await em.insert(IdempotencyKeyEntity, { keyHash: key.hash, ...fresh, createdAt: now, expiresAt: this.after(now, this.settings.ttlMs) });
        return { kind: 'execute', claimId };
      } catch (error) {
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
      }
      const row = await em.findOne(IdempotencyKeyEntity, { keyHash: key.hash }, { disableIdentityMap: true });
      if (!row) continue;
      if (row.expiresAt <= now) {
        // Forgotten, merely not swept yet: the key starts a new life. The claim id we read makes the takeover race-free.
        const taken = await em.nativeUpdate(IdempotencyKeyEntity, { keyHash: key.hash, claimId: row.claimId }, { ...fresh, createdAt: now, expiresAt: this.after(now, this.settings.ttlMs) });
        if (taken === 1) return { kind: 'execute', claimId };
        continue;
      }
      const difference = describeDifference(JSON.parse(row.requestFingerprint) as RequestFingerprint, fingerprint);
      if (difference) {
        throw new ConflictError(`This Idempotency-Key was first used for ${difference}; a key stands for one request, so send a new key for a new request`, {
          reason: 'IDEMPOTENCY_KEY_REUSED',
        });
      }
      if (row.status === IdempotencyKeyStatus.COMPLETED && row.response) return { kind: 'replay', response: this.open(key, row.response) };
      if (row.lockedUntil > now) break;
      const taken = await em.nativeUpdate(IdempotencyKeyEntity, { keyHash: key.hash, claimId: row.claimId, status: IdempotencyKeyStatus.IN_PROGRESS }, fresh);
      if (taken === 1) return { kind: 'execute', claimId };
    }
    throw new ConflictError('A request with this Idempotency-Key is still running; retry in a second to get its response', { reason: 'IDEMPOTENCY_KEY_IN_USE' });
  }

  /** Keeps the response for replays. False when the claim was lost meanwhile (expired and taken over). */
  async complete(key: ScopedIdempotencyKey, claimId: string, response: StoredResponse): Promise<boolean> {
    const sealed = sealResponse(key.responseKey, JSON.stringify(response), key.hash);
    const updated = await this.em.fork().nativeUpdate(
      IdempotencyKeyEntity,
      { keyHash: key.hash, claimId, status: IdempotencyKeyStatus.IN_PROGRESS },
      { status: IdempotencyKeyStatus.COMPLETED, response: sealed },
    );
    return updated === 1;
  }

  /** Forgets a claim whose request left nothing to protect (invalid input, refused, internal error): the key may run again. */
  async release(key: ScopedIdempotencyKey, claimId: string): Promise<void> {
    await this.em.fork().nativeDelete(IdempotencyKeyEntity, { keyHash: key.hash, claimId, status: IdempotencyKeyStatus.IN_PROGRESS });
  }

  /** Deletes every expired key; returns how many. */
  async sweepExpired(now = new Date()): Promise<number> {
    return this.em.fork().nativeDelete(IdempotencyKeyEntity, { expiresAt: { $lte: now } });
  }

  /** The fingerprint matched, so only other credentials (a rotated admin key) can keep the response from opening. */
  private open(key: ScopedIdempotencyKey, sealed: string): StoredResponse {
    try {
      return JSON.parse(openResponse(key.responseKey, sealed, key.hash)) as StoredResponse;
    } catch {
      throw new ConflictError('This Idempotency-Key was first used with other credentials, so its response cannot be replayed; send a new key', {
        reason: 'IDEMPOTENCY_KEY_REUSED',
      });
    }
  }

  private after(now: Date, ms: number): Date {
    return new Date(now.getTime() + ms);
  }
}
