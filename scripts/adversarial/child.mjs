// One "container" for npm run adversarial: a fresh Node process that imports a built bundle (the
// SMS function or the warmer, the bytes Pulumi uploads) and runs the cases the parent sends over
// the IPC channel, one after another, as a Lambda container runs its invocations.
//   node child.mjs <bundle.mjs>
// A message is { id, calls: [{ payload, remainingMs, env? }] }: each payload is the event as JSON
// text, parsed here as Lambda's runtime parses it (so "__proto__" is an own key, as on Lambda);
// `env` is set in process.env before the call, a null value unset (the warmer reads its target on
// every run). The
// answer is { id, results: [{ answer, elapsedMs, threw? }] }, each answer as the JSON text Lambda
// would hand back. The handler's log lines go to stdout, which the parent reads; after each message
// a marker line `@@adversarial <id>` says that every line of that message has been written (stdout
// to a pipe is synchronous on Linux, so the marker follows the handler's lines).
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const { handler } = await import(pathToFileURL(process.argv[2]).href);

async function call({ payload, remainingMs, env }) {
    for (const [k, v] of Object.entries(env ?? {})) {
        if (v === null) delete process.env[k];
        else process.env[k] = v;
    }
    const event = JSON.parse(payload);
    const started = performance.now();
    // Whole milliseconds, as Lambda's Node runtime counts them (its deadline less Date.now()).
    const deadline = Date.now() + remainingMs;
    const context = {
        awsRequestId: "adversarial",
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    try {
        const result = await handler(event, context);
        return { answer: JSON.stringify(result) ?? "null", elapsedMs: performance.now() - started };
    } catch (e) {
        // A handler that throws fails its invocation; Lambda answers with the error's type and message.
        const answer = JSON.stringify({ errorType: e?.name ?? "Error", errorMessage: String(e?.message ?? e) });
        return { answer, elapsedMs: performance.now() - started, threw: true };
    }
}

process.on("message", async ({ id, calls }) => {
    const results = [];
    for (const c of calls) results.push(await call(c));
    process.stdout.write(`\n@@adversarial ${id}\n`);
    process.send({ id, results });
});
process.send({ ready: true });
