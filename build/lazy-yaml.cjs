// The `yaml` package as the Node bundles see it: loaded at the first use of any of its exports,
// not when the CLI starts (a warm `lockstep history` never parses YAML; loading it took a
// fifth of the command's time). The renderer bundle uses the package itself.
'use strict';
let yaml;
const load = () => (yaml ??= require('yaml'));
for (const name of ['parse', 'parseDocument', 'isMap', 'isScalar', 'isSeq', 'isPair', 'isDocument', 'isNode', 'LineCounter', 'YAMLParseError', 'Document', 'stringify', 'Parser', 'Lexer', 'Composer', 'visit']) {
  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
}
