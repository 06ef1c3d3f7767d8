// npm run -s adversarial -- [--calls N] [--verbose]
// The SMS function and the warmer, as built for deployment (esbuild bundles), each loaded in a child
// Node process (a "container") and run against fake upstreams on 127.0.0.1 through five families:
//   1. bad events: refused (INVALID_INPUT) before any request reaches the fake Aligo
//   2. upstream faults: answered before the invocation's time runs out, with an honest maybeSent
//   3. duplicate sends: N sends (faults mixed in), no text reaching Aligo twice
//   4. leaks: the API key, the Aligo user id and full phone numbers in any answer or log line
//   5. warmer faults: a target that fails, hangs or answers wrongly, reported in time and honestly
// The cases and what each must come to: scripts/lib/adversarial-*.ts. Exit 1 on any problem.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleFunction } from "../program/functions/bundle";
import { FAKE_KEY, FAKE_USER, FakeAligo, type ReceivedRequest } from "../fakes/aligo";
import { FakeLambda } from "../fakes/lambda";
import { BlackHole, RawUpstream } from "../fakes/raw-upstream";
import { FakeSsm, TEST_CREDENTIALS, TEST_REGION, TEST_SESSION_TOKEN } from "../fakes/ssm";
import { command, runAsScript, type CommandSpec, type Io } from "./lib/args";
import { Container } from "./lib/adversarial-container";
import { badEvents } from "./lib/adversarial-events";
import {
    duplicatePlan,
    eventFor,
    faultCases,
    PATHS,
    STAND_INS,
    warmerCases,
    type FaultCase,
} from "./lib/adversarial-faults";
import { judgeBadEvent, judgeDuplicateCall, judgeFault, judgeWarmer, type Outcome } from "./lib/adversarial-judge";
import { LeakSearch } from "./lib/adversarial-leaks";
import { SUMMARY } from "./lib/messages";

const spec: CommandSpec = {
    name: "adversarial",
    summary: SUMMARY.adversarial,
    stack: false,
    options: {
        calls: {
            type: "string",
            value: "N",
            number: { min: 1, integer: true },
            default: "10000",
            help: "send calls in the duplicate-send run",
        },
        verbose: { type: "boolean", help: "print every case and what it came to" },
    },
    examples: ["npm run -s adversarial", "npm run -s adversarial -- --calls 1000 --verbose"],
};

const PARAMETER = "/aligo-sms/adversarial/aligo-api-key";

/** A family's outcome: its cases, the problems found (each with its case's name). */
interface Family {
    cases: number;
    held: number;
    problems: string[];
}

const newFamily = (): Family => ({ cases: 0, held: 0, problems: [] });

function record(f: Family, name: string, problems: string[]): void {
    f.cases++;
    if (problems.length === 0) f.held++;
    else f.problems.push(`${name}: ${problems.join("; ")}`);
}

/** The fakes, the bundles and the containers of one run. */
class World {
    readonly aligo = new FakeAligo();
    readonly ssm = new FakeSsm();
    readonly raw = new RawUpstream();
    readonly blackHole = new BlackHole();
    readonly lambda = new FakeLambda();
    readonly leaks = new LeakSearch({ key: FAKE_KEY, userId: FAKE_USER });
    readonly bundles = { sms: bundleFunction("sms"), warmer: bundleFunction("warmer") };
    private readonly dir = mkdtempSync(join(tmpdir(), "aligo-adversarial-"));
    private readonly containers = new Map<string, Container>();
    private closedPort = 0;
    private blackHoleUrl = "";

    async start(): Promise<void> {
        await this.aligo.start();
        await this.ssm.start();
        await this.raw.start();
        await this.lambda.start();
        this.blackHoleUrl = await this.blackHole.start();
        this.closedPort = await closedPort();
        this.ssm.parameters.set(PARAMETER, FAKE_KEY);
        writeFileSync(join(this.dir, "sms.mjs"), this.bundles.sms.code);
        writeFileSync(join(this.dir, "warmer.mjs"), this.bundles.warmer.code);
    }

    async stop(): Promise<void> {
        for (const c of this.containers.values()) c.stop();
        this.blackHole.stop();
        await Promise.all([this.aligo.stop(), this.ssm.stop(), this.raw.stop(), this.lambda.stop()]);
    }

