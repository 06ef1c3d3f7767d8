// npm run -s bench -- [--runs N] [--calls N] [--json]
// Prints the SMS function's size and speed figures against goals, each a median over repeated
// runs, next to a handler built on aligoapi (Aligo's own npm module) as the baseline:
//   - bundle size of the SMS function (goal ≤ 350 KB)
//   - cold init: a fresh Node process imports the bundle and makes its first call to a loopback
//     fake Aligo (goal ≤ 0.8 × the aligoapi handler)
//   - warm per-call time as a ratio to a bare undici request to the same fake (goal ≤ 1.1)
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleEntry, bundleFunction, REPO_ROOT } from "../program/functions/bundle";
import { FAKE_KEY, FAKE_USER, FakeAligo } from "../fakes/aligo";
import { FakeSsm, TEST_CREDENTIALS, TEST_REGION, TEST_SESSION_TOKEN } from "../fakes/ssm";
import { runCli, type CommandSpec } from "./lib/args";

const spec: CommandSpec = {
    name: "bench",
    summary:
        "Measures the SMS function against its goals, next to a handler on aligoapi (Aligo's own module): bundle size, cold init + first call, " +
        "warm call time as a ratio to a bare undici request; medians, each measurement in a fresh Node process against a fake Aligo on 127.0.0.1. " +
        "Progress goes to stderr, figures to stdout.",
    stack: false,
    options: {
        runs: {
            type: "string",
            value: "N",
            number: { min: 1, integer: true },
            default: "9",
            help: "cold starts of each handler (warm runs: a third of it, at least 3)",
        },
        calls: {
            type: "string",
            value: "N",
            number: { min: 1, integer: true },
            default: "1000",
            help: "calls per warm run",
        },
        json: { type: "boolean", help: "print the figures as JSON (use `npm run -s` so npm prints no banner)" },
    },
    examples: [
        "npm run -s bench",
        "npm run -s bench -- --runs 3 --calls 200",
        "npm run -s bench -- --json > bench.json",
    ],
};

const BENCH_PARAMETER = "/aligo-sms/bench/aligo-api-key";
let RUNS = 9;
let CALLS = 1000;
let JSON_OUT = false;
/** One line per measurement on stderr, so a long run shows it is moving. */
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const CHILD = join(REPO_ROOT, "scripts", "bench", "child.mjs");

/** Runs child.mjs in a fresh process: its stdout (the handler's logs) to /dev/null, figures on stderr. */
function child(args: string[], env: Record<string, string>): Promise<Record<string, number>> {
    return new Promise((resolve, reject) => {
        const p = spawn(process.execPath, [CHILD, ...args], {
            env: { PATH: process.env.PATH ?? "", ...env },
            stdio: ["ignore", "ignore", "pipe"],
        });
        let err = "";
        p.stderr.on("data", (d) => (err += d));
        p.on("exit", (code) => {
            const last = err
                .trim()
                .split("\n")
                .reverse()
                .find((l) => l.includes('Ms"'));
            if (code !== 0 || !last)
                reject(new Error(`child ${args.join(" ")} failed (${code}):\n${err.slice(-2000)}`));
            else resolve(JSON.parse(last));
        });
    });
}

