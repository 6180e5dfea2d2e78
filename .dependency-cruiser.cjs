// The architecture as checked rules (`npm run lint` runs them; README "Architecture" explains them).
// Data flows one way: io and numerics are independent layers, commands compose them, output renders.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import circle ties two modules into one: split out what both need (a types module, a helper).",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "numerics-is-pure",
      severity: "error",
      comment:
        "src/numerics/ is pure maths on typed arrays: it imports only src/numerics/ (no node: modules, no packages, " +
        "no io, no errors, no threads). Threads live in src/parallel/, errors with exit codes in the commands.",
      from: { path: "^src/numerics/" },
      to: { pathNot: "^src/numerics/" },
    },
    {
      name: "io-knows-no-maths",
      severity: "error",
      comment:
        "src/io/ turns bytes into Frames, events and ticks and back; it never imports numerics, commands, " +
        "renderers or the stream engine. What needs both (returns of a Frame, a model's validation) is composed in a command. " +
        "The one exception is the byte encoders of numbers and ASCII text (output/ndjsonBytes, output/shortestDecimal): " +
        "the table writers write numbers exactly as the JSON does, with the same code.",
      from: { path: "^src/io/" },
      to: {
        path: "^src/(numerics|commands|output|stream)/",
        pathNot: "^src/output/(ndjsonBytes|shortestDecimal)\\.ts$",
      },
    },
    {
      name: "output-knows-no-commands",
      severity: "error",
      comment:
        "src/output/ holds the generic writers and renderers (tables, JSON, sinks); a command's own report " +
        "lives in its folder, src/commands/<command>/report.ts, and imports the command's types, not the command.",
      from: { path: "^src/output/" },
      to: { path: "^src/commands/" },
    },
    {
      name: "only-the-cli-loads-commands",
      severity: "error",
      comment:
        "Commands sit on top: only src/cli.ts and other command modules import src/commands/. " +
        "The book, the stream engine, the worker pools, io, numerics and output never do.",
      from: { path: "^src/", pathNot: "^src/(cli\\.ts|commands/)" },
      to: { path: "^src/commands/" },
    },
    {
      name: "grpc-only-in-serve",
      severity: "error",
      comment:
        "gRPC (grpc-js, proto-loader, reflection) is loaded by `hftlab serve` alone (src/commands/serve/), so " +
        "`hftlab --version` and every other command start without it.",
      from: { path: "^src/", pathNot: "^src/commands/serve/" },
      to: { path: "node_modules/@grpc/" },
    },
    {
      name: "no-barrels",
      severity: "error",
      comment:
        "No index.ts that re-exports a domain: importing one would load the whole domain at start-up. " +
        "Import the module that defines what you need.",
      from: {},
      to: { path: "(^|/)index\\.ts$", pathNot: "node_modules" },
    },
    {
      name: "no-orphans",
      severity: "error",
      comment: "A module nothing imports and that imports nothing is dead code (worker entries import their pool).",
      from: { orphan: true, path: "^src/", pathNot: "\\.d\\.ts$" },
      to: {},
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "Every import resolves to a file or an installed package.",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "not-to-dev-dependency",
      severity: "error",
      comment: "What src/ imports must be in dependencies: devDependencies are absent from an installed hftlab.",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-dev"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // TypeScript 7 has no compiler API for dependency-cruiser to call, so swc (@swc/core) parses the sources.
    parser: "swc",
    tsPreCompilationDeps: true,
    moduleSystems: ["es6"],
    enhancedResolveOptions: {
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json"],
      conditionNames: ["import", "node", "default"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
