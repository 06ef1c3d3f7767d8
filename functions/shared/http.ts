// HTTP for the functions, on undici: one keep-alive agent per container, reused by every
// invocation; every request, with its connects, retries, headers and whole body, ends by one
// deadline inside the Lambda timeout; failures say whether the request may have reached the server.
import Agent from "undici/lib/dispatcher/agent.js";
import request from "undici/lib/api/api-request.js";
import buildConnector from "undici/lib/core/connect.js";
import { ConnectTimeoutError } from "undici/lib/core/errors.js";

/** Longest time allowed to open a TCP + TLS connection (less when less time is left). */
export const CONNECT_TIMEOUT_MS = 3_000;

/** How long an idle connection is kept for reuse. */
export const KEEP_ALIVE_MS = 4_000;

/** The largest answer read; a larger one is refused without reading the rest. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** No attempt starts with less than this left: it could not connect and answer in time. */
export const MIN_ATTEMPT_MS = 200;

/**
 * A retry needs a new connection (the last one failed) as well as the time to answer: it starts
 * only with MIN_ATTEMPT_MS + MIN_CONNECT_MS left. So a connect cut short at its budget (the time
 * left less MIN_ATTEMPT_MS) leaves no room for a retry that could only time out again, and its own
 * failure is what is reported.
 */
export const MIN_CONNECT_MS = 200;

const MAX_ATTEMPTS = 3;

// A Lambda container runs one invocation at a time, and the functions make their requests one
// after another, so the request in flight is the only one: the connector reads its deadline, and
// counts connects begun and made, which tells whether an attempt that failed had a connection
// (then its request went out, or was about to) or was still connecting (then nothing left). An
// attempt that began no connect used a pooled, connected socket. None of this runs on the warm
// path, where the pooled socket is reused.
let attemptDeadline = 0;
let connectsBegun = 0;
let connectsMade = 0;

/**
 * The one connector, made once per container so that its TLS session cache lets every new
 * connection to Aligo resume the last TLS session instead of a full handshake (undici
 * lib/core/connect.js keeps the cache per connector). Its own connect timeout is off (`timeout: 0`):
 * undici 7 runs it on a timer with about a second's resolution (a 300 ms timeout fired after
 * ~1,020 ms, a 1,200 ms one after ~1,570 ms), so `connect` below keeps the time itself.
 */
const connector = buildConnector({ timeout: 0 });

/**
 * Opens a connection with a timeout of its own: at most CONNECT_TIMEOUT_MS, and never more than the
 * time left less MIN_ATTEMPT_MS (the time the request needs once connected). When it runs out, the
 * socket is destroyed with undici's ConnectTimeoutError (UND_ERR_CONNECT_TIMEOUT), which the
 * connector's error listener hands to undici as the connect's failure, exactly as undici's own
 * timeout would. Runs only for a new connection: a request on a pooled socket sets no timer.
 */
const connect: buildConnector.connector = (opts, callback) => {
    connectsBegun++;
    const budget = Math.max(1, Math.min(CONNECT_TIMEOUT_MS, attemptDeadline - Date.now() - MIN_ATTEMPT_MS));
    const done = callback as (e: Error | null, s: unknown) => void;
    let timer: NodeJS.Timeout | undefined;
    const socket = connector(opts, (err, s) => {
        clearTimeout(timer);
        if (!err) connectsMade++;
        done(err, s);
    }) as unknown as { destroy(e: Error): void } | undefined;
    if (socket) {
        timer = setTimeout(
            () =>
                socket.destroy(
                    new ConnectTimeoutError(
                        `Connect Timeout Error (attempted address: ${opts.hostname}:${opts.port}, timeout: ${budget}ms)`,
                    ),
                ),
            budget,
        );
    }
};

const newAgent = () =>
    new Agent({
        connect,
        // Close idle sockets before a typical server would, so a send rarely meets a socket the
        // other side already dropped (an ambiguous failure: a send is never retried once written).
        keepAliveTimeout: KEEP_ALIVE_MS,
        keepAliveMaxTimeout: 30_000,
    });

