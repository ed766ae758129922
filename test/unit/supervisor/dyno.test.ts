// Dyno lifecycle with real processes: readiness, stop of whole groups and trees, R12, restart.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitStatus } from '../../../src/supervisor/process.js';
import { descendants } from '../../../src/supervisor/procfs.js';
import { alive, groupPids, harness, waitFor, type Harness } from './helpers.js';

const server = `node -e "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT,()=>console.log('listening on '+process.env.PORT))"`;

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.cleanup();
});

describe('web dyno', () => {
  it('goes from starting to up once its port accepts connections, and stops with status 143', async () => {
    const port = h.sup.ports.take();
    const changes: string[] = [];
    h.sup.on('change', (d) => changes.push(d.state));
    const spec = h.spec({ command: server, port, env: { ...h.spec({}).env, PORT: String(port) } });
    const dyno = h.sup.start(spec);
    expect(dyno.state).toBe('starting');
    expect(dyno.pid).toBeGreaterThan(0);
    expect(dyno.startTime).toBeGreaterThan(0);
    await dyno.waitUp();
    expect(dyno.state).toBe('up');
    expect(h.sup.get('demo', 'web.1')).toBe(dyno);
    await h.waitLog('web.1', `listening on ${port}`, 'app');
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe('ok');

    const pid = dyno.pid!;
    await h.sup.stop(dyno);
    expect(dyno.state).toBe('down');
    expect(dyno.pid).toBeNull();
    expect(alive(pid)).toBe(false);
    expect(h.sup.list()).toEqual([]);
    expect(h.messages('web.1', 'minik')).toEqual([
      `Starting process with command \`${server}\``,
      'State changed from starting to up',
      'State changed from up to stopping',
      'Stopping all processes with SIGTERM',
      'Process exited with status 143',
      'State changed from stopping to down',
    ]);
    expect(changes).toEqual(expect.arrayContaining(['starting', 'up', 'stopping', 'down']));
  });

  it('restart() runs a fresh process under the same name and keeps the restart count', async () => {
    const dyno = h.sup.start(h.spec({ name: 'worker.1', type: 'worker' }));
    await dyno.waitUp();
    const first = dyno.pid!;
    await h.sup.restart(dyno);
    expect(dyno.pid).not.toBe(first);
    expect(alive(first)).toBe(false);
    await dyno.waitUp();
    expect(dyno.restarts).toBe(0);
    expect(h.sup.list()).toEqual([dyno]);
  });
});

describe('stop leaves nothing behind', () => {
  const cases: [string, string][] = [
    ['background sleeps', 'sleep 1000 & sleep 1000 & wait'],
    ['npm-like nesting (sh → sh → node)', `sh -c "node -e 'setInterval(()=>{},1000)' & wait" & wait`],
    ['a descendant that left the group', 'setsid sleep 1000 & sleep 1000 & wait'],
  ];
  it.each(cases)('%s', async (_label, command) => {
    const dyno = h.sup.start(h.spec({ command }));
    await dyno.waitUp();
    const pgid = dyno.pid!;
    const tree = () => [pgid, ...descendants(pgid).map((s) => s.pid)];
    await waitFor(() => tree().length >= 3, 3000, 'the whole tree to start');
    const pids = tree();
    await h.sup.stop(dyno);
    expect(groupPids(pgid)).toEqual([]);
    expect(pids.length).toBeGreaterThanOrEqual(3);
    expect(pids.filter(alive)).toEqual([]);
  });
});

describe('exit timeout (R12)', () => {
  const cases: [string, string][] = [
    ['sh trapping TERM', `trap '' TERM; echo ready; sleep 1000`],
    ['node ignoring SIGTERM', `node -e "process.on('SIGTERM',()=>{});console.log('ready');setInterval(()=>{},1000)"`],
  ];
  it.each(cases)('%s is SIGKILLed after the grace', async (_label, command) => {
    const dyno = h.sup.start(h.spec({ command, stopTimeoutMs: 300 }));
    await h.waitLog('web.1', 'ready', 'app');
    const pgid = dyno.pid!;
    const t0 = Date.now();
    await h.sup.stop(dyno);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(groupPids(pgid)).toEqual([]);
    // sh may see its child SIGKILLed and exit 137 itself a moment before its own SIGKILL lands.
    expect(exitStatus(dyno.lastExit!)).toBe(137);
    const lines = h.messages('web.1', 'minik');
    expect(lines.slice(-5)).toEqual([
      'Stopping all processes with SIGTERM',
      'Error R12 (Exit timeout) -> At least one process failed to exit within 0.3 seconds of SIGTERM',
      'Stopping remaining processes with SIGKILL',
      'Process exited with status 137',
      'State changed from stopping to down',
    ]);
  });
});

describe('process and output', () => {
  it('splits output into lines, handles CRLF and flushes the unterminated rest on exit', async () => {
    const dyno = h.sup.start(h.spec({ command: `printf 'a\\r\\nb\\nc'; printf 'err\\n' >&2` }));
    await dyno.waitExit();
    await h.waitLog('web.1', 'Process exited with status 0');
    expect(h.messages('web.1', 'app').sort()).toEqual(['a', 'b', 'c', 'err']);
  });

  it('sources .profile.d/*.sh and .profile from the slug before the command', async () => {
    const cwd = h.spec({}).cwd;
    fs.mkdirSync(path.join(cwd, '.profile.d'));
    fs.writeFileSync(path.join(cwd, '.profile.d', 'a.sh'), 'export GREETING=hello\n');
    fs.writeFileSync(path.join(cwd, '.profile'), 'export TARGET="$GREETING world"\n');
    const dyno = h.sup.start(h.spec({ command: 'echo "$TARGET from $DYNO_NAME"', env: { ...h.spec({}).env, DYNO_NAME: 'web.1' } }));
    await dyno.waitExit();
    await h.waitLog('web.1', 'hello world', 'app');
    expect(h.messages('web.1', 'app')).toEqual(['hello world from web.1']);
  });

  it('passes env exactly and runs in cwd', async () => {
    const dyno = h.sup.start(h.spec({ command: 'echo "$ONLY|$HOME_X|$(pwd)"', env: { PATH: '/usr/bin:/bin', ONLY: 'yes' } }));
    await dyno.waitExit();
    await h.waitLog('web.1', 'yes', 'app');
    expect(h.messages('web.1', 'app')).toEqual([`yes||${fs.realpathSync(h.spec({}).cwd)}`]);
  });

  it('reports a missing cwd as a crash naming the folder', async () => {
    const dyno = h.sup.start(h.spec({ cwd: path.join(h.dir, 'nope') }));
    await expect(dyno.waitUp()).rejects.toMatchObject({ code: 'crashed' });
    expect(dyno.state).toBe('crashed');
    expect(h.messages('web.1', 'minik').join('\n')).toContain(`folder ${path.join(h.dir, 'nope')} does not exist`);
  });
});
