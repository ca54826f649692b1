/**
 * The layer rules of Lockstep (SPEC §3), checked by `npm test` (`npm run layers`): a folder
 * says which runtime a file needs and so what it may import. A violation fails the build; it is
 * never waived in review.
 */
const NODE_BUILTINS = ['core'];

module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      comment: 'shared/ runs anywhere (renderer, worker, Node): it imports only shared/, the yaml parser and jsdiff (both pure JavaScript).',
      severity: 'error',
      from: { path: '^shared/' },
      to: {
        pathNot: ['^shared/', '^node_modules/yaml/', '^node_modules/diff/'],
      },
    },
    {
      name: 'shared-no-node-builtins',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: NODE_BUILTINS },
    },
    {
      name: 'renderer-only-renderer-and-shared',
      comment: 'The UI reaches the back end only through the typed API contract: no main/, no Node.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(main|test|bench|build)/' },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: NODE_BUILTINS },
    },
    {
      name: 'only-git-layer-touches-isomorphic-git',
      comment: 'isomorphic-git and the git CLI live behind main/git/, which maps their errors to AppErrors.',
      severity: 'error',
      from: { path: '^(main|shared|renderer)/', pathNot: '^main/git/' },
      to: { path: '^node_modules/isomorphic-git/' },
    },
    {
      name: 'only-git-layer-runs-git',
      comment: 'Running the git CLI (child_process) is the git layer\'s job; hosts start their own processes only in main/cli/serve, main/electron and main/host.',
      severity: 'error',
      from: { path: '^main/services/' },
      to: { dependencyTypes: NODE_BUILTINS, path: '^child_process$' },
    },
    {
      name: 'git-layer-below-services',
      severity: 'error',
      from: { path: '^main/git/' },
      to: { path: '^main/(app|services|cli|host|electron)/' },
    },
    {
      name: 'git-objects-below-transport',
      comment: 'Reading and writing objects needs no network: main/git/objects/ never imports main/git/transport/.',
      severity: 'error',
      from: { path: '^main/git/objects/' },
      to: { path: '^main/git/transport/' },
    },
    {
      name: 'no-circular',
      comment: 'No module circle anywhere but the zustand store, whose slices name each other\'s types.',
      severity: 'error',
      from: { pathNot: '^renderer/store/' },
      to: { circular: true },
    },
    {
      name: 'services-not-app',
      comment: 'The app layer (main/app/) sits above the services: the hosts face it, services never import it.',
      severity: 'error',
      from: { path: '^main/services/' },
      to: { path: '^main/app/' },
    },
    {
      name: 'app-not-hosts',
      comment: 'The app layer is what both hosts and nothing else carry: it knows none of them.',
      severity: 'error',
      from: { path: '^main/app/' },
      to: { path: '^main/(cli|host|electron)/' },
    },
    {
      name: 'only-electron-host-imports-electron',
      severity: 'error',
      from: { pathNot: '^main/electron/' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'services-not-hosts',
      comment: 'Services know nothing of the hosts that carry them.',
      severity: 'error',
      from: { path: '^main/services/' },
      to: { path: '^main/(cli|host|electron)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    exclude: { path: '^dist/' },
  },
};
