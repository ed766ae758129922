// Why: project.clj and deps.edn are Clojure data; the build needs a few of their values (:main, :uberjar-name,
// :aliases), and a grep is fooled by comments, strings and multi-line forms. This is a small reader for that
// data, with no evaluation: it knows Clojure's delimiters, strings, comments, characters and reader macros
// well enough to find a key's value, and names the line of an unbalanced bracket or an unclosed string.
import { invalid, type MinikError } from '../core/errors.js';

/** One form read: a symbol, keyword, string, other atom (number, character…), or a collection of forms. */
export type Form =
  | { kind: 'symbol' | 'keyword' | 'string' | 'atom'; text: string; line: number }
  | { kind: 'list' | 'vector' | 'map' | 'set'; items: Form[]; line: number };

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const KIND: Record<string, 'list' | 'vector' | 'map'> = { '(': 'list', '[': 'vector', '{': 'map' };
const DELIMITER = /[\s,;()[\]{}"]/;

/** Reads every top-level form of `text`; a MinikError naming `file` and the line of a syntax error. */
export function readForms(text: string, file: string): Form[] {
  let i = 0;
  let line = 1;
  const fail = (at: number, why: string): MinikError =>
    invalid(`${file} line ${at}: ${why}`, `fix ${file} (its brackets must balance, as Clojure reads it), then run minik up again`);

  const skipSpace = () => {
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\n') line++;
      if (c === ';') while (i < text.length && text[i] !== '\n') i++;
      else if (/[\s,]/.test(c)) i++;
      else return;
    }
  };
  const token = (): string => {
    const start = i;
    while (i < text.length && !DELIMITER.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  const readString = (): string => {
    const startLine = line;
    let out = '';
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') line++;
      if (text[i] === '\\') i++;
      out += text[i] ?? '';
      i++;
    }
    if (i >= text.length) throw fail(startLine, 'a string opened here is never closed');
    i++;
    return out;
  };
  const readCollection = (open: string, kind: 'list' | 'vector' | 'map' | 'set'): Form => {
    const startLine = line;
    const items: Form[] = [];
    i++; // the opening bracket
    for (;;) {
      skipSpace();
      if (i >= text.length) throw fail(startLine, `'${open}' opened here is never closed`);
      const c = text[i]!;
      if (c === CLOSER[open]) {
        i++;
        return { kind, items, line: startLine };
      }
      if (c === ')' || c === ']' || c === '}') throw fail(line, `'${c}' closes the '${open}' opened on line ${startLine}`);
      const form = readForm();
      if (form) items.push(form);
    }
  };
  /** One form, or null for one that reads as nothing (#_ discards). */
  const readForm = (): Form | null => {
    skipSpace();
    if (i >= text.length) throw fail(line, 'the file ends inside a form');
    const c = text[i]!;
    const at = line;
    if (Object.hasOwn(CLOSER, c)) return readCollection(c, KIND[c]!);
    if (c === ')' || c === ']' || c === '}') throw fail(line, `unexpected '${c}'`);
    if (c === '"') return { kind: 'string', text: readString(), line: at };
    if (c === '\\') {
      i += 2; // a character: \a, \( or \newline
      return { kind: 'atom', text: `\\${text[i - 1] ?? ''}${token()}`, line: at };
    }
    if (c === "'" || c === '`' || c === '@') {
      i++;
      return readPresent();
    }
    if (c === '~') {
      i += text[i + 1] === '@' ? 2 : 1;
      return readPresent();
    }
    if (c === '^') {
      i++;
      readPresent(); // metadata (^:skip-aot, ^{…}) belongs to the form after it
      return readPresent();
    }
    if (c === '#') return readDispatch();
    const word = token();
    return { kind: word.startsWith(':') ? 'keyword' : /^[+-]?\d/.test(word) ? 'atom' : 'symbol', text: word, line: at };
  };
  const readDispatch = (): Form | null => {
    const at = line;
    const next = text[i + 1];
    if (next === '{') {
      i++;
      return readCollection('{', 'set');
    }
    if (next === '"') {
      i++;
      return { kind: 'string', text: readString(), line: at }; // a regex
    }
    if (next === '_') {
      i += 2;
      readPresent();
      return null;
    }
    if (next === '(') {
      i++;
      return readCollection('(', 'list');
    }
    i++;
    if (next === "'" || next === '=' || next === '#') i++; // #'var, #=(eval), ##Inf
    else if (next === '?') i += text[i + 1] === '@' ? 2 : 1; // #?(…) and #?@(…)
    else if (next !== undefined && !DELIMITER.test(next)) token(); // a tagged literal: #inst "…"
    return readPresent();
  };
  const readPresent = (): Form => {
    for (;;) {
      const form = readForm();
      if (form) return form;
    }
  };

  const forms: Form[] = [];
  for (;;) {
    skipSpace();
    if (i >= text.length) return forms;
    const form = readForm();
    if (form) forms.push(form);
  }
}

/** The value of `key` (":main") in a map's items, or in a flat key/value sequence; undefined when absent. */
export function valueOf(items: readonly Form[], key: string): Form | undefined {
  for (let k = 0; k + 1 < items.length; k += 2) {
    const item = items[k]!;
    if (item.kind === 'keyword' && item.text === key) return items[k + 1];
  }
  return undefined;
}

/** The value at a path of keys through nested maps, or undefined. */
export function valueIn(form: Form | undefined, keys: readonly string[]): Form | undefined {
  let at = form;
  for (const key of keys) at = at?.kind === 'map' ? valueOf(at.items, key) : undefined;
  return at;
}
