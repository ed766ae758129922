// The manifest rule: an export replaces what the last one wrote, removes what it no longer writes,
// refuses a folder with anyone else's files unless forced, and creates secrets 0600.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MinikError } from '../../../src/core/errors.js';
import { MANIFEST_FILE, writeExport } from '../../../src/export/index.js';

let tmp: string;
const meta = { app: 'shop', format: 'systemd', release: 3 };
const mode = (f: string) => statSync(f).mode & 0o777;

beforeEach(() => { tmp = mkdtempSync(join(tmpdir(), 'minik-export-writer-')); });
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('writeExport', () => {
  it('creates the folder, writes secrets 0600 and others 0644, and records what it wrote', async () => {
    const dir = join(tmp, 'out/systemd');
    const old = process.umask(0o077); // a strict umask must not make public files private, nor the reverse
    try {
      await writeExport(dir, [{ path: 'shop.env', content: 'A="1"\n', mode: 0o600 }, { path: 'shop.target', content: '[Unit]\n', mode: 0o644 }], meta, false);
    } finally {
      process.umask(old);
    }
    expect(mode(join(dir, 'shop.env'))).toBe(0o600);
    expect(mode(join(dir, 'shop.target'))).toBe(0o644);
    expect(JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'))).toEqual({ ...meta, files: ['shop.env', 'shop.target'] });
  });

  it('overwrites its own files, removes those it no longer writes, and makes a public file secret in place', async () => {
    await writeExport(tmp, [{ path: 'a.service', content: 'old', mode: 0o644 }, { path: 'b.service', content: 'b', mode: 0o644 }], meta, false);
    const removed = await writeExport(tmp, [{ path: 'a.service', content: 'new', mode: 0o600 }], meta, false);
    expect(removed).toEqual(['b.service']);
    expect(readdirSync(tmp).sort()).toEqual([MANIFEST_FILE, 'a.service']);
    expect(readFileSync(join(tmp, 'a.service'), 'utf8')).toBe('new');
    expect(mode(join(tmp, 'a.service'))).toBe(0o600);
  });

  it('refuses a folder holding files it did not write, naming them, and writes beside them with force', async () => {
    writeFileSync(join(tmp, 'notes.txt'), 'mine');
    mkdirSync(join(tmp, 'charts'));
    const err = await writeExport(tmp, [{ path: 'x.yaml', content: 'x', mode: 0o644 }], meta, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinikError);
    expect((err as MinikError).message).toBe(`${tmp} holds files minik export did not write (charts, notes.txt)`);
    expect((err as MinikError).hint).toMatch(/--force/);
    expect(readdirSync(tmp).sort()).toEqual(['charts', 'notes.txt']);
    await writeExport(tmp, [{ path: 'x.yaml', content: 'x', mode: 0o644 }], meta, true);
    expect(readdirSync(tmp).sort()).toEqual([MANIFEST_FILE, 'charts', 'notes.txt', 'x.yaml']);
    // Once written with --force, its own files are its own; the user's still stop a plain export.
    await expect(writeExport(tmp, [{ path: 'x.yaml', content: 'y', mode: 0o644 }], meta, false)).rejects.toThrow(/charts, notes\.txt/);
  });

  it('refuses a path that is a file', async () => {
    writeFileSync(join(tmp, 'file'), '');
    await expect(writeExport(join(tmp, 'file'), [], meta, false)).rejects.toThrow(/is a file, not a folder/);
  });

  it('never deletes outside the folder when a manifest names other paths', async () => {
    writeFileSync(join(tmp, 'keep'), 'k');
    mkdirSync(join(tmp, 'out'));
    writeFileSync(join(tmp, 'out', MANIFEST_FILE), JSON.stringify({ files: ['../keep', '/etc/passwd'] }));
    await writeExport(join(tmp, 'out'), [], meta, false);
    expect(readFileSync(join(tmp, 'keep'), 'utf8')).toBe('k');
  });
});
