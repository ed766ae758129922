import { describe, expect, it } from 'vitest';
import { parseReleaseYaml } from '../../../src/buildpacks/classic/release.js';

describe('parseReleaseYaml', () => {
  it('reads default_process_types and config_vars, ignoring addons', () => {
    const yaml = '---\naddons: []\nconfig_vars:\n  PATH: "/app/bin:/usr/bin"\n  WORKERS: 4\ndefault_process_types:\n  web: bin/server -p $PORT\n  worker: bin/jobs\n';
    expect(parseReleaseYaml(yaml, 'bp')).toEqual({
      defaultProcessTypes: { web: 'bin/server -p $PORT', worker: 'bin/jobs' },
      configVars: { PATH: '/app/bin:/usr/bin', WORKERS: '4' },
    });
  });

  it('treats empty output as no defaults', () => {
    expect(parseReleaseYaml('', 'bp')).toEqual({ defaultProcessTypes: {}, configVars: {} });
    expect(parseReleaseYaml('---\n', 'bp')).toEqual({ defaultProcessTypes: {}, configVars: {} });
  });

  it('names the buildpack and the problem', () => {
    expect(() => parseReleaseYaml('default_process_types: {web: [unclosed', 'https://x/bp')).toThrow(/^buildpack https:\/\/x\/bp: bin\/release printed invalid YAML: /);
    expect(() => parseReleaseYaml('- a\n- b\n', 'bp')).toThrow('bin/release must print a YAML mapping');
    expect(() => parseReleaseYaml('default_process_types: web\n', 'bp')).toThrow('default_process_types must be a mapping');
    expect(() => parseReleaseYaml('default_process_types:\n  "we b": x\n', 'bp')).toThrow("'we b' is not a valid process type");
    expect(() => parseReleaseYaml('config_vars:\n  A: [1]\n', 'bp')).toThrow('config_vars.A must be a string');
  });
});
