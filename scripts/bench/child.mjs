// Runs inside a fresh Node process for each measurement; prints one JSON line of figures on
// stderr. Its stdout (where the handler writes its log lines) goes to /dev/null: the writes still
// happen, as on Lambda, but the benchmark's fake upstream, in the parent process, is not slowed
// down by reading them (on Lambda an agent outside the function ships the logs).
//   cold <bundle.mjs>          import the bundle, make the first call; time both together
//   warm <bundle.mjs> <calls>  per-call time of the warm handler and of a bare undici request
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const [mode, bundle, callsArg] = process.argv.slice(2);
const context = { awsRequestId: "bench", getRemainingTimeInMillis: () => 10_000 };
const event = { action: "remain" };

function check(result) {
    const ok = result && (result.ok === true || Number(result.result_code) === 1);
    if (!ok) throw new Error(`unexpected answer: ${JSON.stringify(result)}`);
}

if (mode === "cold") {
    const t0 = performance.now();
    const { handler } = await import(pathToFileURL(bundle).href);
    const t1 = performance.now();
    check(await handler(event, context));
    const t2 = performance.now();
    console.error(JSON.stringify({ importMs: t1 - t0, firstCallMs: t2 - t1, coldMs: t2 - t0 }));
    process.exit(0);
}

if (mode === "warm") {
    const calls = Number(callsArg);
    const { handler } = await import(pathToFileURL(bundle).href);
    const { Agent, request } = await import("undici");
    const agent = new Agent();
    const url = `${process.env.ALIGO_BASE_URL}/remain/`;
    const body = new URLSearchParams({
        key: process.env.BENCH_BARE_KEY,
        user_id: process.env.ALIGO_USER_ID,
    }).toString();
    const bare = async () => {
        const res = await request(url, {
            method: "POST",
            dispatcher: agent,
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body,
        });
        check(JSON.parse(await res.body.text()));
    };
    const ours = async () => check(await handler(event, context));
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const time = async (fn) => {
        const t = performance.now();
        await fn();
        return performance.now() - t;
    };
    for (let i = 0; i < 50; i++) {
        await ours();
        await bare();
    } // warm both
    const a = [];
    const b = [];
    for (let i = 0; i < calls; i++) {
        // Interleaved, so drift on the machine hits both alike.
        a.push(await time(ours));
        b.push(await time(bare));
    }
    console.error(JSON.stringify({ handlerMs: median(a), bareMs: median(b) }));
    process.exit(0);
}
throw new Error(`unknown mode ${mode}`);
