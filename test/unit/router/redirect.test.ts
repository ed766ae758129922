// Why: an app's own redirect to https (Django keeps the port, Rails drops it) must land on the router's HTTPS port,
// and nothing else a redirect names may change.
import { describe, expect, it } from 'vitest';
import { localHttpsLocation } from '../../../src/router/redirect.js';

describe('localHttpsLocation', () => {
  const at = (location: string, host = 'shop.localhost:7080') => localHttpsLocation(location, host, '7080', '7443');

  it("points the app's own https URL, on the HTTP port or on none, at the HTTPS port", () => {
    expect(at('https://shop.localhost:7080/')).toBe('https://shop.localhost:7443/'); // Django's SECURE_SSL_REDIRECT
    expect(at('https://shop.localhost/cart?x=1#top')).toBe('https://shop.localhost:7443/cart?x=1#top'); // Rails' force_ssl
    expect(at('https://SHOP.localhost:7080/a', 'Shop.Localhost:7080')).toBe('https://shop.localhost:7443/a');
    expect(at('https://shop.localhost:443/')).toBe('https://shop.localhost:7443/'); // 443 is https's default port
  });

  it('leaves every other Location alone', () => {
    expect(at('/login')).toBeNull(); // relative
    expect(at('http://shop.localhost:7080/')).toBeNull(); // not https
    expect(at('https://accounts.example.com/oauth')).toBeNull(); // another host
    expect(at('https://api.shop.localhost:7080/')).toBeNull(); // another app
    expect(at('https://shop.localhost:9000/')).toBeNull(); // a port the app chose
    expect(at('https://shop.localhost:7443/')).toBeNull(); // already there
    expect(at('https://[::1')).toBeNull(); // not a URL
  });
});
