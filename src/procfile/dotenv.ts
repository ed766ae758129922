// Why: `.env` files carry quoted and multi-line values that hand-rolled parsers mangle (node-foreman
// #163, piku #297); the dotenv package's parser is the reference most apps are written against.
import { dict } from '../core/dict.js';
import { parse } from 'dotenv';
import type { ConfigVars } from '../core/types.js';

/**
 * Parses `.env` text (quotes, `\n` escapes in double quotes, multi-line quoted values, `export`
 * prefixes, comments) into variables. Prints nothing. `file` names the source for future messages:
 * dotenv's parser skips lines it cannot read rather than failing.
 */
export function parseDotenv(text: string, file = '.env'): ConfigVars {
  const parsed = parse(text.replace(/^\uFEFF/, ''));
  const vars: ConfigVars = dict();
  for (const [key, value] of Object.entries(parsed)) vars[key] = value;
  return vars;
}
