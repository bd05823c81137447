/** Where a delivery stands. */
export enum DeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

/** A registered endpoint as shown to the admin (never its secret). */
export interface EndpointRecord {
  id: string;
  url: string;
  events: string[];
  createdAt: Date;
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
}

export interface AttemptRecord {
  id: string;
  deliveryId: string;
  attemptedAt: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
}

export interface DeliveryRecord {
  id: string;
  endpointId: string;
  messageId: string;
  eventType: string;
  orderId: string;
  eventSequence: number;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A claimed delivery, with what sending it needs. */
export interface DueDelivery {
  id: string;
  endpointId: string;
  url: string;
  secret: string;
  messageId: string;
  payload: string;
  attempts: number;
  createdAt: Date;
}

/** One attempt's outcome and what it does to the delivery and its endpoint, written back in batches. */
export interface DeliveryResult {
  delivery: DueDelivery;
  attempt: Omit<AttemptRecord, 'id' | 'deliveryId'>;
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  /**
   * For a failure: until when the endpoint counts as failing. Now for a retry; for a delivery that
   * ran out of its window, when its next attempt would have been (it will never be made, so the
   * endpoint's health is judged as of then).
   */
  failingUntil?: Date;
}