    /** The SMS function's environment, as on Lambda (its key from SSM), calling Aligo at `baseUrl`. */
    smsEnv(baseUrl: string): Record<string, string> {
        return {
            ALIGO_USER_ID: FAKE_USER,
            ALIGO_SENDER: "0212345678",
            ALIGO_BASE_URL: baseUrl,
            ALIGO_API_KEY_PARAMETER: PARAMETER,
            EGRESS_IP_URL: `${this.aligo.baseUrl}/ip`,
            EGRESS_IPS: "203.0.113.10,203.0.113.11",
            AWS_ENDPOINT_URL_SSM: this.ssm.endpoint,
            AWS_REGION: TEST_REGION,
            AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
            AWS_SESSION_TOKEN: TEST_SESSION_TOKEN,
        };
    }

    /** The container for an upstream (started at its first use): one process each, as one Lambda container. */
    async container(name: FaultCase["upstream"] | "warmer"): Promise<Container> {
        let c = this.containers.get(name);
        if (c) return c;
        const urls: Record<string, string> = {
            aligo: this.aligo.baseUrl,
            ssm: this.aligo.baseUrl,
            raw: this.raw.baseUrl,
            closed: `http://127.0.0.1:${this.closedPort}`,
            blackhole: this.blackHoleUrl,
        };
        c =
            name === "warmer"
                ? await Container.start(join(this.dir, "warmer.mjs"), this.warmerEnv())
                : await Container.start(join(this.dir, "sms.mjs"), this.smsEnv(urls[name]));
        this.containers.set(name, c);
        return c;
    }

    private warmerEnv(): Record<string, string> {
        return {
            AWS_ENDPOINT_URL_LAMBDA: this.lambda.endpoint,
            AWS_REGION: TEST_REGION,
            AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        };
    }

    /** Searches an answer and its log lines; a success's data is searched for our secrets only (see scan). */
    scan(o: Outcome, log: string[]): void {
        this.leaks.search(o.answer, !successData(o.answer));
        for (const line of log) this.leaks.search(line);
    }

    stderrOfContainers(): string {
        return [...this.containers.entries()]
            .filter(([, c]) => c.stderr.trim() !== "")
            .map(([name, c]) => `${name}: ${c.stderr.trim().slice(0, 300)}`)
            .join("\n");
    }
}

/**
 * Whether an answer is a success. Phone numbers are searched in every log line and every failure;
 * a success hands back Aligo's own data as it is (docs/sms-function.md: "Reads answer with Aligo's
 * own field names and data"), which may hold the caller's own receivers (detail's list, a reflecting
 * upstream's echo of the request), so a success is searched for the key and the user id only.
 */
function successData(answer: string): boolean {
    return answer.startsWith('{"ok":true');
}

async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function badEventFamily(w: World, verbose: (line: string) => void): Promise<Family> {
    const f = newFamily();
    const c = await w.container("aligo");
    const remainingMs = 3_000;
    for (const e of badEvents(new Date())) {
        const before = w.aligo.requests.length;
        const { results, log } = await c.run([{ payload: e.payload, remainingMs }]);
        const problems = judgeBadEvent(e, results[0], w.aligo.requests.length - before, remainingMs);
        record(f, e.name, problems);
        w.scan(results[0], log);
        verbose(`bad event ${e.name}: ${results[0].answer.slice(0, 120)}`);
    }
    // Refused input never needs the key: the container has not asked SSM for it.
    if (w.ssm.reads > 0) f.problems.push(`bad events: SSM was asked for the key ${w.ssm.reads} time(s)`);
    return f;
}

/** Sets the upstream up for a case; the number of requests its path has received so far, as a function. */
async function arrange(w: World, fc: FaultCase): Promise<() => number> {
    const path = PATHS[fc.action];
    w.aligo.reset();
    if (fc.aligoMode) w.aligo.modes = { "*": fc.aligoMode };
    w.ssm.mode = fc.ssmMode ?? "ok";
    if (fc.upstream === "raw") {
        w.raw.reset();
        // The container's pooled connection was just closed: let it see the close before the next send.
        await sleep(30);
        w.raw.fault = fc.raw!.fault;
        w.raw.options = fc.raw!.options ?? {};
        return () => w.raw.count(path);
    }
    if (fc.upstream === "aligo" || fc.upstream === "ssm")
        return () => w.aligo.requests.filter((r) => r.path === path).length;
    // A closed port and a black hole receive nothing (the black hole's count is checked at the end).
    return () => 0;
}

