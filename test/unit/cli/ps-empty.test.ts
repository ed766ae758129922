import { describe, expect, it } from 'vitest';
import { noDynosMessage } from '../../../src/cli/commands/ps.js';

const info = (over: object) => ({ name: 'shop', currentRelease: 2, processTypes: { web: 'node s.js' }, formation: { web: 1 }, ...over });

describe('an empty minik ps says what is true for the app', () => {
  it('no release yet: deploy, not scale', () => {
    expect(noDynosMessage(info({ currentRelease: null, processTypes: {}, formation: {} }))).toBe("No dynos on shop: it has no release yet. Deploy it with 'minik up'.");
  });
  it('stopped dynos: restart', () => {
    expect(noDynosMessage(info({}))).toBe("No dynos on shop: they were stopped. Start them again with 'minik restart'.");
    expect(noDynosMessage(info({}), 'web')).toBe("No web dynos on shop: they were stopped. Start them again with 'minik restart web'.");
  });
  it('a console-only app scaled to 0: names a type it has', () => {
    expect(noDynosMessage(info({ processTypes: { worker: 'x', release: 'y' }, formation: { worker: 0 } }))).toBe("No dynos on shop. Scale up with 'minik scale worker=1'.");
  });
  it('a type the release lacks', () => {
    expect(noDynosMessage(info({}), 'clock')).toBe('No clock dynos on shop: its release has no clock process type. Its types: web.');
  });
});
