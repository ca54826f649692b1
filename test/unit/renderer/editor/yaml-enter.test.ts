import { describe, expect, it } from 'vitest';
import { yamlEnterIndent } from '../../../../renderer/editor/yaml-enter';

describe('yamlEnterIndent', () => {
  it('goes one step deeper after a key that opens a block', () => {
    expect(yamlEnterIndent('packages:')).toBe('  ');
    expect(yamlEnterIndent('    metadata:')).toBe('      ');
    expect(yamlEnterIndent('    metadata:  # why')).toBe('      ');
  });

  it('keeps the indentation after a key with a value, or a comment', () => {
    expect(yamlEnterIndent('    evr: 0.0.28-1.fc40')).toBe('    ');
    expect(yamlEnterIndent('      reason: https://github.com/coreos/fedora-coreos-tracker/issues/1830#issuecomment-1')).toBe('      ');
    expect(yamlEnterIndent('  # a comment:')).toBe('  ');
  });

  it('lines up under a list item\'s first key, and indents after a bare dash', () => {
    expect(yamlEnterIndent('  - name: kernel')).toBe('    ');
    expect(yamlEnterIndent('  -')).toBe('    ');
  });
});
