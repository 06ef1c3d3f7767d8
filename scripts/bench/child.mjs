// Runs inside a fresh Node process for each measurement; prints one JSON line of figures on
// stderr. Its stdout (where the handler writes its log lines) goes to /dev/null: the writes still
// happen, as on Lambda, but the benchmark's fake upstream, in the parent process, is not slowed
// down by reading them (on Lambda an agent outside the function ships the logs).
//   cold <bundle.mjs>          import the bundle, make the first call; time both together
//   warm <bundle.mjs> <calls>  per-call time of the warm handler and of a bare undici request
//   refuse <bundle.mjs>        time to refuse two 6 MB events (as JSON) on a warm handler: one of
//                              ~430,000 unknown fields, one whose msg is 6 MB of text
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
if (mode === "refuse") {
    const { handler } = await import(pathToFileURL(bundle).href);
    check(await handler(event, context)); // warm: the key is read, the code compiled
    // Lambda's limit for a synchronous invocation's payload: 6 MB (6,291,456 bytes).
    const SIZE = 6 * 1024 * 1024;
    // Lambda hands the handler the event already parsed; building it is not timed. As many short
    // unknown fields as fit: each adds "k<n>":1, to the JSON.
    const manyKeys = { action: "send", receiver: "01012345678", msg: "x" };
    let bytes = JSON.stringify(manyKeys).length;
    for (let i = 0; bytes + `"k${i}":1,`.length <= SIZE; i++) {
        manyKeys[`k${i}`] = 1;
        bytes += `"k${i}":1,`.length;
    }
    const bigText = { action: "send", receiver: "01012345678", msg: "가".repeat(SIZE / 3 - 30) };
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const figures = {};
    for (const [name, e] of [
        ["refuseKeys", manyKeys],
        ["refuseText", bigText],
    ]) {
        const times = [];
        for (let i = 0; i < 5; i++) {
            const t = performance.now();
            const r = await handler(e, context);
            times.push(performance.now() - t);
            if (r.ok !== false || r.error?.code !== "INVALID_INPUT")
                throw new Error(`${name}: not refused: ${JSON.stringify(r).slice(0, 300)}`);
        }
        figures[`${name}Ms`] = median(times);
        figures[`${name}Bytes`] = Buffer.byteLength(JSON.stringify(e));
        figures[`${name}Fields`] = Object.keys(e).length;
    }
    console.error(JSON.stringify(figures));
    process.exit(0);
}
throw new Error(`unknown mode ${mode}`);
