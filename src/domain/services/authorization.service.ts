import type { OrderReader } from '../../db/order-reader';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { bearerSecret, hashSecret, secretsEqual } from './access-token';
import type { AccessTokenCache } from './access-token-cache';
import type { Principal } from './principal';

/**
 * The one place that turns an `Authorization` value into a {@link Principal} and decides
 * access (CONTRACT §2 "Who may do what"); HTTP and WebSocket callers both go through it.
 */
export class AuthorizationService {
  constructor(
    private readonly reader: OrderReader,
    private readonly adminApiKey: string,
    private readonly tokens: AccessTokenCache,
  ) {}

  /** `Bearer <admin key>` → admin; `Bearer <order token>` → that order; nothing → anonymous; anything else → UNAUTHENTICATED. */
  async principalFrom(authorization: unknown): Promise<Principal> {
    if (authorization === undefined || authorization === null || authorization === '') return { kind: 'anonymous' };
    const secret = bearerSecret(authorization);
    if (secret === undefined) throw new UnauthenticatedError("Authorization must be 'Bearer <admin key or order access token>'");
    if (secretsEqual(secret, this.adminApiKey)) return { kind: 'admin' };
    const hash = hashSecret(secret);
    const orderId = this.tokens.orderIdFor(hash) ?? (await this.reader.orderIdByTokenHash(hash));
    if (!orderId) throw new UnauthenticatedError('The bearer token is not a valid admin key or order access token');
    this.tokens.remember(hash, orderId);
    return { kind: 'order', orderId };
  }

  requireAdmin(principal: Principal): void {
    if (principal.kind === 'anonymous') throw new UnauthenticatedError('This operation needs the admin key');
    if (principal.kind !== 'admin') throw new ForbiddenError('This operation is for admins only');
  }

  /** The admin, or the holder of this order's token. */
  requireOrderAccess(principal: Principal, orderId: string): void {
    if (principal.kind === 'admin') return;
    if (principal.kind === 'anonymous') throw new UnauthenticatedError("This operation needs the order's access token or the admin key");
    if (principal.orderId !== orderId) throw new ForbiddenError('This access token belongs to another order');
  }
}
