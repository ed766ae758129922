// Why: the field-level rules of the response parser (response-parser.ts), as pure functions and patterns: which
// characters a header line may hold, chunk sizes and extensions, transfer codings, Connection-named headers.

/** A header or trailer name (RFC 9110 §5.1). */
export const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** chunk-ext (RFC 9112 §7.1.1), as llhttp takes it: no whitespace, a token name, an optional token or quoted value (`;;` too). */
const CHUNK_EXT = /^(?:;+[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:=(?:[!#$%&'*+.^_`|~0-9A-Za-z-]*|"(?:[\t\x20\x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t\x20-\x7e\x80-\xff])*"))?)*$/;
/** 12 hex digits (256 TiB) stay exact in a double; llhttp allows 16, which no dyno sends. */
const MAX_CHUNK_HEX = 12;

/** True if `s` holds a control character other than HTAB (not allowed in a field value, RFC 9110 §5.5). */
export function hasCtl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 ? c !== 9 : c === 127) return true;
  }
  return false;
}

/** The size a chunk-size line (without its CRLF) announces, or -1 when the line is invalid. */
export function parseChunkSize(line: string): number {
  let i = 0, size = 0;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d === -1) break;
    size = size * 16 + d;
  }
  if (i === 0 || i > MAX_CHUNK_HEX || (i < line.length && !CHUNK_EXT.test(line.slice(i)))) return -1;
  return size;
}

/** The transfer codings of a lower-case Transfer-Encoding list, in order, empty elements left out. */
function codings(te: string): string[] {
  return te.split(',').map((c) => c.trim()).filter((c) => c !== '');
}

/** The last transfer coding (the one that frames the body: chunked, or read until close). */
export function lastCoding(te: string): string | undefined {
  return codings(te).at(-1);
}

/**
 * Why: the Transfer-Encoding the router relays: the dyno's codings minus the final chunked it decoded, plus the
 * chunked node applies toward the client (`gzip, chunked` stays `gzip, chunked`; `gzip` becomes `gzip, chunked`);
 * null when only chunked was applied.
 */
export function relayedCodings(te: string): string | null {
  const list = codings(te);
  if (list.at(-1) === 'chunked') list.pop();
  return list.length === 0 ? null : `${list.join(', ')}, chunked`;
}

/** `headers` (a flat name/value list) without those whose lower-case name is in `named`. */
export function withoutNamed(headers: string[], named: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < headers.length; i += 2) if (!named.includes(headers[i]!.toLowerCase())) kept.push(headers[i]!, headers[i + 1]!);
  return kept;
}
