// Why: colour only on a TTY and never with NO_COLOR, and alignment that ignores escape codes and counts
// wide characters as two columns — without a dependency.

/** Wraps a string in one SGR style. */
export type Style = (s: string) => string;

/** The styles the CLI uses; each is the identity when colour is off. */
export interface Palette {
  enabled: boolean;
  bold: Style; dim: Style; green: Style; red: Style; yellow: Style; cyan: Style; magenta: Style; blue: Style;
}

/** True when `stream` is a terminal and NO_COLOR is unset or empty (https://no-color.org). */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

const sgr = (on: boolean, open: number, close: number): Style => (on ? (s) => `\x1b[${open}m${s}\x1b[${close}m` : (s) => s);

/** A palette that colours (or not) as told. */
export function makePalette(enabled: boolean): Palette {
  return {
    enabled,
    bold: sgr(enabled, 1, 22), dim: sgr(enabled, 2, 22), green: sgr(enabled, 32, 39), red: sgr(enabled, 31, 39),
    yellow: sgr(enabled, 33, 39), cyan: sgr(enabled, 36, 39), magenta: sgr(enabled, 35, 39), blue: sgr(enabled, 34, 39),
  };
}

/** The palette for a stream, e.g. `paletteFor(process.stderr)`. */
export function paletteFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Palette {
  return makePalette(colorEnabled(stream, env));
}

const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;

/** Removes ANSI escape sequences. */
export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
  [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x1f300, 0x1f6ff], [0x1f900, 0x1faff], [0x20000, 0x3fffd],
];
const ZERO: ReadonlyArray<readonly [number, number]> = [
  [0x0300, 0x036f], [0x200b, 0x200f], [0x20d0, 0x20ff], [0xfe00, 0xfe0f],
];
const inRanges = (cp: number, ranges: ReadonlyArray<readonly [number, number]>) => ranges.some(([a, b]) => cp >= a && cp <= b);

/** Terminal columns a string takes: escape codes count 0, CJK and emoji 2, combining marks 0. */
export function visibleWidth(s: string): number {
  let width = 0;
  for (const ch of stripAnsi(s)) {
    const cp = ch.codePointAt(0)!;
    if (inRanges(cp, ZERO)) continue;
    width += inRanges(cp, WIDE) ? 2 : 1;
  }
  return width;
}

/** Pads `s` on the right to `width` visible columns. */
export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - visibleWidth(s)));
}
