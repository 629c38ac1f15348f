// The layer table of docs/ARCHITECTURE.md, checked by `npm run lint`: a module imports only from
// the layers below its own, never from a sibling of its layer, and built-in plugins use only the
// public plugin API. Bottom first; each entry is a list of siblings.
const LAYERS = [
  ['src/config/', 'src/lib/', 'src/errors\\.ts', 'src/version\\.ts'],
  ['src/db/'],
  ['src/core/'],
  ['src/analytics/', 'src/admin/', 'src/payments/'],
  ['src/bot/', 'src/ai/', 'src/ops/', 'src/plugins/'],
  ['src/web/'],
  ['src/main\\.ts'],
  ['src/testing/', 'src/cli/'],
];

const rules = LAYERS.flatMap((layer, index) => {
  const above = LAYERS.slice(index + 1).flat();
  return layer.flatMap((folder) => {
    const siblings = layer.filter((other) => other !== folder && index > 0);
    return [
      {
        name: `layer-${folder}-upward`,
        comment: `${folder} may import only from layers below it (docs/ARCHITECTURE.md, Layers)`,
        severity: 'error',
        from: { path: `^${folder}` },
        to: { path: [...above, 'src/builtin-plugins/'].map((path) => `^${path}`) },
      },
      ...(siblings.length > 0
        ? [
            {
              name: `layer-${folder}-sideways`,
              comment: `${folder} and its siblings (${siblings.join(', ')}) do not import each other`,
              severity: 'error',
              from: { path: `^${folder}` },
              to: { path: siblings.map((path) => `^${path}`) },
            },
          ]
        : []),
    ];
  });
});

module.exports = {
  forbidden: [
    ...rules,
    {
      name: 'builtin-plugins-public-api-only',
      comment: 'built-in plugins are written against omnicore/plugin only, like anyone else’s',
      severity: 'error',
      from: { path: '^src/builtin-plugins/([^/]+)/' },
      // A plugin's service.ts is its services' types, what the plugins depending on it import.
      to: {
        path: '^src/',
        pathNot: ['^src/plugins/api\\.ts$', '^src/builtin-plugins/$1/', '^src/builtin-plugins/[^/]+/service\\.ts$'],
      },
    },
    {
      name: 'no-circular',
      comment: 'a cycle makes both ends change together; break it by moving the shared part down',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
