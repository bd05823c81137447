import { validateRedirectUrl } from '../../src/domain/redirect-urls';

const dev = { allowPlainHttpLocalhost: true };
const live = { allowPlainHttpLocalhost: false };

describe('validateRedirectUrl', () => {
  it('accepts https everywhere and keeps the Stripe placeholder', () => {
    expect(validateRedirectUrl('https://shop.example.com/ok?s={CHECKOUT_SESSION_ID}', 'input.successUrl', live)).toBe(
      'https://shop.example.com/ok?s={CHECKOUT_SESSION_ID}',
    );
  });

  it('accepts plain http only for localhost, and only in sandbox/development', () => {
    expect(validateRedirectUrl('http://localhost:3000/ok', 'input.successUrl', dev)).toBe('http://localhost:3000/ok');
    expect(validateRedirectUrl('http://127.0.0.1/ok', 'input.successUrl', dev)).toBe('http://127.0.0.1/ok');
    expect(() => validateRedirectUrl('http://localhost:3000/ok', 'input.successUrl', live)).toThrow(/must use https/);
    expect(() => validateRedirectUrl('http://shop.example.com/ok', 'input.successUrl', dev)).toThrow(/only for localhost/);
  });

  it.each([
    ['not-a-url', /not an absolute URL/],
    ['/relative/path', /not an absolute URL/],
    ['javascript:alert(1)', /must use https/],
    ['ftp://example.com/x', /must use https/],
    ['https://user:pw@example.com/', /credentials/],
    ['', /absolute https/],
    [' https://shop.example.com/ok', /must not contain spaces or control characters/],
    ['https://shop.example.com/ok\n', /must not contain spaces or control characters/],
    ['https://shop.exa\tmple.com/ok', /must not contain spaces or control characters/],
    ['https://shop.example.com/o k', /must not contain spaces or control characters/],
    ['https://shop.example.com/\u0000', /must not contain spaces or control characters/],
  ])('refuses %p naming the field', (value, message) => {
    try {
      validateRedirectUrl(value, 'input.cancelUrl', dev);
      throw new Error('accepted');
    } catch (error) {
      expect((error as Error).message).toMatch(message);
      expect((error as { code?: string }).code).toBe('BAD_USER_INPUT');
      expect((error as { field?: string }).field).toBe('input.cancelUrl');
    }
  });

  it('enforces the origin allowlist', () => {
    const policy = { allowPlainHttpLocalhost: false, allowedOrigins: ['https://shop.example.com'] };
    expect(validateRedirectUrl('https://shop.example.com/a', 'input.returnUrl', policy)).toBe('https://shop.example.com/a');
    expect(() => validateRedirectUrl('https://evil.example.net/a', 'input.returnUrl', policy)).toThrow(/ALLOWED_REDIRECT_ORIGINS/);
  });
});