// Created once per container (at init), reused across invocations.
let agent = newAgent();
let lastSettled = 0;

/**
 * The agent to use now. Lambda freezes the process between invocations, so undici's keep-alive
 * timer cannot close idle sockets while it is frozen, and after a quiet spell the pool may hold a
 * socket the server closed long ago. A send written onto it fails ambiguously (it might have
 * arrived), so after an idle gap longer than the keep-alive the pool is replaced, unused.
 */
function currentAgent(now: number) {
    if (lastSettled !== 0 && now - lastSettled > KEEP_ALIVE_MS) abandonAgent();
    return agent;
}

/** Destroys the agent, failing whatever it has in flight, and starts a fresh one. */
function abandonAgent(reason?: Error) {
    const old = agent;
    agent = newAgent();
    void old.destroy(reason ?? null).catch(() => undefined);
}

export type HttpErrorCode = "TIMEOUT" | "CONNECTION_ERROR" | "TOO_LARGE";

export class HttpError extends Error {
    constructor(
        readonly code: HttpErrorCode,
        message: string,
        /** False only when no attempt wrote its request: then the server cannot have it. */
        readonly maybeDelivered: boolean,
        /** The underlying error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, DEADLINE, ...). */
        readonly reason: string,
        readonly attempts: number,
        /** The HTTP status, when an answer had begun (TOO_LARGE). */
        readonly status?: number,
    ) {
        super(message);
    }
}

export interface HttpResponse {
    status: number;
    contentType: string;
    body: string;
    /** The attempts made, this one included (more than one after a retry). */
    attempts: number;
}

export interface HttpRequest {
    method: "GET" | "POST";
    url: URL;
    headers?: Record<string, string>;
    body?: string;
    /** Epoch ms by which everything, the whole answer included, is over. */
    deadline: number;
    /**
     * Whether repeating the request is harmless. A request is retried when it was never written
     * (it cannot have arrived); only idempotent ones also after the connection broke mid-way.
     */
    idempotent: boolean;
}

class DeadlineError extends Error {
    readonly code = "DEADLINE";
}

class TooLargeError extends Error {
    constructor(readonly bytes: number | undefined) {
        super(bytes === undefined ? `more than ${MAX_BODY_BYTES} bytes` : `${bytes} bytes`);
    }
}

/** Failures of the request's own making (a bad header, URL or body): nothing was sent, and a retry would fail the same way. */
const NOT_SENT = new Set([
    "UND_ERR_INVALID_ARG",
    "UND_ERR_NOT_SUPPORTED",
    "ERR_INVALID_URL",
    "ERR_INVALID_ARG_TYPE",
    "ERR_INVALID_ARG_VALUE",
    "ERR_INVALID_CHAR",
    "ERR_INVALID_HTTP_TOKEN",
]);

