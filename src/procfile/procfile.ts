// Why: a Procfile is user input; every mistake must come back as one sentence naming the file and the
// line, before anything is built or started (Heroku's format, Dokku's rules).
import { dict } from '../core/dict.js';
import { invalid, type MinikError } from '../core/errors.js';
import { isProcessType } from '../core/names.js';
import type { ProcessTypes } from '../core/types.js';

const MAX_TYPE_LENGTH = 63;
const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(\s|$)/;

/** Parses Procfile text into process type → command; throws a MinikError naming the file and line. */
export function parseProcfile(text: string, file = 'Procfile'): ProcessTypes {
  const types: ProcessTypes = dict();
  const definedOn = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fail = (why: string) => lineError(file, lineNo, why);
    if (CONFLICT_MARKER.test(trimmed)) {
      throw fail(`merge conflict marker '${trimmed.slice(0, 7)}': resolve the conflict first`);
    }
    const colon = line.indexOf(':');
    if (colon < 0) throw fail(`expected 'type: command', got '${trimmed}'`);
    const type = line.slice(0, colon).trim();
    checkType(type, fail);
    const command = stripTrailingComment(line.slice(colon + 1)).trim();
    if (command === '') throw fail(`process type '${type}' has an empty command`);
    const earlier = definedOn.get(type);
    if (earlier !== undefined) throw fail(`process type '${type}' is already defined on line ${earlier}`);
    definedOn.set(type, lineNo);
    types[type] = command;
  });
  if (definedOn.size === 0) {
    throw invalid(`${file} defines no process types`, `add a line to ${file} such as 'web: node server.js'`);
  }
  return types;
}

function checkType(type: string, fail: (why: string) => MinikError): void {
  if (type === '') throw fail('process type is empty');
  if (type.length > MAX_TYPE_LENGTH) {
    throw fail(`process type '${type}' is longer than ${MAX_TYPE_LENGTH} characters`);
  }
  if (!isProcessType(type)) {
    throw fail(`process type '${type}' may only contain letters, digits, '-' and '_'`);
  }
}

function lineError(file: string, lineNo: number, why: string): MinikError {
  return invalid(`${file} line ${lineNo}: ${why}`, `fix line ${lineNo} of ${file}: each line is 'type: command'`);
}

/**
 * Removes a trailing comment: a '#' that starts a word (after unescaped whitespace), outside single or
 * double quotes, as /bin/sh reads it. `echo "a #b"`, `a\\ #b` and `echo $#` keep their '#'.
 */
export function stripTrailingComment(command: string): string {
  let quote: "'" | '"' | null = null;
  let wordStart = true;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    const startsWord = wordStart;
    wordStart = false;
    if (quote === "'") {
      if (c === "'") quote = null;
    } else if (c === '\\') {
      i++; // the next character is escaped, in double quotes or outside them
    } else if (quote === '"') {
      if (c === '"') quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (/\s/.test(c)) {
      wordStart = true;
    } else if (c === '#' && startsWord) {
      return command.slice(0, i);
    }
  }
  return command;
}