async function faultFamily(w: World, verbose: (line: string) => void): Promise<Family> {
    const f = newFamily();
    for (const fc of faultCases()) {
        const c = await w.container(fc.upstream);
        const requests = await arrange(w, fc);
        const payload = JSON.stringify(eventFor(fc.action));
        const { results, log } = await c.run([{ payload, remainingMs: fc.remainingMs }]);
        record(f, fc.name, judgeFault(fc, results[0], requests()));
        w.scan(results[0], log);
        verbose(`fault ${fc.name} (${Math.round(results[0].elapsedMs)} ms): ${results[0].answer.slice(0, 140)}`);
    }
    w.ssm.mode = "ok";
    w.raw.reset();
    const hole = await w.blackHole.finish();
    if (hole.sends > 0) f.problems.push(`a connect that never completed: ${hole.sends} send(s) arrived later`);
    return f;
}

/** The texts each request carried: msg for /send/, msg_1… for /send_mass/. */
function textsOf(r: ReceivedRequest): string[] {
    if (r.path === "/send/") return [r.params.msg ?? ""];
    if (r.path !== "/send_mass/") return [];
    return Array.from({ length: Number(r.params.cnt) || 0 }, (_, i) => r.params[`msg_${i + 1}`] ?? "");
}

async function duplicateFamily(w: World, calls: number, progress: (line: string) => void) {
    const f = newFamily();
    const c = await w.container("aligo");
    const seen = new Map<string, number>();
    const fold = () => {
        for (const r of w.aligo.requests) for (const t of textsOf(r)) seen.set(t, (seen.get(t) ?? 0) + 1);
        w.aligo.reset();
    };
    const outcomes: { msgs: string[]; o: Outcome; remainingMs: number }[] = [];
    const plan = duplicatePlan(calls);
    fold();
    for (const [i, batch] of plan.entries()) {
        w.aligo.modes = { "*": batch.mode };
        const { results, log } = await c.run(batch.calls);
        fold();
        results.forEach((o, j) =>
            outcomes.push({ msgs: batch.calls[j].msgs, o, remainingMs: batch.calls[j].remainingMs }),
        );
        for (const [j, o] of results.entries()) w.scan(o, j === 0 ? log : []);
        if ((i + 1) % 50 === 0) progress(`duplicate run: ${outcomes.length}/${calls} calls`);
    }
    let duplicates = 0;
    for (const [n, { msgs, o, remainingMs }] of outcomes.entries()) {
        const judged = judgeDuplicateCall(msgs, o, (m) => seen.get(m) ?? 0, remainingMs);
        duplicates += judged.duplicates;
        record(f, `send call ${n}`, judged.problems);
    }
    const reached = [...seen.values()].filter((n) => n > 0).length;
    return { family: f, duplicates, reached, texts: outcomes.reduce((s, x) => s + x.msgs.length, 0) };
}

async function warmerFamily(w: World, verbose: (line: string) => void): Promise<Family> {
    const f = newFamily();
    const smsEnv = {
        ALIGO_API_KEY: FAKE_KEY,
        ALIGO_USER_ID: FAKE_USER,
        ALIGO_SENDER: "0212345678",
        ALIGO_BASE_URL: w.aligo.baseUrl,
    };
    w.lambda.deploy("sms", { code: w.bundles.sms.code, env: smsEnv });
    w.lambda.deploy("sms-balance", {
        code: w.bundles.sms.code,
        env: { ...smsEnv, METRICS_NAMESPACE: "aligo-sms/adv" },
    });
    for (const [name, s] of Object.entries(STAND_INS)) w.lambda.deploy(name, { code: s.code ?? "", env: {}, ...s });
    w.aligo.reset();
    const c = await w.container("warmer");
    for (const wc of warmerCases()) {
        const target = wc.env.TARGET_FUNCTION_NAME;
        const before = w.lambda.requests.filter((n) => n === target).length;
        const { results, log } = await c.run([{ payload: "{}", remainingMs: wc.remainingMs, env: wc.env }]);
        const invokes = w.lambda.requests.filter((n) => n === target).length - before;
        record(f, `warmer ${wc.name}`, judgeWarmer(wc, results[0], invokes));
        w.scan(results[0], log);
        verbose(`warmer ${wc.name} (${Math.round(results[0].elapsedMs)} ms): ${results[0].answer.slice(0, 140)}`);
    }
    // A ping never sends: only the balance look-up (/remain/) may reach Aligo.
    const sends = w.aligo.requests.filter((r) => r.path !== "/remain/").length;
    if (sends > 0) f.problems.push(`warm-up pings: ${sends} request(s) other than /remain/ reached Aligo`);
    // What the SMS function and the stand-ins wrote inside the fake Lambda's containers.
    for (const line of w.lambda.logs.split("\n").filter(Boolean)) w.leaks.search(line);
    return f;
}