const CONNECT_PHASE = new Set([
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "UND_ERR_CONNECT_TIMEOUT",
]);
const TIMEOUTS = new Set(["DEADLINE", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** How often the watchdog looks at the clock while a request is in flight. */
const WATCHDOG_MS = 25;

// One deadline for everything in flight, kept by one watchdog timer for the container: while a
// request is in flight it looks at the clock every WATCHDOG_MS and, past the deadline, cuts whatever
// is going on (a connect, the wait for headers, a body that trickles in) by destroying the agent.
// Starting it is a `refresh()` of the same timer, which costs far less on the warm path than a new
// timer or an AbortSignal per request, and it bounds the body, which undici's bodyTimeout (an idle
// timeout) does not.
let inFlightUntil = 0;
let cuts = 0;
const watchdog = setTimeout(function tick() {
    if (inFlightUntil === 0) return; // idle: let it lapse until the next request
    if (Date.now() < inFlightUntil) {
        watchdog.refresh();
        return;
    }
    inFlightUntil = 0;
    cuts++;
    abandonAgent(new DeadlineError("the request's deadline was reached"));
}, WATCHDOG_MS);
watchdog.unref();

/** Whether a request is in flight: the watchdog and the connect counters serve one at a time. */
let busy = false;

/** One request's attempts so far, and what the last one came to. */
interface Attempts {
    /** Whether any attempt may have written its request. */
    written: boolean;
    count: number;
    /**
     * The last attempt's outcome when another is to follow: its failure, or the server error (5xx)
     * of a request that is safe to repeat. What is reported when there is no time for another.
     */
    last: HttpError | HttpResponse | undefined;
    /** Whether a server error was already tried again (once at most). */
    retried5xx: boolean;
}

/**
 * Makes one request (with its retries), ending by `req.deadline`. Requests are made one after
 * another, as a Lambda container runs one invocation at a time; a second one started while another
 * is in flight is refused (it would share the first one's deadline and connect counters). A request
 * is tried again when it was never written; one that is safe to repeat (`idempotent`) also after its
 * connection broke, and once after a server error (5xx), which the next try often passes.
 */
export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
    if (busy)
        throw new Error("httpRequest: another request is in flight in this container; make requests one after another");
    if (req.url.protocol !== "https:" && req.url.protocol !== "http:") {
        throw new HttpError(
            "CONNECTION_ERROR",
            `${req.url.protocol} is not http: or https: (${req.url.host || req.url.href.slice(0, 40)})`,
            false,
            "ERR_INVALID_URL",
            0,
        );
    }
    busy = true;
    const cutsBefore = cuts;
    // Ends WATCHDOG_MS early, so that the cut lands by the deadline, not up to a tick after it.
    inFlightUntil = req.deadline - WATCHDOG_MS;
    watchdog.refresh();
    const run: Attempts = { written: false, count: 0, last: undefined, retried5xx: false };
    try {
        for (;;) {
            const left = req.deadline - Date.now();
            if (cuts > cutsBefore || left < MIN_ATTEMPT_MS + (run.count > 0 ? MIN_CONNECT_MS : 0)) {
                // No time for another attempt: what happened is the last attempt's outcome (every
                // attempt that did not end the request left one). With none, nothing was tried.
                if (run.last instanceof HttpError) throw run.last;
                if (run.last) return run.last;
                throw new HttpError("TIMEOUT", `no time left for a request to ${req.url.host}`, false, "DEADLINE", 0);
            }
            run.count++;
            attemptDeadline = req.deadline;
            const begunBefore = connectsBegun;
            const madeBefore = connectsMade;
            let status: number | undefined;
            try {
                const res = await request.call(currentAgent(Date.now()), {
                    origin: req.url.origin,
                    path: `${req.url.pathname}${req.url.search}`,
                    method: req.method,
                    headers: req.headers,
                    body: req.body,
                    headersTimeout: left,
                    bodyTimeout: left,
                });
                status = res.statusCode;
                const body = await readBody(res);
                const ct = res.headers["content-type"];
                const answer = {
                    status,
                    contentType: Array.isArray(ct) ? ct[0] : (ct ?? ""),
                    body,
                    attempts: run.count,
                };
                if (status < 500 || !req.idempotent || run.retried5xx || run.count >= MAX_ATTEMPTS) return answer;
                run.retried5xx = true;
                run.last = answer;
            } catch (e) {
                run.last = failedAttempt(req, run, e, { status, begunBefore, madeBefore, cutsBefore });
            }
            const pause = Math.min(100 * run.count, req.deadline - Date.now() - MIN_ATTEMPT_MS - MIN_CONNECT_MS);
            if (pause > 0) await new Promise((r) => setTimeout(r, pause));
        }
    } finally {
        inFlightUntil = 0;
        lastSettled = Date.now();
        busy = false;
    }
}

/** What an attempt's failure tells: the state of the connects when it began, the status if an answer had begun. */
interface FailedAt {
    status: number | undefined;
    begunBefore: number;
    madeBefore: number;
    cutsBefore: number;
}

/**
 * An attempt failed: its failure as an HttpError, returned when the request is to be tried again
 * (it was never written; or it is safe to repeat and its connection broke), thrown when not.
 */
function failedAttempt(req: HttpRequest, run: Attempts, e: unknown, at: FailedAt): HttpError {
    const expired = cuts > at.cutsBefore;
    // Connected (a pooled socket, or a connect that completed) and not refused while
    // connecting: the request went out, or was about to. Conservatively, it may have.
    const stillConnecting = connectsBegun > at.begunBefore && connectsMade === at.madeBefore;
    const ownMaking = NOT_SENT.has(codeOf(e)) && at.status === undefined;
    const wroteNow = at.status !== undefined || (!stillConnecting && !ownMaking && !CONNECT_PHASE.has(codeOf(e)));
    run.written ||= wroteNow;
    const err = classify(e, req.url, run.count, run.written, expired, at.status);
    const again =
        (!wroteNow || (req.idempotent && err.code === "CONNECTION_ERROR")) && err.code !== "TOO_LARGE" && !ownMaking;
    if (!again || run.count >= MAX_ATTEMPTS || expired) throw err;
    return err;
}

/** The error code undici or Node gives a failure (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, ...). */
function codeOf(e: unknown): string {
    const err = e as { code?: unknown; name?: string; cause?: { code?: unknown } };
    return String(
        typeof err.code === "string"
            ? err.code
            : typeof err.cause?.code === "string"
              ? err.cause.code
              : (err.name ?? "UNKNOWN"),
    );
}

/** The body as text, at most MAX_BODY_BYTES; the rest is never read. */
async function readBody(res: Awaited<ReturnType<typeof request>>): Promise<string> {
    const declared = res.headers["content-length"];
    if (declared !== undefined) {
        const bytes = Number(declared);
        if (bytes > MAX_BODY_BYTES) {
            res.body.destroy();
            throw new TooLargeError(bytes);
        }
        // A declared length within the cap: undici's parser holds the body to it.
        return res.body.text();
    }
    // Read by its events, not `for await`: an async iterator costs a promise per chunk and its own
    // machinery, which showed on the warm path (an answer without a length comes chunked).
    const body = res.body as unknown as NodeJS.ReadableStream & { destroy(): void };
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        body.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                body.removeAllListeners("data");
                body.destroy();
                reject(new TooLargeError(undefined));
                return;
            }
            chunks.push(chunk);
        });
        body.on("error", reject);
        body.on("end", () => resolve(Buffer.concat(chunks, size).toString("utf8")));
        // Closed with neither an end nor an error (destroyed quietly): the answer is cut short, as
        // `for await` reports it. After an end or an error this settles nothing.
        body.on("close", () =>
            reject(Object.assign(new Error("the answer ended early"), { code: "ERR_STREAM_PREMATURE_CLOSE" })),
        );
    });
}

