// Why: two pushes of one branch may start from the same old commit; the second waits on the app's lock,
// and if the first deployed meanwhile, git will refuse to move the ref for the second (its old oid is
// stale). Refusing that deploy before it builds keeps the live release and the branch in step.
import { conflict } from '../core/errors.js';

/** Counts finished deploys per app and ref. */
export class RefTurns {
  private readonly deployed = new Map<string, number>();

  /** Called when a deploy arrives; the returned check throws if the same ref was deployed since. */
  arrive(app: string, ref: string | undefined): () => void {
    if (!ref) return () => {};
    const key = `${app} ${ref}`;
    const seen = this.deployed.get(key) ?? 0;
    return () => {
      if ((this.deployed.get(key) ?? 0) !== seen) {
        const branch = ref.replace(/^refs\/heads\//, '');
        throw conflict(`${branch} of ${app} was deployed by another push while this one waited, so this push is out of date`,
          `fetch and merge (git pull minik ${branch}), then git push minik ${branch} again`);
      }
    };
  }

  /** Records that a deploy of this ref finished. */
  done(app: string, ref: string | undefined): void {
    if (!ref) return;
    const key = `${app} ${ref}`;
    this.deployed.set(key, (this.deployed.get(key) ?? 0) + 1);
  }
}