const figure = (n: number) => n.toLocaleString("en-US");

function familyLines(label: string, f: Family, verbose: boolean): string[] {
    const shown = verbose ? f.problems : f.problems.slice(0, 10);
    const more = f.problems.length - shown.length;
    return [
        `${label}: ${figure(f.held)}/${figure(f.cases)}`,
        ...shown.map((p) => `  problem: ${p}`),
        ...(more > 0 ? [`  … and ${more} more problems (--verbose lists them all)`] : []),
    ];
}

export const main = command(spec, async ({ values }, io: Io) => {
    const started = Date.now();
    const progress = (line: string) => io.stderr.write(`adversarial: ${line}\n`);
    const verbose = values.verbose === true ? (line: string) => io.stdout.write(`  ${line}\n`) : () => undefined;
    const out = (line: string) => io.stdout.write(`${line}\n`);
    const w = new World();
    try {
        await w.start();
        out(
            `adversarial run against the built bundles (SMS ${figure(w.bundles.sms.bytes)} bytes, warmer ` +
                `${figure(w.bundles.warmer.bytes)} bytes), Node ${process.version}, fakes on 127.0.0.1`,
        );
        progress("1/5 bad events");
        const bad = await badEventFamily(w, verbose);
        for (const l of familyLines("bad events refused before any request", bad, values.verbose === true)) out(l);
        progress("2/5 upstream faults");
        const faults = await faultFamily(w, verbose);
        for (const l of familyLines(
            "upstream faults answered in time with an honest maybeSent",
            faults,
            values.verbose === true,
        ))
            out(l);
        progress(`3/5 ${figure(values.calls as number)} send calls`);
        const dup = await duplicateFamily(w, values.calls as number, progress);
        out(
            `duplicate sends over ${figure(dup.family.cases)} calls: ${figure(dup.duplicates)} ` +
                `(${figure(dup.texts)} texts, ${figure(dup.reached)} reached Aligo; ` +
                `${figure(dup.family.held)}/${figure(dup.family.cases)} calls in time with an honest answer)`,
        );
        for (const p of dup.family.problems.slice(0, 10)) out(`  problem: ${p}`);
        progress("5/5 warmer faults");
        const warmer = await warmerFamily(w, verbose);
        const leaks = w.leaks;
        out(
            `leaks in ${figure(leaks.texts)} answers and log lines: ${figure(leaks.total)} ` +
                `(key ${leaks.found.key}, user id ${leaks.found.userId}, phone numbers ${leaks.found.phone})`,
        );
        for (const e of leaks.examples) out(`  problem: leaked in ${JSON.stringify(e)}`);
        for (const l of familyLines(
            "warmer faults answered in time and reported honestly",
            warmer,
            values.verbose === true,
        ))
            out(l);
        const stderr = w.stderrOfContainers();
        if (stderr) out(`  note: the containers wrote on stderr:\n${stderr}`);
        const families = [bad, faults, dup.family, warmer];
        const cases = families.reduce((s, f) => s + f.cases, 0);
        const problems = families.reduce((s, f) => s + f.problems.length, 0) + leaks.total;
        out(
            `adversarial: ${figure(cases)} cases, ${figure(problems)} problems (${Math.round((Date.now() - started) / 1000)} s)`,
        );
        return problems > 0 ? 1 : 0;
    } finally {
        await w.stop();
    }
});

if (require.main === module) runAsScript(main);
