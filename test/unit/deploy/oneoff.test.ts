import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dict } from '../../../src/core/dict.js';
import { oneOffCommand } from '../../../src/deploy/oneoff.js';
import { copySlug, removeScratch, scratchId, scratchOwner, sweepScratch } from '../../../src/deploy/scratch.js';

describe('one-off command', () => {
  const types = Object.assign(dict<string>(), { web: 'node server.js', worker: 'node worker.js' });

  it('runs a Procfile process type’s command, and any other command as given', () => {
    expect(oneOffCommand(types, 'worker')).toBe('node worker.js');
    expect(oneOffCommand(types, ' web ')).toBe('node server.js');
    expect(oneOffCommand(types, 'node -v')).toBe('node -v');
    expect(oneOffCommand(types, 'bash')).toBe('bash');
    expect(oneOffCommand(types, 'constructor')).toBe('constructor');
  });
});

describe('throwaway slug copies', () => {
  let home: string;
  let slug: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'minik-scratch-'));
    slug = join(home, 'slugs', 'shop', 'abc');
    await mkdir(join(slug, 'node_modules', '.bin'), { recursive: true });
    await writeFile(join(slug, 'db.txt'), 'original');
    await writeFile(join(slug, 'node_modules', 'tool.js'), 'tool');
    await symlink('../tool.js', join(slug, 'node_modules', '.bin', 'tool'));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('copies the slug so writes in the copy (even in place) leave the slug unchanged', async () => {
    const s = await copySlug(home, 'shop', 'release.3', slug);
    expect(s.slug).toBe(join(s.dir, 'app'));
    await writeFile(join(s.slug, 'db.txt'), 'migrated', { flag: 'r+' });
    await writeFile(join(s.slug, 'new.txt'), 'x');
    expect(await readFile(join(slug, 'db.txt'), 'utf8')).toBe('original');
    expect(await readdir(slug)).not.toContain('new.txt');
    expect(await readlink(join(s.slug, 'node_modules', '.bin', 'tool'))).toBe('../tool.js');
    await removeScratch(s);
    expect(await readdir(join(home, 'runs', 'shop'))).toEqual([]);
  });

  it('names the owner in the folder name, and sweeps only copies whose owner is gone', async () => {
    expect(scratchOwner(scratchId('run.2', 123, 456, 'beef'))).toEqual({ pid: 123, startTime: 456 });
    expect(scratchOwner('stray')).toBeNull();
    const child = spawn('sleep', ['30']);
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    const live = await copySlug(home, 'shop', 'run.1', slug, child.pid);
    const mine = await copySlug(home, 'shop', 'run.2', slug);
    const dead = await copySlug(home, 'shop', 'run.3', slug, gone.pid);
    await mkdir(join(home, 'runs', 'shop', 'stray'));
    try {
      expect(await sweepScratch(home, 'shop')).toBe(2);
      const left = await readdir(join(home, 'runs', 'shop'));
      expect(left.sort()).toEqual([live.dir, mine.dir].map((d) => d.split('/').pop()).sort());
      expect(left).not.toContain(dead.dir.split('/').pop());
    } finally {
      child.kill();
    }
  });
});
