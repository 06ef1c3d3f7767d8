// The warmer: fired by an EventBridge schedule, it pings the SMS function WARM_CONCURRENCY times in
// parallel so that many containers stay warm. A ping never reaches Aligo. Failures are reported in
// the result and the log, never swallowed.
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from "@aws-sdk/client-lambda";
import { randomUUID } from "node:crypto";
import { maskedJsonPrefix, maskedPrefix } from "../shared/echo";
import { log } from "../shared/log";
import { fail, type Result } from "../shared/result";
import { anyText } from "../shared/text";
import { MESSAGES } from "./messages";

// Every log line is one JSON object, the SDK's and Node's warnings included: the SDK writes its
// warnings (a request timeout, a deprecation) through `logger`, and Node's process warnings go
// through process.emitWarning, which would otherwise print plain text on stderr.
const sdkLogger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (...args: unknown[]) => log("warn", "aws-sdk", { detail: upstreamText(args.map(sdkDetail).join(" "), 500) }),
    error: (...args: unknown[]) =>
        log("error", "aws-sdk", { detail: upstreamText(args.map(sdkDetail).join(" "), 500) }),
};

/**
 * What the SDK handed its logger, as text: a string as it is, an error as its name and message,
 * the SDK's own record ({ clientName, commandName, error, metadata, input, output }) as the client,
 * the command, the error and the HTTP status; never the input or output themselves.
 */
export function sdkDetail(arg: unknown): string {
    if (typeof arg === "string") return arg;
    if (arg instanceof Error) return `${arg.name}: ${arg.message}`;
    if (typeof arg === "object" && arg !== null) {
        const r = arg as {
            clientName?: unknown;
            commandName?: unknown;
            error?: unknown;
            metadata?: { httpStatusCode?: unknown };
        };
        const parts = [r.clientName, r.commandName].filter((x) => typeof x === "string");
        if (r.error !== undefined) parts.push(sdkDetail(r.error));
        if (typeof r.metadata?.httpStatusCode === "number") parts.push(`HTTP ${r.metadata.httpStatusCode}`);
        return parts.length > 0 ? parts.join(" ") : Object.prototype.toString.call(arg);
    }
    return String(arg);
}
/**
 * Text that came from elsewhere (an error, the target's answer), as it is reported and logged:
 * phone numbers masked (an SMS function's answer or error may quote one), at most `chars` long.
 * JSON is masked inside its strings first, where a tab or a newline between digits is still one
 * (stringified, it is `\t` or `\n`).
 */
