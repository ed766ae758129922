// Why: `minik certs` says where minik's local CA is and how to trust it, so https://APP.localhost opens without
// warnings. It only prints: installing a root certificate needs root and is the user's decision.
import type { HttpsStatus } from '../../certs/trust.js';
import { trustSteps } from '../../certs/trust.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { keyValues, print, printJson, section } from '../format.js';

/** `minik certs [--json]`. */
export default defineCommand<{ json?: boolean }>({
  command: 'certs',
  describe: "show the local CA behind https://APP.localhost and how to trust it",
  group: 'Routing',
  builder: (y) => withJson(y),
  handler: async (argv) => {
    const s = await request<HttpsStatus>('GET', '/certs');
    const steps = trustSteps(s.ca, s.port);
    if (argv.json) return printJson({ ...s, trust: steps });
    const p = paletteFor(process.stdout);
    const https = s.on ? p.green(`on, https://*.localhost:${s.port}`) : p.yellow(`off: ${s.reason ?? 'not started'}`);
    print(section('minik local certificate authority', p));
    print(keyValues([['HTTPS', https], ['CA certificate', s.ca], ['SHA-256', s.fingerprint]], p));
    print();
    print('Trust it once, and https://APP.localhost opens without a warning:');
    for (const step of steps) {
      print();
      print(`  ${p.bold(step.where)}`);
      for (const c of step.commands) print(`    ${c}`);
      if (step.note) print(`    ${p.dim(step.note)}`);
    }
  },
});
