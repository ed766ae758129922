import { describe, expect, it } from 'vitest';
import { MinikError } from '../../../src/core/errors.js';
import { parseProcfile, stripTrailingComment } from '../../../src/procfile/index.js';

function errorOf(text: string, file?: string): MinikError {
  try {
    parseProcfile(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(MinikError);
    return err as MinikError;
  }
  throw new Error('expected parseProcfile to throw');
}

describe('parseProcfile', () => {
  it('reads one type per line, skipping blank lines and comments', () => {
    const text = '# processes\n\nweb: node server.js\n   # indented comment\nworker:  node worker.js --queue=default  \n';
    expect(parseProcfile(text)).toEqual({ web: 'node server.js', worker: 'node worker.js --queue=default' });
  });

  it('tolerates CRLF, a BOM and whitespace around the type', () => {
    expect(parseProcfile('\uFEFFweb: a\r\n  release : b\r\n')).toEqual({ web: 'a', release: 'b' });
  });

  it('keeps colons in the command and allows - and _ in types', () => {
    expect(parseProcfile('web-2_x: echo a:b http://x\n')).toEqual({ 'web-2_x': 'echo a:b http://x' });
  });

  it('strips a trailing comment that follows whitespace', () => {
    expect(parseProcfile('web: node server.js # the web\nworker: run\t#tab')).toEqual({ web: 'node server.js', worker: 'run' });
  });

  it('keeps # inside quotes, after a backslash or without whitespace before it', () => {
    expect(parseProcfile(`web: echo "a #b" 'c #d' e\\ #f g#h $# # gone`)).toEqual({
      web: `echo "a #b" 'c #d' e\\ #f g#h $#`,
    });
    expect(stripTrailingComment(` echo "say \\"hi #1\\"" # c`)).toBe(` echo "say \\"hi #1\\"" `);
    expect(stripTrailingComment(` echo 'it''s #x' #y`)).toBe(` echo 'it''s #x' `);
    expect(stripTrailingComment(`#all`)).toBe('');
  });

  it('rejects a type with other characters, naming the line', () => {
    const err = errorOf('web: a\n# c\nwe b: b\n');
    expect(err.code).toBe('invalid');
    expect(err.message).toBe("Procfile line 3: process type 'we b' may only contain letters, digits, '-' and '_'");
    expect(err.hint).toBe("fix line 3 of Procfile: each line is 'type: command'");
  });

  it('rejects a type longer than 63 characters', () => {
    expect(parseProcfile(`${'a'.repeat(63)}: x`)).toEqual({ ['a'.repeat(63)]: 'x' });
    expect(errorOf(`web: x\n${'a'.repeat(64)}: x`).message).toMatch(/^Procfile line 2: process type 'a{64}' is longer than 63 characters$/);
  });

  it('rejects an empty type and an empty command', () => {
    expect(errorOf(': node x').message).toBe('Procfile line 1: process type is empty');
    expect(errorOf('web: a\nworker:   \n').message).toBe("Procfile line 2: process type 'worker' has an empty command");
    expect(errorOf('web: # only a comment').message).toBe("Procfile line 1: process type 'web' has an empty command");
  });

  it('rejects a line without a colon', () => {
    expect(errorOf('web: a\n\nnode server.js').message).toBe("Procfile line 3: expected 'type: command', got 'node server.js'");
  });

  it('rejects duplicate types, naming both lines', () => {
    expect(errorOf('web: a\nworker: b\nweb: c').message).toBe("Procfile line 3: process type 'web' is already defined on line 1");
  });

  it.each(['<<<<<<< HEAD', '=======', '>>>>>>> feature'])('rejects the merge conflict marker %s', (marker) => {
    const err = errorOf(`web: a\n${marker}\nweb: b`);
    expect(err.message).toMatch(/^Procfile line 2: merge conflict marker '(<{7}|={7}|>{7})'/);
    expect(err.hint).toContain('line 2 of Procfile');
  });

  it('rejects a file with no process types', () => {
    for (const text of ['', '\n\n', '# nothing here\n']) {
      const err = errorOf(text);
      expect(err.message).toBe('Procfile defines no process types');
      expect(err.code).toBe('invalid');
    }
  });

  it('names the file it was given', () => {
    expect(errorOf('oops', 'apps/api/Procfile').message).toMatch(/^apps\/api\/Procfile line 1: /);
  });
});
