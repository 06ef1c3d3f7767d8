// A fake EC2 Query API endpoint on 127.0.0.1, the one the AWS SDK reaches through
// AWS_ENDPOINT_URL_EC2. It checks every request's SigV4 signature, parses the form body as EC2
// does, and answers DescribeInstanceStatus and DescribeNetworkInterfaces in EC2's XML from a
// script per instance (a sequence of readings, errors, or a request it never answers).
import type { IncomingMessage, ServerResponse } from "node:http";
import { FakeEndpoint } from "./endpoint";
import { TEST_CREDENTIALS, signedBy, type FakeCredentials } from "./sigv4";

export interface FakeStatus {
    state: "pending" | "running" | "stopping" | "stopped" | "shutting-down" | "terminated";
    instance: string;
    system: string;
}

/** One answer: a reading, an EC2 error, "not listed" (empty set), or no answer at all. */
export type Ec2Answer = FakeStatus | { error: string; message?: string; status?: number } | "unlisted" | "hang";

export interface FakeEni {
    id: string;
    subnetId: string;
    status: "in-use" | "available";
    description: string;
}

export interface Ec2Request {
    action: string;
    params: Record<string, string>;
    signatureValid: boolean;
    /** The access key id that signed it, when one of the accepted credentials did. */
    accessKeyId?: string;
    at: number;
}

const STATE_CODES: Record<string, number> = {
    pending: 0,
    running: 16,
    "shutting-down": 32,
    terminated: 48,
    stopping: 64,
    stopped: 80,
};

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const check = (status: string) =>
    `<status>${status}</status><details><item><name>reachability</name><status>${status === "ok" ? "passed" : status === "impaired" ? "failed" : status}</status></item></details>`;

export class FakeEc2 extends FakeEndpoint {
    readonly requests: Ec2Request[] = [];
    /** Per instance id: the answers to successive DescribeInstanceStatus calls (the last repeats). */
    readonly instances = new Map<string, Ec2Answer[]>();
    /** Successive answers to DescribeNetworkInterfaces: the interfaces that exist then (the last repeats). */
    eniTimeline: (FakeEni[] | { error: string; message?: string; status?: number })[] = [[]];
    /** Interfaces per page, to make the client follow NextToken. */
    eniPageSize = 2;
    /** Subnets that exist for these credentials; undefined = any subnet asked about exists. */
    subnets?: Set<string>;
    /** The credentials EC2 takes (read at each request, so a fake STS's issued ones can be named); by default the test deployer's. */
    accepts: () => readonly FakeCredentials[] = () => [TEST_CREDENTIALS];
    private readonly calls = new Map<string, number>();
    private eniNow?: FakeEni[] | { error: string; message?: string; status?: number };
    /** Bumped by reset(): a request that arrived before (e.g. one a test's deadline aborted) is dropped, not counted in the next test. */
    private epoch = 0;

    reset(): void {
        // A request of the previous test may still sit, unread, in a socket (a client aborted it at
        // its deadline just after writing it): closing every connection drops it, and one already
        // being handled is dropped by the epoch check.
        this.epoch++;
        this.releaseHung();
        this.server?.closeAllConnections();
        this.requests.length = 0;
        this.instances.clear();
        this.calls.clear();
        this.eniTimeline = [[]];
        this.eniPageSize = 2;
        this.eniNow = undefined;
        this.subnets = undefined;
        this.accepts = () => [TEST_CREDENTIALS];
    }

    private next<T>(key: string, list: T[]): T {
        const n = this.calls.get(key) ?? 0;
        this.calls.set(key, n + 1);
        return list[Math.min(n, list.length - 1)];
    }

