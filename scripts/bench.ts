// npm run -s bench -- [--runs N] [--calls N] [--json]
// Prints the SMS function's size and speed figures against goals, each a median over repeated
// runs, next to a handler built on aligoapi (Aligo's own npm module) as the baseline:
//   - bundle size of the SMS function (goal ≤ 350 KB)
//   - cold init: a fresh Node process imports the bundle and makes its first call to a loopback
//     fake Aligo (goal ≤ 0.8 × the aligoapi handler)
//   - warm per-call time as a ratio to a bare undici request to the same fake (goal ≤ 1.1)
//   - time to refuse a 6 MB event, of ~430,000 unknown fields or of one 6 MB text (goal ≤ 100 ms)
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleEntry, bundleFunction, REPO_ROOT } from "../program/functions/bundle";
import { FAKE_KEY, FAKE_USER, FakeAligo } from "../fakes/aligo";
import { FakeSsm, TEST_CREDENTIALS, TEST_REGION, TEST_SESSION_TOKEN } from "../fakes/ssm";
import { command, runAsScript, type CommandSpec, type Io } from "./lib/args";
import { SUMMARY } from "./lib/messages";

const spec: CommandSpec = {
    name: "bench",
    summary: SUMMARY.bench,
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
            else resolve(JSON.parse(last) as Record<string, number>);
        });
    });
}

/** The two handlers, written to files, each with the environment it runs in. */
interface Subjects {
    oursFile: string;
    oursEnv: Record<string, string>;
    oursBytes: number;
    baseFile: string;
    baseEnv: Record<string, string>;
    baseBytes: number;
}

function subjects(aligo: FakeAligo, ssm: FakeSsm): Subjects {
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
    return { oursFile, oursEnv, oursBytes: ours.bytes, baseFile, baseEnv, baseBytes: Buffer.byteLength(base) };
}

interface Settings {
    runs: number;
    calls: number;
}

async function coldMeasurements(s: Subjects, { runs }: Settings, progress: (line: string) => void) {
    const ours: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < runs; i++) {
        // Alternate, so machine drift hits both alike.
        ours.push((await child(["cold", s.oursFile], s.oursEnv)).coldMs);
        base.push((await child(["cold", s.baseFile], s.baseEnv)).coldMs);
        progress(`cold run ${i + 1}/${runs}: ours ${ours[i].toFixed(1)} ms, aligoapi ${base[i].toFixed(1)} ms`);
    }
    return { ours, base };
}

async function warmMeasurements(s: Subjects, { runs, calls }: Settings, progress: (line: string) => void) {
    const w = { ratios: [] as number[], ours: [] as number[], bare: [] as number[], base: [] as number[] };
    const count = Math.max(3, Math.round(runs / 3));
    for (let i = 0; i < count; i++) {
        const run = await child(["warm", s.oursFile, String(calls)], s.oursEnv);
        w.ours.push(run.handlerMs);
        w.bare.push(run.bareMs);
        w.ratios.push(run.handlerMs / run.bareMs);
        w.base.push((await child(["warm", s.baseFile, String(calls)], s.baseEnv)).handlerMs);
        progress(`warm run ${i + 1}/${count}: ${calls} calls, ratio to bare undici ${w.ratios[i].toFixed(3)}`);
    }
    return w;
}

type Figures = Awaited<ReturnType<typeof measureWith>>["figures"];

/** The measurements, with a fake Aligo and a fake SSM on 127.0.0.1 for their length. */
async function measure(settings: Settings, progress: (line: string) => void) {
    const aligo = new FakeAligo();
    const ssm = new FakeSsm();
    await aligo.start();
    await ssm.start();
    try {
        return await measureWith(aligo, ssm, settings, progress);
    } finally {
        // Stopped also when a measurement fails: their open sockets would keep the command from exiting.
        await aligo.stop();
        await ssm.stop();
    }
}