export function upstreamText(text: string, chars = 300): string {
    if (/^\s*[[{"]/.test(text)) {
        try {
            return maskedJsonPrefix(JSON.parse(text), chars);
        } catch {
            // not JSON after all
        }
    }
    return maskedPrefix(text, chars);
}

process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    const name =
        warning instanceof Error
            ? warning.name
            : typeof rest[0] === "string"
              ? rest[0]
              : ((rest[0] as { type?: string } | undefined)?.type ?? "Warning");
    log("warn", "process warning", {
        name,
        detail: upstreamText(String(warning instanceof Error ? warning.message : warning), 500),
    });
};

/** Kept back from the warmer's own timeout to write the summary. */
const SAFETY_MS = 1_000;
/** Budget when there is no Lambda context (local runs). */
const DEFAULT_BUDGET_MS = 10_000;

// One client per container. It honours AWS_ENDPOINT_URL_LAMBDA, which is how tests aim it at a
// local fake; on Lambda it uses the region and role credentials from the environment. A request
// that is not answered in time is an error (`throwOnRequestTimeout`), not a logged warning; every
// ping is also aborted at the warmer's own deadline. No retries: a late ping is no use.
const client = new LambdaClient({
    maxAttempts: 1,
    logger: sdkLogger,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
});

export const MAX_CONCURRENCY = 10;

export interface WarmFailure {
    index: number;
    code: string;
    message: string;
}

export async function handler(
    _event: unknown,
    context?: { awsRequestId?: string; getRemainingTimeInMillis?: () => number },
): Promise<Result> {
    const started = Date.now();
    // Whole milliseconds: AbortSignal.timeout takes no fraction, which a caller outside Lambda may give.
    const budget = Math.max(0, Math.floor((context?.getRemainingTimeInMillis?.() ?? DEFAULT_BUDGET_MS) - SAFETY_MS));
    const target = process.env.TARGET_FUNCTION_NAME;
    const rawConcurrency = process.env.WARM_CONCURRENCY ?? "1";
    const concurrency = Number(rawConcurrency);
    if (!target) return configError("TARGET_FUNCTION_NAME is not set");
    if (!/^\d+$/.test(rawConcurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
        return configError(MESSAGES.badConcurrency(rawConcurrency, MAX_CONCURRENCY));
    }
    const correlationId = context?.awsRequestId ?? randomUUID();
    // Every ping ends by the warmer's deadline, answered or not.
    const deadline = AbortSignal.timeout(Math.max(1, budget));
    const settled = await pingAll(target, concurrency, correlationId, deadline);
    const { answered, cold, containers, failures, balance, balanceError } = tally(settled, deadline, budget);

    const result = {
        target,
        invoked: concurrency,
        answered,
        cold,
        containers: containers.size,
        failures,
        correlationId,
        ...(balance !== undefined ? { balance } : {}),
        ...(balanceError ? { balanceError } : {}),
    };
    log(failures.length === 0 ? "info" : "error", "warm-up", { ...result, durationMs: Date.now() - started });
    if (failures.length === 0) return { ok: true, ...result };
    return {
        ok: false,
        error: { code: "WARM_FAILED", message: MESSAGES.runFailed(failures.length, concurrency, failures[0]) },
        ...result,
    };
}

/** Invokes the target `concurrency` times at once, each invoke ending by `deadline`. */
function pingAll(
    target: string,
    concurrency: number,
    correlationId: string,
    deadline: AbortSignal,
): Promise<PromiseSettledResult<InvokeCommandOutput>[]> {
    const payload = Buffer.from(JSON.stringify({ warmer: true, concurrency, correlationId }));
    // With the balance alarm on (BALANCE_CHECK), the first ping also asks its container for Aligo's
    // balance; the SMS function looks it up at most once an hour per container, never sends.
    const withBalance =
        process.env.BALANCE_CHECK === "true"
            ? Buffer.from(JSON.stringify({ warmer: true, concurrency, correlationId, balance: true }))
            : payload;
    return Promise.allSettled(
        Array.from({ length: concurrency }, (_, i) =>
            client.send(
                new InvokeCommand({
                    FunctionName: target,
                    InvocationType: "RequestResponse",
                    Payload: i === 0 ? withBalance : payload,
                }),
                { abortSignal: deadline },
            ),
        ),
    );
}

/** What a container answers a warm-up ping (the SMS function's `{ ok: true, warmer: true, ... }`). */
interface WarmAnswer {
    ok?: unknown;
    warmer?: unknown;
    cold?: unknown;
    containerId?: unknown;
    balance?: unknown;
    balanceError?: unknown;
}

/** A run's pings counted: the answers, the cold starts, the containers reached, the failures, the balance. */
interface Tally {
    answered: number;
    cold: number;
    containers: Set<string>;
    failures: WarmFailure[];
    balance?: number;
    balanceError?: string;
}

/** Reads every ping's outcome into the run's counts. */
function tally(settled: PromiseSettledResult<InvokeCommandOutput>[], deadline: AbortSignal, budget: number): Tally {
    const t: Tally = { answered: 0, cold: 0, containers: new Set<string>(), failures: [] };
    settled.forEach((s, index) => {
        const outcome = outcomeOf(s, index, deadline, budget);
        if ("failure" in outcome) {
            t.failures.push(outcome.failure);
            return;
        }
        const { answer } = outcome;
        t.answered++;
        if (typeof answer.balance === "number") t.balance = answer.balance;
        if (answer.balanceError !== undefined) t.balanceError = anyText(answer.balanceError);
        if (answer.cold === true) t.cold++;
        if (typeof answer.containerId === "string") t.containers.add(answer.containerId);
    });
    return t;
}

/** One ping's outcome: the container's warm-up answer, or why there is none. */
function outcomeOf(
    s: PromiseSettledResult<InvokeCommandOutput>,
    index: number,
    deadline: AbortSignal,
    budget: number,
): { answer: WarmAnswer } | { failure: WarmFailure } {
    if (s.status === "rejected") {
        const err = s.reason as { name?: string; message?: string; code?: unknown };
        const timedOut = deadline.aborted && (err.name === "AbortError" || err.name === "TimeoutError");
        // A socket failure keeps Node's code (ECONNRESET, ECONNREFUSED, ...); the SDK renames
        // such errors "TimeoutError", which would point the reader at the wrong thing.
        const socketCode = typeof err.code === "string" && /^E[A-Z_]+$/.test(err.code) ? err.code : undefined;
        const code = timedOut ? "TIMEOUT" : (socketCode ?? err.name ?? "InvokeError");
        const message = timedOut ? MESSAGES.noAnswer(budget) : upstreamText(anyText(err.message ?? s.reason));
        return { failure: { index, code, message } };
    }
    const text = s.value.Payload ? Buffer.from(s.value.Payload).toString("utf8") : "";
    if (s.value.FunctionError) {
        return {
            failure: { index, code: "FUNCTION_ERROR", message: `${s.value.FunctionError}: ${upstreamText(text)}` },
        };
    }
    const answer = warmAnswer(text);
    if (!answer || answer.ok !== true || answer.warmer !== true) {
        return { failure: { index, code: "BAD_ANSWER", message: MESSAGES.notWarmAnswer(upstreamText(text)) } };
    }
    return { answer };
}

/** The target's answer as JSON, when it is an object; undefined otherwise. */
function warmAnswer(text: string): WarmAnswer | undefined {
    try {
        const v: unknown = JSON.parse(text);
        return typeof v === "object" && v !== null ? v : undefined;
    } catch {
        return undefined;
    }
}

function configError(message: string): Result {
    log("error", "warmer misconfigured", { message });
    return fail({ code: "CONFIG_ERROR", message });
}
