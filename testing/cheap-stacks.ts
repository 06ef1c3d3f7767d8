// A vitest setup file. Pulumi captures a stack trace for every resource it registers and every
// promise it tracks (Resource.callsites, debuggablePromise), to tell the engine where a resource
// was declared; under the tests' source maps each such trace is mapped frame by frame, which made
// up about half the CPU of a mocked program run. Traces taken inside @pulumi/pulumi are formatted
// plainly here (the mocks never read them); every other trace, a failing test's included, keeps
// its source-mapped form. Installed once per worker (setup files run for every file; the workers
// keep their state between files).
type Prepare = (error: Error, stack: NodeJS.CallSite[]) => unknown;

const INSTALLED = Symbol.for("aligo-sms.cheap-stacks");
const current = Error.prepareStackTrace?.bind(Error) as Prepare | undefined;
const installed = (Error.prepareStackTrace as { [INSTALLED]?: true } | undefined)?.[INSTALLED];
if (current && !installed) {
    const mapped: Prepare = current;
    const fromPulumi = (stack: NodeJS.CallSite[]) =>
        stack.some((site, i) => i < 3 && (site.getFileName() ?? "").includes("/@pulumi/pulumi/"));
    const plain = (site: NodeJS.CallSite) =>
        `    at ${site.getFunctionName() ?? "<anonymous>"} (${site.getFileName() ?? "?"}:${site.getLineNumber() ?? 0}:${site.getColumnNumber() ?? 0})`;
    const prepare = (error: Error, stack: NodeJS.CallSite[]) =>
        fromPulumi(stack) ? [String(error), ...stack.map(plain)].join("\n") : mapped(error, stack);
    Error.prepareStackTrace = Object.assign(prepare, { [INSTALLED]: true as const });
}
