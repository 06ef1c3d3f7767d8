// The HTTP layer's connection reuse, against a real server on 127.0.0.1 that counts connections.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { BlackHole } from "../../fakes/raw-upstream";
import { CONNECT_TIMEOUT_MS, HttpError, httpRequest, KEEP_ALIVE_MS, MIN_ATTEMPT_MS } from "./http";

let server: Server;
let connections = 0;
let requests = 0;
let url: URL;

beforeAll(async () => {
    server = createServer((req, res) => {
        requests++;
        // In flight long enough for a second request to be tried meanwhile (it is refused at once).
        if (req.url === "/slow") setTimeout(() => res.end("slow"), 100);
        else res.end("ok");
    });
    server.on("connection", () => connections++);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});
afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
});
afterEach(() => vi.useRealTimers());

const get = async () => {
    const res = await httpRequest({ method: "GET", url, deadline: Date.now() + 5_000, idempotent: true });
    // undici returns the socket to its pool a moment after the body ends, as between invocations.
    await new Promise((r) => setTimeout(r, 20));
    return res;
};

it("reuses the keep-alive connection between calls close together", async () => {
    const before = connections;
    await get();
    await get();
    expect(connections - before).toBe(1);
});

it("after an idle gap longer than the keep-alive (a frozen Lambda), never writes on the old socket", async () => {
    await get();
    const before = connections;
    // The clock moves on as if the container had been frozen; undici's own timers did not run.
    vi.setSystemTime(Date.now() + KEEP_ALIVE_MS + 60_000);
    const res = await get();
    expect(res.body).toBe("ok");
    expect(connections - before).toBe(1);
});

it("refuses a second request while one is in flight (one deadline per container), and the first still ends well", async () => {
    const first = httpRequest({
        method: "GET",
        url: new URL("/slow", url),
        deadline: Date.now() + 5_000,
        idempotent: true,
    });
    await expect(httpRequest({ method: "GET", url, deadline: Date.now() + 5_000, idempotent: true })).rejects.toThrow(
        /another request is in flight/,
    );
    expect((await first).body).toBe("slow");
    // Settled: the next one goes.
    expect((await get()).body).toBe("ok");
});

it("a request of its own making that cannot be made (a bad header) was not sent, and is not retried", async () => {
    const before = requests;
    const err = (await httpRequest({
        method: "POST",
        url,
        headers: { "x-bad": "a\r\nb" },
        body: "x",
        deadline: Date.now() + 5_000,
        idempotent: false,
    }).catch((e) => e)) as HttpError;
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ code: "CONNECTION_ERROR", maybeDelivered: false, attempts: 1 });
    expect(err.message).toMatch(/could not be made/);
    expect(requests - before).toBe(0);
});

it("a URL that is not http(s) is refused before anything is sent", async () => {
    const err = (await httpRequest({
        method: "GET",
        url: new URL("ftp://127.0.0.1/"),
        deadline: Date.now() + 5_000,
        idempotent: true,
    }).catch((e) => e)) as HttpError;
    expect(err).toMatchObject({ code: "CONNECTION_ERROR", maybeDelivered: false, attempts: 0 });
});

describe("connects against an address that drops SYNs end at their own budget, to the millisecond", () => {
    const hole = new BlackHole();
    let holeUrl: URL;
    beforeAll(async () => {
        holeUrl = new URL(`${await hole.start()}/send/`);
    });
    afterAll(async () => {
        // Nothing of ours got through the full accept queue.
        expect(await hole.finish()).toEqual({ accepted: 2, sends: 0 });
    });

    const post = (ms: number) => {
        const started = Date.now();
        return httpRequest({ method: "POST", url: holeUrl, body: "x", deadline: started + ms, idempotent: false }).then(
            () => {
                throw new Error("expected a failure");
            },
            (e: HttpError) => ({ err: e, took: Date.now() - started }),
        );
    };

    it("one connect with less than 3 s left gets the time left less 200 ms: its own timeout is reported", async () => {
        const { err, took } = await post(1_000);
        expect(err).toMatchObject({
            code: "TIMEOUT",
            reason: "UND_ERR_CONNECT_TIMEOUT",
            attempts: 1,
            maybeDelivered: false,
        });
        // ~800 ms (undici's own connect timer would have fired after about a second, or later).
        expect(took).toBeGreaterThanOrEqual(1_000 - MIN_ATTEMPT_MS - 20);
        expect(took).toBeLessThan(1_000 - MIN_ATTEMPT_MS + 120);
    });

    it("a second attempt gets only what is left (~600 ms), and its failure is the one reported", async () => {
        const budget = CONNECT_TIMEOUT_MS + 900;
        const { err, took } = await post(budget);
        expect(err).toMatchObject({
            code: "TIMEOUT",
            reason: "UND_ERR_CONNECT_TIMEOUT",
            attempts: 2,
            maybeDelivered: false,
        });
        expect(err.message).toMatch(/^timed out connecting to 127\.0\.0\.1:\d+ \(UND_ERR_CONNECT_TIMEOUT\)$/);
        // 3 s, a 100 ms pause, then 3,900 - 3,100 - 200 ≈ 600 ms: done 200 ms before the deadline.
        expect(took).toBeGreaterThanOrEqual(budget - MIN_ATTEMPT_MS - 50);
        expect(took).toBeLessThan(budget - MIN_ATTEMPT_MS + 150);
    });
});