async function main() {
    const aligo = new FakeAligo();
    await aligo.start();
    const dir = mkdtempSync(join(tmpdir(), "aligo-bench-"));
    const ours = bundleFunction("sms");
    // The baseline is bundled exactly as our functions are.
    const base = bundleEntry("scripts/bench/aligoapi-handler.mjs").code;
    const oursFile = join(dir, "sms.mjs");
    const baseFile = join(dir, "aligoapi.mjs");
    writeFileSync(oursFile, ours.code);
    writeFileSync(baseFile, base);

    // Ours reads its key as it does on Lambda: from SSM Parameter Store (a fake on 127.0.0.1, signed
    // requests checked) at the first call, so its cold figure includes that read. The baseline keeps
    // its key in the environment, as aligoapi handlers do.
    const ssm = new FakeSsm();
    await ssm.start();
    ssm.parameters.set(BENCH_PARAMETER, FAKE_KEY);
    const common = { ALIGO_USER_ID: FAKE_USER, ALIGO_SENDER: "0212345678", BENCH_BARE_KEY: FAKE_KEY };
    const oursEnv = {
        ...common,
        ALIGO_BASE_URL: aligo.baseUrl,
        ALIGO_API_KEY_PARAMETER: BENCH_PARAMETER,
        AWS_ENDPOINT_URL_SSM: ssm.endpoint,
        AWS_REGION: TEST_REGION,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: TEST_SESSION_TOKEN,
    };
    // aligoapi goes to https://apis.aligo.in; through this "proxy" it reaches the fake instead.
    const baseEnv = {
        ...common,
        ALIGO_API_KEY: FAKE_KEY,
        ALIGO_BASE_URL: aligo.baseUrl,
        HTTPS_PROXY: aligo.baseUrl,
        https_proxy: aligo.baseUrl,
    };

    const coldOurs: number[] = [];
    const coldBase: number[] = [];
    progress(
        `bundles ready (ours ${ours.bytes} bytes, aligoapi ${Buffer.byteLength(base)} bytes); ${RUNS} cold runs each`,
    );
    for (let i = 0; i < RUNS; i++) {
        // Alternate, so machine drift hits both alike.
        coldOurs.push((await child(["cold", oursFile], oursEnv)).coldMs);
        coldBase.push((await child(["cold", baseFile], baseEnv)).coldMs);
        progress(`cold run ${i + 1}/${RUNS}: ours ${coldOurs[i].toFixed(1)} ms, aligoapi ${coldBase[i].toFixed(1)} ms`);
    }
    const warmRatios: number[] = [];
    const warmOurs: number[] = [];
    const warmBare: number[] = [];
    const warmBase: number[] = [];
    const warmRuns = Math.max(3, Math.round(RUNS / 3));
    for (let i = 0; i < warmRuns; i++) {
        const w = await child(["warm", oursFile, String(CALLS)], oursEnv);
        warmOurs.push(w.handlerMs);
        warmBare.push(w.bareMs);
        warmRatios.push(w.handlerMs / w.bareMs);
        warmBase.push((await child(["warm", baseFile, String(CALLS)], baseEnv)).handlerMs);
        progress(`warm run ${i + 1}/${warmRuns}: ${CALLS} calls, ratio to bare undici ${warmRatios[i].toFixed(3)}`);
    }
    await aligo.stop();
    const ssmReads = ssm.reads;
    const ssmSigned = ssm.requests.every((r) => r.signatureValid);
    await ssm.stop();
    // One read per cold start and one per warm run, every one signed right: else the figures are not ours.
    if (ssmReads !== RUNS + warmRuns || !ssmSigned)
        throw new Error(
            `the SMS function read its key ${ssmReads} times (expected ${RUNS + warmRuns}), signatures ${ssmSigned ? "valid" : "INVALID"}`,
        );

    const figures = {
        node: process.version,
        runs: RUNS,
        callsPerWarmRun: CALLS,
        smsBundleBytes: ours.bytes,
        keyFrom: "SSM parameter (read at the first call, included in cold init)",
        aligoapiBundleBytes: Buffer.byteLength(base),
        coldInitMs: median(coldOurs),
        aligoapiColdInitMs: median(coldBase),
        coldRatio: median(coldOurs) / median(coldBase),
        warmCallMs: median(warmOurs),
        bareUndiciCallMs: median(warmBare),
        warmRatioToBareUndici: median(warmRatios),
        aligoapiWarmCallMs: median(warmBase),
    };
    if (JSON_OUT) {
        console.log(JSON.stringify(figures, null, 2));
        return;
    }
    const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
    const ms = (x: number) => `${x.toFixed(2)} ms`;
    const verdict = (ok: boolean) => (ok ? "meets goal" : "MISSES goal");
    console.log(
        `aligo-sms benchmark (${process.version}, ${RUNS} cold runs each, warm: ${CALLS} calls × ${warmRatios.length} runs; medians)\n`,
    );
    console.log(
        `SMS bundle size          ${kb(ours.bytes).padStart(10)}   goal ≤ 350 KB            ${verdict(ours.bytes <= 350 * 1024)}   (aligoapi bundle ${kb(figures.aligoapiBundleBytes)})`,
    );
    console.log(
        `cold init + first call   ${ms(figures.coldInitMs).padStart(10)}   aligoapi ${ms(figures.aligoapiColdInitMs)}  ratio ${figures.coldRatio.toFixed(2)}  goal ≤ 0.80  ${verdict(figures.coldRatio <= 0.8)}`,
    );
    console.log(
        `warm call                ${ms(figures.warmCallMs).padStart(10)}   bare undici ${ms(figures.bareUndiciCallMs)}  ratio ${figures.warmRatioToBareUndici.toFixed(2)}  goal ≤ 1.10  ${verdict(figures.warmRatioToBareUndici <= 1.1)}`,
    );
    console.log(`aligoapi warm call       ${ms(figures.aligoapiWarmCallMs).padStart(10)}`);
}

runCli(spec, async ({ values }) => {
    RUNS = values.runs as number;
    CALLS = values.calls as number;
    JSON_OUT = values.json === true;
    await main();
});