async function measureWith(aligo: FakeAligo, ssm: FakeSsm, settings: Settings, progress: (line: string) => void) {
    ssm.parameters.set(BENCH_PARAMETER, FAKE_KEY);
    const s = subjects(aligo, ssm);
    progress(
        `bundles ready (ours ${s.oursBytes} bytes, aligoapi ${s.baseBytes} bytes); ${settings.runs} cold runs each`,
    );
    const cold = await coldMeasurements(s, settings, progress);
    const warm = await warmMeasurements(s, settings, progress);
    const refuse = await child(["refuse", s.oursFile], s.oursEnv);
    progress(
        `refusals: ${refuse.refuseKeysFields} fields in ${refuse.refuseKeysMs.toFixed(1)} ms, a ${refuse.refuseTextBytes}-byte text in ${refuse.refuseTextMs.toFixed(1)} ms`,
    );
    // One read per cold start, one per warm run and one for the refusals, every one signed right: else the figures are not ours.
    const expected = settings.runs + warm.ratios.length + 1;
    const signed = ssm.requests.every((r) => r.signatureValid);
    if (ssm.reads !== expected || !signed) {
        throw new Error(
            `the SMS function read its key ${ssm.reads} times (expected ${expected}), ` +
                `signatures ${signed ? "valid" : "INVALID"}`,
        );
    }
    const figures = {
        node: process.version,
        runs: settings.runs,
        callsPerWarmRun: settings.calls,
        smsBundleBytes: s.oursBytes,
        keyFrom: "SSM parameter (read at the first call, included in cold init)",
        aligoapiBundleBytes: s.baseBytes,
        coldInitMs: median(cold.ours),
        aligoapiColdInitMs: median(cold.base),
        coldRatio: median(cold.ours) / median(cold.base),
        warmCallMs: median(warm.ours),
        bareUndiciCallMs: median(warm.bare),
        warmRatioToBareUndici: median(warm.ratios),
        aligoapiWarmCallMs: median(warm.base),
        refuseManyFieldsMs: refuse.refuseKeysMs,
        refuseManyFieldsBytes: refuse.refuseKeysBytes,
        refuseManyFieldsCount: refuse.refuseKeysFields,
        refuseBigTextMs: refuse.refuseTextMs,
        refuseBigTextBytes: refuse.refuseTextBytes,
    };
    return { figures, warmRuns: warm.ratios.length };
}

/** The figures against their goals, as a table. */
function renderFigures(f: Figures, warmRuns: number): string {
    const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
    const ms = (x: number) => `${x.toFixed(2)} ms`;
    const verdict = (ok: boolean) => (ok ? "meets goal" : "MISSES goal");
    const lines = [
        `aligo-sms benchmark (${f.node}, ${f.runs} cold runs each, ` +
            `warm: ${f.callsPerWarmRun} calls × ${warmRuns} runs; medians)\n`,
        `SMS bundle size          ${kb(f.smsBundleBytes).padStart(10)}   goal ≤ 350 KB            ` +
            `${verdict(f.smsBundleBytes <= 350 * 1024)}   (aligoapi bundle ${kb(f.aligoapiBundleBytes)})`,
        `cold init + first call   ${ms(f.coldInitMs).padStart(10)}   aligoapi ${ms(f.aligoapiColdInitMs)}  ` +
            `ratio ${f.coldRatio.toFixed(2)}  goal ≤ 0.80  ${verdict(f.coldRatio <= 0.8)}`,
        `warm call                ${ms(f.warmCallMs).padStart(10)}   bare undici ${ms(f.bareUndiciCallMs)}  ` +
            `ratio ${f.warmRatioToBareUndici.toFixed(2)}  goal ≤ 1.10  ${verdict(f.warmRatioToBareUndici <= 1.1)}`,
        `aligoapi warm call       ${ms(f.aligoapiWarmCallMs).padStart(10)}`,
        `refuse 6 MB of fields    ${ms(f.refuseManyFieldsMs).padStart(10)}   ${f.refuseManyFieldsCount} fields, ${f.refuseManyFieldsBytes} bytes   ` +
            `goal ≤ 100 ms  ${verdict(f.refuseManyFieldsMs <= 100)}`,
        `refuse a 6 MB text       ${ms(f.refuseBigTextMs).padStart(10)}   ${f.refuseBigTextBytes} bytes           ` +
            `goal ≤ 100 ms  ${verdict(f.refuseBigTextMs <= 100)}`,
    ];
    return lines.map((l) => `${l}\n`).join("");
}

export const main = command(spec, async ({ values }, io: Io) => {
    /** One line per measurement on stderr, so a long run shows it is moving. */
    const progress = (line: string) => io.stderr.write(`bench: ${line}\n`);
    const settings = { runs: values.runs as number, calls: values.calls as number };
    const { figures, warmRuns } = await measure(settings, progress);
    io.stdout.write(values.json === true ? `${JSON.stringify(figures, null, 2)}\n` : renderFigures(figures, warmRuns));
});

if (require.main === module) runAsScript(main);
