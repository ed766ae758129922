// Why: what the add-on e2e tests share: a port range of their own, finding add-on servers by their marker, CPU load.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A MINIK_ADDON_PORTS range of 20 ports no other test file is likely to pick. */
export function addonPorts(): string {
  const from = 30000 + Math.floor(Math.random() * 1500) * 20;
  return `${from}-${from + 19}`;
}

/** Live processes carrying MINIK_ADDON=<home>/addons/… or running there (zombies excluded): one MINIK_HOME's add-on servers. */
export function addonProcesses(home: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      // redis-server rewrites its title over its environment, so its working folder is the other proof.
      if (env.some((e) => e.startsWith(`MINIK_ADDON=${home}/addons/`)) || readlinkSync(`/proc/${entry}/cwd`).startsWith(`${home}/addons/`)) {
        found.push({ pid: Number(entry), cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
      }
    } catch { /* gone or unreadable */ }
  }
  return found;
}

/** The postmasters among them (backends and helpers rename themselves "postgres: …"). */
export function postmasters(home: string): number[] {
  return addonProcesses(home).filter((p) => / -D /.test(p.cmdline)).map((p) => p.pid);
}

/** `n` busy-loop processes (a loaded 2-core machine) until the returned stop() ends them. */
export function busyLoops(n: number): () => void {
  const loops = Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return () => { for (const l of loops) l.kill('SIGKILL'); };
}