function classify(
    e: unknown,
    url: URL,
    attempts: number,
    written: boolean,
    expired: boolean,
    status: number | undefined,
): HttpError {
    if (e instanceof TooLargeError) {
        return new HttpError(
            "TOO_LARGE",
            `${url.host} answered HTTP ${status} with ${e.message}; at most ${MAX_BODY_BYTES} are read`,
            true,
            "TOO_LARGE",
            attempts,
            status,
        );
    }
    const err = e as { message?: string };
    const code = expired ? "DEADLINE" : codeOf(e);
    if (TIMEOUTS.has(code)) {
        const phase =
            code === "UND_ERR_CONNECT_TIMEOUT" || (code === "DEADLINE" && !written) ? "connecting to" : "waiting for";
        return new HttpError("TIMEOUT", `timed out ${phase} ${url.host} (${code})`, written, code, attempts);
    }
    const what = NOT_SENT.has(code)
        ? `the request to ${url.host} could not be made`
        : CONNECT_PHASE.has(code) || !written
          ? `could not connect to ${url.host}`
          : `the connection to ${url.host} broke`;
    return new HttpError(
        "CONNECTION_ERROR",
        `${what} (${code}${err.message ? `: ${err.message.slice(0, 200)}` : ""})`,
        written,
        code,
        attempts,
    );
}
