import { describe, expect, it } from 'vitest';
import type { ReleaseView } from '../../../src/core/api.js';
import { makePalette } from '../../../src/cli/color.js';
import { releaseTable } from '../../../src/cli/commands/releases.js';

const view = (version: number, commit: string | null): ReleaseView => ({
  version, description: commit ? `Deploy ${commit.slice(0, 7)}` : 'Set X config var', status: 'succeeded',
  createdAt: '2026-11-30T04:00:00Z', buildpack: 'node', current: version === 2, slugAvailable: true, commit,
});

describe('releaseTable', () => {
  it('shows a COMMIT column once a release came from a git push', () => {
    const p = makePalette(false);
    const now = Date.parse('2026-11-30T04:00:10Z');
    const git = releaseTable([view(2, '3f2a1c4'.padEnd(40, 'e')), view(1, null)], p, now).split('\n');
    expect(git[0]).toMatch(/^VERSION +DESCRIPTION +STATUS +COMMIT +CREATED/);
    expect(git[2]).toMatch(/^v2 +Deploy 3f2a1c4 +succeeded +3f2a1c4 +2026/);
    expect(releaseTable([view(1, null)], p, now)).not.toContain('COMMIT');
  });
});