    protected async handle(req: IncomingMessage, res: ServerResponse) {
        const epoch = this.epoch;
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks);
        const params = Object.fromEntries(new URLSearchParams(body.toString("utf8")));
        const signer = await signedBy(req, body, "ec2", this.accepts());
        const valid = signer !== undefined;
        if (epoch !== this.epoch) {
            res.destroy();
            return;
        }
        this.requests.push({
            action: params.Action,
            params,
            signatureValid: valid,
            accessKeyId: signer?.accessKeyId,
            at: Date.now(),
        });
        if (!valid)
            return this.error(res, 401, "AuthFailure", "AWS was not able to validate the provided access credentials");
        switch (params.Action) {
            case "DescribeInstanceStatus":
                return this.describeInstanceStatus(params, res);
            case "DescribeNetworkInterfaces":
                return this.describeNetworkInterfaces(params, res);
            case "DescribeSubnets": {
                const ids = Object.entries(params)
                    .filter(([k]) => k.startsWith("SubnetId."))
                    .map(([, v]) => v);
                const missing = ids.find((id) => this.subnets && !this.subnets.has(id));
                if (missing)
                    return this.error(
                        res,
                        400,
                        "InvalidSubnetID.NotFound",
                        `The subnet ID '${missing}' does not exist`,
                    );
                const items = ids
                    .map((id) => `<item><subnetId>${id}</subnetId><state>available</state></item>`)
                    .join("");
                return this.xml(res, "DescribeSubnetsResponse", `<subnetSet>${items}</subnetSet>`);
            }
            default:
                return this.error(
                    res,
                    400,
                    "InvalidAction",
                    `The action ${params.Action} is not valid for this web service.`,
                );
        }
    }

    private describeInstanceStatus(params: Record<string, string>, res: ServerResponse) {
        const id = params["InstanceId.1"];
        const script = this.instances.get(id);
        if (!script)
            return this.error(res, 400, "InvalidInstanceID.NotFound", `The instance ID '${id}' does not exist`);
        const answer = this.next(id, script);
        if (answer === "hang") {
            this.hung.add(res);
            return;
        }
        if (typeof answer === "object" && "error" in answer)
            return this.error(res, answer.status ?? 400, answer.error, answer.message ?? answer.error);
        let items = "";
        if (answer !== "unlisted") {
            items =
                `<item><instanceId>${id}</instanceId><availabilityZone>ap-northeast-2a</availabilityZone>` +
                `<instanceState><code>${STATE_CODES[answer.state]}</code><name>${answer.state}</name></instanceState>` +
                `<systemStatus>${check(answer.system)}</systemStatus><instanceStatus>${check(answer.instance)}</instanceStatus></item>`;
        }
        this.xml(res, "DescribeInstanceStatusResponse", `<instanceStatusSet>${items}</instanceStatusSet>`);
    }

    private describeNetworkInterfaces(params: Record<string, string>, res: ServerResponse) {
        // A new reading starts without NextToken; its further pages come from the same moment.
        if (!params.NextToken) this.eniNow = this.next("enis", this.eniTimeline);
        const answer = this.eniNow ?? [];
        if (!Array.isArray(answer))
            return this.error(res, answer.status ?? 400, answer.error, answer.message ?? answer.error);
        // Filter.N.Name / Filter.N.Value.M, as EC2 reads them.
        const filters: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(params)) {
            const m = /^Filter\.(\d+)\.Name$/.exec(k);
            if (m)
                filters[v] = Object.entries(params)
                    .filter(([k2]) => k2.startsWith(`Filter.${m[1]}.Value.`))
                    .map(([, v2]) => v2);
        }
        const glob = (g: string, s: string) =>
            new RegExp(
                `^${g
                    .split("*")
                    .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
                    .join(".*")}$`,
            ).test(s);
        const matching = answer.filter(
            (n) =>
                (filters["subnet-id"] ?? [n.subnetId]).includes(n.subnetId) &&
                (filters.description ?? ["*"]).some((g) => glob(g, n.description)),
        );
        const start = Number(params.NextToken ?? 0);
        const page = matching.slice(start, start + this.eniPageSize);
        const next =
            start + this.eniPageSize < matching.length ? `<nextToken>${start + this.eniPageSize}</nextToken>` : "";
        const items = page
            .map(
                (n) =>
                    `<item><networkInterfaceId>${n.id}</networkInterfaceId><subnetId>${n.subnetId}</subnetId><description>${xmlEscape(n.description)}</description><status>${n.status}</status><interfaceType>lambda</interfaceType></item>`,
            )
            .join("");
        this.xml(
            res,
            "DescribeNetworkInterfacesResponse",
            `<networkInterfaceSet>${items}</networkInterfaceSet>${next}`,
        );
    }

    private xml(res: ServerResponse, root: string, inner: string) {
        res.writeHead(200, { "content-type": "text/xml;charset=UTF-8" }).end(
            `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake-${this.requests.length}</requestId>${inner}</${root}>`,
        );
    }

    private error(res: ServerResponse, status: number, code: string, message: string) {
        res.writeHead(status, { "content-type": "text/xml;charset=UTF-8" }).end(
            `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>fake-${this.requests.length}</RequestID></Response>`,
        );
    }
}

/** The vitest hooks {@link fakeEc2ForTests} needs (passed in, so this module does not import vitest). */
export interface TestHooks {
    beforeAll(fn: () => unknown): void;
    afterAll(fn: () => unknown): void;
    beforeEach(fn: () => unknown): void;
}

/**
 * A FakeEc2 for one test file: started before its tests, reset before each, stopped after. Meanwhile
 * this process's environment is a deployer's whose credentials the fake accepts, and nothing else
 * of AWS; `deployer()` is that environment, to hand to a child process.
 */
export function fakeEc2ForTests(hooks: TestHooks): {
    ec2: FakeEc2;
    deployer: () => Record<string, string | undefined>;
} {
    const ec2 = new FakeEc2();
    const saved = { ...process.env };
    let env: Record<string, string | undefined> = {};
    hooks.beforeAll(async () => {
        await ec2.start();
        for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
        env = {
            PATH: process.env.PATH,
            AWS_ENDPOINT_URL_EC2: ec2.endpoint,
            AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_CONFIG_FILE: "/nonexistent/aws-config",
            AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
        };
        Object.assign(process.env, env);
    });
    hooks.afterAll(async () => {
        await ec2.stop();
        process.env = saved;
    });
    hooks.beforeEach(() => ec2.reset());
    return { ec2, deployer: () => env };
}
