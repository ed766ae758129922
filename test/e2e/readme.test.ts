// Issue 9 item 1: the README's quick start, run literally from the repo root (only `npm install`, the tools
// script and `npm test` are left out: they are what runs this suite). The commands are read from the README itself, so the test
// breaks when the README and minik disagree.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minik, ROOT, type Minik } from './harness.js';

/** The quick start's commands: the code block's lines split on `&&`, then the backticked ones after "Then". */
export function quickStartCommands(readme: string): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Quick start'))!;
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  const fromBlock = block.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean).flatMap((l) => l.split('&&').map((c) => c.trim()));
  const then = section.slice(section.indexOf('Then '));
  const fromThen = [...then.matchAll(/`((?:npx minik|curl) [^`]+)`/g)].map((m) => m[1]!);
  return [...fromBlock, ...fromThen].filter((c) => !/^npm (install|test)$/.test(c) && !c.startsWith('bash scripts/install-tools.sh'));
}

describe('the README quick start, literally', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik(); });
  afterAll(async () => { await m.stop(); });

  it('every command works from the repo root as written', async () => {
    const commands = quickStartCommands(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(commands).toEqual(['npx minik up fixtures/node-hello', 'curl http://node-hello.localhost:7080/', 'npx minik scale web=3', 'npx minik ps', 'npx minik logs -t']);
    for (const command of commands) {
      // The test's router listens on its own port; everything else is the README's text.
      const [file, ...args] = command.replace(':7080', `:${m.port}`).split(' ');
      const follow = command.endsWith('logs -t');
      // npx runs minik as its child: a follower is ended as Ctrl-C would, by signalling the whole group.
      const sub = execa(file!, args, { cwd: ROOT, env: m.env, reject: false, stdin: 'ignore', detached: follow, timeout: 120_000 });
      let stillFollowing = false;
      const timer = follow ? setTimeout(() => { stillFollowing = true; process.kill(-sub.pid!, 'SIGINT'); }, 5000) : undefined;
      const r = await sub;
      clearTimeout(timer);
      if (follow) {
        expect(stillFollowing, `${command} should keep following until Ctrl-C`).toBe(true);
        expect(String(r.stdout)).toMatch(/app\[web\.\d\]/);
        continue;
      }
      expect(r.exitCode, `${command}\n${String(r.stderr)}`).toBe(0);
      if (command.startsWith('curl')) expect(String(r.stdout)).toContain('Hello');
      if (command.endsWith(' ps')) expect(String(r.stdout).match(/^web\.\d/gm)).toHaveLength(3);
    }
  });
});
