/** The catalog facts pricing needs about one product. */
export interface PricedProduct {
  readonly sku: string;
  readonly name: string;
  readonly unitAmount: number;
  readonly currency: string;
  readonly active: boolean;
}
