// `npm test`: the static checks (testing/check.mjs: typecheck, typed lint, prettier) and the vitest
// suite side by side, not one after the other. The suite spends much of its time waiting on sockets
// and timers; the checks fill that time. The checks keep their normal priority: their typecheck is
// one long single-threaded pass, and at nice 10 it was starved while the suite ran and finished
// alone 25 s after it (a clean clone, 2026-12-07: 90 s wall at nice 10, 75 s at nice 0; the suite's
// deadline tests hold under that load, as they must on any busy machine). Arguments go to
// `vitest run` (CI adds its reporters). The suite's output streams as it runs; the checks' output
// is held and printed once the suite is done, then one line says how the checks went, both on
// stderr (stdout stays the suite's alone: `npm test -s -- --reporter=json > out.json` is JSON).
// Exits 1 when either failed. SIGINT, SIGTERM and SIGHUP are passed on to both, so stopping this
// process stops them too.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";

const ROOT = join(import.meta.dirname, "..");
const VITEST = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");

/** Runs a Node script; resolves its exit code (1 when killed by a signal, which is named) and, when captured, its output. */
function run(script, args, capture) {
    const child = spawn(process.execPath, [script, ...args], {
        cwd: ROOT,
        stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    const output = [];
    if (capture) {
        child.stdout.on("data", (chunk) => output.push(chunk));
        child.stderr.on("data", (chunk) => output.push(chunk));
    }
    const done = new Promise((resolve) =>
        child.on("close", (code, signal) =>
            resolve({ code: code ?? 1, signal, output: Buffer.concat(output).toString("utf8") }),
        ),
    );
    return { child, done };
}

const started = performance.now();
const check = run(join(ROOT, "testing", "check.mjs"), [], true);
const suite = run(VITEST, ["run", ...process.argv.slice(2)], false);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
        for (const { child } of [check, suite]) if (child.exitCode === null) child.kill(signal);
    });
}

const tests = await suite.done;
const checked = await check.done;
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (checked.output) process.stderr.write(checked.output.endsWith("\n") ? checked.output : `${checked.output}\n`);
process.stderr.write(
    checked.signal
        ? `Static checks (typecheck, lint, format): stopped by ${checked.signal}\n`
        : checked.code === 0
          ? `Static checks (typecheck, lint, format): clean, ${seconds} s in all\n`
          : `Static checks (typecheck, lint, format): FAILED (above); \`npm run typecheck\` and \`npm run lint\` run them one by one\n`,
);
process.exit(tests.code !== 0 || checked.code !== 0 ? 1 : 0);
