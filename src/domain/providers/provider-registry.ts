import { ProviderNotConfiguredError } from '../errors';
import { PaymentProvider } from '../../model/payment-types';
import type { PaymentProviderAdapter } from './payment-provider';
import type { PayPalGateway } from './paypal-gateway';
import type { StripeGateway } from './stripe-gateway';

/** Picks the adapter for a provider; a provider without configuration is a clear error, not a crash. */
export class ProviderRegistry<TStripe extends PaymentProviderAdapter = PaymentProviderAdapter, TPayPal extends PaymentProviderAdapter = PaymentProviderAdapter> {
  constructor(private readonly adapters: { STRIPE?: TStripe; PAYPAL?: TPayPal }) {}

  stripe(): TStripe {
    return this.require(PaymentProvider.STRIPE) as TStripe;
  }

  paypal(): TPayPal {
    return this.require(PaymentProvider.PAYPAL) as TPayPal;
  }

  get(provider: PaymentProvider): PaymentProviderAdapter {
    return this.require(provider);
  }

  has(provider: PaymentProvider): boolean {
    return Boolean(this.adapters[provider]);
  }

  private require(provider: PaymentProvider): PaymentProviderAdapter {
    const adapter = this.adapters[provider];
    if (!adapter) {
      const vars = provider === PaymentProvider.STRIPE ? 'STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET' : 'PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID';
      throw new ProviderNotConfiguredError(provider, vars);
    }
    return adapter;
  }
}

/** The registry the domain services are given: Stripe's and PayPal's flows behind their gateways. */
export type PaymentProviders = ProviderRegistry<StripeGateway, PayPalGateway>;
