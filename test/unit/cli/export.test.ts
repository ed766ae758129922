// `minik export` flags: image reference, systemd root, and the pruned-slug case, checked before any file is written.
import { describe, expect, it } from 'vitest';
import { exportOptions } from '../../../src/cli/commands/export.js';
import { fixtureData } from '../export/helpers.js';

describe('exportOptions', () => {
  it('defaults the image to APP:vN and the systemd root to the release slug', async () => {
    const data = await fixtureData();
    expect(exportOptions('systemd', data, '/out', {})).toEqual({ dir: '/out', image: 'node-multi:v7', externalAddons: false, root: data.slug });
    expect(exportOptions('k8s', data, '/out', { image: 'registry.example.com/shop:v7', externalAddons: true, root: '/srv/x' }))
      .toEqual({ dir: '/out', image: 'registry.example.com/shop:v7', externalAddons: true, root: '/srv/x' });
  });

  it('refuses an image reference with spaces or quotes', async () => {
    const data = await fixtureData();
    expect(() => exportOptions('k8s', data, '/out', { image: 'shop v7' })).toThrow("--image 'shop v7' is not an image reference");
  });

  it('refuses a systemd export of a release whose slug was pruned unless --root is given', async () => {
    const data = await fixtureData({ slug: null });
    expect(() => exportOptions('systemd', data, '/out', {})).toThrow('the slug of node-multi v7 was pruned, so the units have nothing to run');
    expect(exportOptions('systemd', data, '/out', { root: '/srv/shop' }).root).toBe('/srv/shop');
    expect(exportOptions('compose', data, '/out', {}).root).toBe('');
  });
});
