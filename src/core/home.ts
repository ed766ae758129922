// Why: MINIK_HOME holds the control socket, the database (config vars) and every slug. A home that another
// user owns or may write to lets that user put a fake daemon on the socket, or read and change apps, so
// the CLI and the daemon both refuse it before they trust anything in it.
import { statSync } from 'node:fs';
import { MinikError } from './errors.js';

/** The owner and mode bits of a folder, as fs.Stats gives them. */
export interface HomeStat { uid: number; mode: number }

/** Why a home is unsafe for user `uid`, as one sentence, or null when it is the user's own and closed to others. */
export function homeProblem(home: string, st: HomeStat, uid: number): MinikError | null {
  if (st.uid !== uid) {
    return new MinikError(`MINIK_HOME ${home} belongs to another user (uid ${st.uid}, you are uid ${uid}), so minik will not trust the daemon socket or the data in it`, {
      hint: `use a folder of your own (e.g. unset MINIK_HOME to use ~/.minik), or take it over: chown ${uid} ${home} && chmod 700 ${home}`,
      code: 'unsafe_home',
    });
  }
  if ((st.mode & 0o022) !== 0) {
    const who = (st.mode & 0o002) !== 0 ? 'any user' : 'its group';
    return new MinikError(`MINIK_HOME ${home} can be written by ${who} (mode ${(st.mode & 0o777).toString(8).padStart(3, '0')}), so another user could replace the daemon socket or the data in it`, {
      hint: `chmod 700 ${home}`,
      code: 'unsafe_home',
    });
  }
  return null;
}

/** Throws when `home` exists and is not the current user's own, closed to others; a missing home passes. */
export function checkHome(home: string): void {
  if (typeof process.getuid !== 'function') return; // not POSIX: no owner and mode to check
  let st: HomeStat;
  try {
    st = statSync(home);
  } catch {
    return; // created later, 0700, by whoever needs it
  }
  const problem = homeProblem(home, st, process.getuid());
  if (problem) throw problem;
}
