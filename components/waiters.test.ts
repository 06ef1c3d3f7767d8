// The two deploy-time waits against a fake EC2 endpoint on 127.0.0.1 (AWS_ENDPOINT_URL_EC2, SigV4
// checked), in this process and, for the providers, serialized and run in a separate process the
// way the Pulumi CLI runs a dynamic provider.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callInHost, serializeProvider } from "../testing/dynamic-host";
import { FakeEc2 } from "../testing/fakes/ec2";
import { TEST_CREDENTIALS, TEST_REGION } from "../testing/fakes/sigv4";
import {
    classifyError,
    judgeReading,
    lambdaEniReleaseProvider,
    natReadinessProvider,
    waitForLambdaEnisReleased,
    waitForNatReady,
    type StatusReading,
} from "./waiters";

const ec2 = new FakeEc2();
const saved = { ...process.env };
/** The environment of a deployer whose credentials the fake accepts, and nothing else of AWS. */
let deployer: Record<string, string | undefined>;
const ID = "i-0123456789abcdef0";

beforeAll(async () => {
    await ec2.start();
    for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
    deployer = {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL_EC2: ec2.endpoint,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONFIG_FILE: "/nonexistent/aws-config",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    };
    Object.assign(process.env, deployer);
});

afterAll(async () => {
    await ec2.stop();
    process.env = saved;
});

beforeEach(() => ec2.reset());

const running = (instance: string, system: string) => ({ state: "running" as const, instance, system });
const fast = { region: TEST_REGION, pollMs: 10, notFoundGraceMs: 100 };

describe("judgeReading", () => {
    const r = (state: string, instanceCheck: string, systemCheck: string, failed: string[] = []): StatusReading => ({ state, instanceCheck, systemCheck, failed });
    it.each([
        [r("pending", "not-applicable", "not-applicable"), "wait"],
        [r("running", "initializing", "initializing"), "wait"],
        [r("running", "ok", "initializing"), "wait"],
        [r("running", "insufficient-data", "ok"), "wait"],
        [r("running", "ok", "ok"), "ready"],
        [r("running", "impaired", "ok"), "fail"],
        [r("running", "ok", "impaired"), "fail"],
        [r("stopped", "not-applicable", "not-applicable"), "fail"],
        [r("terminated", "not-applicable", "not-applicable"), "fail"],
        [r("shutting-down", "not-applicable", "not-applicable"), "fail"],
    ])("%j → %s", (reading, kind) => expect(judgeReading(reading).kind).toBe(kind));

    it("names what failed", () => {
        expect(judgeReading(r("running", "impaired", "impaired", ["reachability: failed"]))).toEqual({
            kind: "fail",
            why: "failed its EC2 instance and system status checks (reachability: failed)",
        });
    });
});

describe("waitForNatReady", () => {
    it("returns once both status checks are ok, not when the instance is merely running", async () => {
        ec2.instances.set(ID, [{ state: "pending", instance: "not-applicable", system: "not-applicable" }, running("initializing", "initializing"), running("ok", "initializing"), running("ok", "ok")]);
        const result = await waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 5_000 });
        expect(result.readings).toBe(4);
        expect(ec2.requests).toHaveLength(4);
        for (const q of ec2.requests) {
            expect(q).toMatchObject({ action: "DescribeInstanceStatus", signatureValid: true });
            expect(q.params).toMatchObject({ "InstanceId.1": ID, IncludeAllInstances: "true" });
        }
    });

    it.each([
        [running("impaired", "ok"), /failed its EC2 instance status check \(reachability: failed\)/],
        [running("ok", "impaired"), /failed its EC2 system status check \(reachability: failed\)/],
        [{ state: "terminated" as const, instance: "not-applicable", system: "not-applicable" }, /is terminated/],
        [{ state: "stopped" as const, instance: "not-applicable", system: "not-applicable" }, /is stopped/],
    ])("fails at once on %j, naming the instance and where to look", async (answer, why) => {
        ec2.instances.set(ID, [answer]);
        const err = await waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 5_000 }).catch((e: Error) => e);
        expect(err).toBeInstanceOf(Error);
        const message = (err as Error).message;
        expect(message).toMatch(new RegExp(`^NAT instance ${ID} \\(ap-northeast-2\\) `));
        expect(message).toMatch(why);
        expect(message).toContain(`aws ec2 get-console-output --instance-id ${ID} --region ap-northeast-2 --latest --output text`);
        expect(message).toContain("Nothing was moved to this instance");
        expect(ec2.requests).toHaveLength(1);
    });

    it("takes 'no such instance' right after the create for EC2's eventual consistency", async () => {
        ec2.instances.set(ID, [{ error: "InvalidInstanceID.NotFound" }, { error: "InvalidInstanceID.NotFound" }, running("ok", "ok")]);
        await expect(waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 5_000, notFoundGraceMs: 5_000 })).resolves.toMatchObject({ readings: 1 });
    });

    it("an instance that stays unknown is gone", async () => {
        const started = Date.now();
        const err = (await waitForNatReady({ ...fast, instanceId: "i-0000000000000dead", timeoutMs: 5_000 }).catch((e) => e)) as Error;
        expect(err.message).toMatch(/^NAT instance i-0000000000000dead \(ap-northeast-2\) does not exist \(InvalidInstanceID\.NotFound\)/);
        expect(Date.now() - started).toBeLessThan(2_000);
    });

    it("an instance EC2 no longer lists is gone", async () => {
        ec2.instances.set(ID, ["unlisted"]);
        await expect(waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 5_000 })).rejects.toThrow(/is not known to EC2/);
    });

    it("gives up at its deadline when the checks stay initializing, with the last reading", async () => {
        ec2.instances.set(ID, [running("initializing", "ok")]);
        const started = Date.now();
        const err = (await waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 400 }).catch((e) => e)) as Error;
        const took = Date.now() - started;
        expect(err.message).toMatch(/did not pass its EC2 status checks within 0\.4 seconds \(last reading: state running, instance check initializing, system check ok\)/);
        expect(err.message).toContain("then run `pulumi up` again: it waits for the instance again");
        expect(took).toBeGreaterThanOrEqual(390);
        expect(took).toBeLessThan(1_500);
    });

    it("a request EC2 never answers still ends by the deadline", async () => {
        ec2.instances.set(ID, ["hang"]);
        const started = Date.now();
        const err = (await waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 500 }).catch((e) => e)) as Error;
        expect(err.message).toMatch(/did not pass its EC2 status checks within 0\.5 seconds \(last reading: no status reported yet; last error: EC2 did not answer in time\)/);
        expect(Date.now() - started).toBeLessThan(1_500);
        expect(ec2.requests).toHaveLength(1);
    });

    it("waits out throttling and server errors", async () => {
        ec2.instances.set(ID, [{ error: "RequestLimitExceeded", status: 503 }, { error: "InternalError", status: 500 }, { error: "InternalError", status: 500 }, running("ok", "ok")]);
        await expect(waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 10_000 })).resolves.toMatchObject({ readings: 1 });
    });

    it.each(["CredentialsProviderError", "TokenProviderError", "ProviderError", "UnauthorizedOperation", "AuthFailure", "ExpiredToken"])("%s is not waited out", (name) => {
        expect(classifyError(Object.assign(new Error("x"), { name })).kind).toBe("fatal");
    });

    it.each(["RequestLimitExceeded", "InternalError", "TimeoutError", "AbortError", "Error"])("%s is waited out", (name) => {
        expect(classifyError(Object.assign(new Error("x"), { name })).kind).toBe("transient");
    });

    it("credentials that may not read the instance fail at once, naming the permission", async () => {
        ec2.instances.set(ID, [{ error: "UnauthorizedOperation", message: "You are not authorized to perform this operation." }]);
        const err = (await waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 5_000 }).catch((e) => e)) as Error;
        expect(err.message).toMatch(/^Cannot read the status of NAT instance i-0123456789abcdef0 \(ap-northeast-2\): UnauthorizedOperation: You are not authorized/);
        expect(err.message).toContain("need ec2:DescribeInstanceStatus");
        expect(ec2.requests).toHaveLength(1);
    });
});

describe("the readiness gate's provider, serialized and run as the Pulumi CLI runs it", () => {
    let text: string;
    beforeAll(async () => {
        text = await serializeProvider(natReadinessProvider);
    });

    it("create waits for the checks and records the instance", async () => {
        ec2.instances.set(ID, [running("initializing", "initializing"), running("ok", "ok")]);
        // One reading every 10 s by default: the second reading comes after one pause.
        const call = await callInHost(text, "create", [{ instanceId: ID, region: TEST_REGION, profile: "", timeoutSeconds: 60 }], deployer);
        expect(call.error).toBeUndefined();
        expect(call.result).toMatchObject({ id: `${ID}-ready`, outs: { instanceId: ID, region: TEST_REGION, readings: 2 } });
        expect(call.ms).toBeGreaterThanOrEqual(9_000);
        expect(ec2.requests.every((q) => q.signatureValid)).toBe(true);
    }, 30_000);

    it("create fails with the diagnosis when the instance is impaired", async () => {
        ec2.instances.set(ID, [running("impaired", "ok")]);
        const call = await callInHost(text, "create", [{ instanceId: ID, region: TEST_REGION, profile: "", timeoutSeconds: 60 }], deployer);
        expect(call.error).toMatch(/failed its EC2 instance status check/);
    });

    it("with no AWS credentials at all, says so at once and never calls EC2", async () => {
        const { AWS_ACCESS_KEY_ID: _a, AWS_SECRET_ACCESS_KEY: _s, ...bare } = deployer;
        const call = await callInHost(text, "create", [{ instanceId: ID, region: TEST_REGION, profile: "", timeoutSeconds: 60 }], bare);
        expect(call.error).toMatch(/^Cannot read the status of NAT instance .*: CredentialsProviderError: .*default AWS credential chain/);
        expect(call.ms).toBeLessThan(5_000);
        expect(ec2.requests).toEqual([]);
    });

    it("diff: the same instance is no change (nothing waits); another instance replaces the gate", async () => {
        const old = { instanceId: ID, region: TEST_REGION, profile: "", timeoutSeconds: 600, readyAt: "2026-11-25T00:00:00.000Z" };
        expect((await callInHost(text, "diff", ["x", old, { ...old, timeoutSeconds: 900 }], deployer)).result).toEqual({ changes: false, replaces: [] });
        expect((await callInHost(text, "diff", ["x", old, { ...old, instanceId: "i-0fedcba9876543210" }], deployer)).result).toEqual({ changes: true, replaces: ["instanceId"] });
        expect(ec2.requests).toEqual([]);
    });
});

describe("waitForLambdaEnisReleased", () => {
    const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];
    const eni = (id: string, status: "in-use" | "available", subnetId = SUBNETS[0], description = `AWS Lambda VPC ENI-aligo-sms-dev-sms-${id}`) => ({ id, subnetId, status, description });

    it("returns once no Lambda interface in the subnets is in use, reading every page", async () => {
        ec2.eniTimeline = [
            [eni("eni-1", "in-use"), eni("eni-2", "in-use", SUBNETS[1]), eni("eni-3", "available")],
            [eni("eni-1", "in-use"), eni("eni-2", "available", SUBNETS[1]), eni("eni-3", "available")],
            [eni("eni-2", "available", SUBNETS[1]), eni("eni-3", "available")],
        ];
        const result = await waitForLambdaEnisReleased({ ...fast, subnetIds: SUBNETS, timeoutMs: 5_000 });
        expect(result.available).toBe(2);
        // The subnets are checked once, first.
        expect(ec2.requests[0].params).toMatchObject({ Action: "DescribeSubnets", "SubnetId.1": SUBNETS[0], "SubnetId.2": SUBNETS[1] });
        expect(ec2.requests.filter((q) => q.action === "DescribeSubnets")).toHaveLength(1);
        const eniRequests = ec2.requests.filter((q) => q.action === "DescribeNetworkInterfaces");
        const first = eniRequests[0].params;
        expect(first).toMatchObject({
            Action: "DescribeNetworkInterfaces",
            "Filter.1.Name": "subnet-id", "Filter.1.Value.1": SUBNETS[0], "Filter.1.Value.2": SUBNETS[1],
            "Filter.2.Name": "description", "Filter.2.Value.1": "AWS Lambda VPC ENI*",
        });
        // Three readings; the first two had a second page.
        expect(eniRequests.filter((q) => !q.params.NextToken)).toHaveLength(3);
        expect(eniRequests.filter((q) => q.params.NextToken)).toHaveLength(2);
    });

    it("ignores interfaces in other subnets and interfaces that are not Lambda's", async () => {
        ec2.eniTimeline = [[eni("eni-9", "in-use", "subnet-0bbbbbbbbbbbbbbb9"), eni("eni-8", "in-use", SUBNETS[0], "NAT instance")]];
        await expect(waitForLambdaEnisReleased({ ...fast, subnetIds: SUBNETS, timeoutMs: 5_000 })).resolves.toEqual({ available: 0, waitedSeconds: 0 });
    });

    it("gives up at its deadline naming the interfaces still in use, and says the roles are kept", async () => {
        ec2.eniTimeline = [[eni("eni-1", "in-use")]];
        const err = (await waitForLambdaEnisReleased({ ...fast, subnetIds: SUBNETS, timeoutMs: 300 }).catch((e) => e)) as Error;
        expect(err.message).toMatch(/^Lambda has not released its network interfaces in subnet-0aaaaaaaaaaaaaaa1, subnet-0aaaaaaaaaaaaaaa2 \(ap-northeast-2\) after 0\.3 seconds: still in use: eni-1 \(AWS Lambda VPC ENI-aligo-sms-dev-sms-eni-1\)/);
        expect(err.message).toContain("The functions' roles are kept until then");
        expect(err.message).toContain("Run `pulumi destroy` again later");
    });

    it("a permission problem fails at once, naming the permission", async () => {
        ec2.eniTimeline = [{ error: "UnauthorizedOperation", message: "You are not authorized to perform this operation." }];
        await expect(waitForLambdaEnisReleased({ ...fast, subnetIds: SUBNETS, timeoutMs: 5_000 })).rejects.toThrow(/UnauthorizedOperation.*need ec2:DescribeSubnets and ec2:DescribeNetworkInterfaces/);
        expect(ec2.requests.map((q) => q.action)).toEqual(["DescribeSubnets", "DescribeNetworkInterfaces"]);
    });

    it("refuses to decide when these credentials cannot see the subnets (another account): it would find no interfaces and let the roles go", async () => {
        ec2.subnets = new Set([SUBNETS[0]]);
        ec2.eniTimeline = [[]];
        const err = (await waitForLambdaEnisReleased({ ...fast, subnetIds: SUBNETS, timeoutMs: 5_000 }).catch((e) => e)) as Error;
        expect(err.message).toMatch(/^The functions' subnets subnet-0aaaaaaaaaaaaaaa1, subnet-0aaaaaaaaaaaaaaa2 are not visible to these credentials in ap-northeast-2 \(InvalidSubnetID\.NotFound\): they are for another account/);
        expect(err.message).toContain("The roles are kept");
        expect(ec2.requests.map((q) => q.action)).toEqual(["DescribeSubnets"]);
    });

    describe("its provider, serialized and run as the Pulumi CLI runs it", () => {
        let text: string;
        beforeAll(async () => {
            text = await serializeProvider(lambdaEniReleaseProvider);
        });
        const props = { subnetIds: SUBNETS, region: TEST_REGION, profile: "", timeoutSeconds: 60 };

        it("create and diff call nothing; delete returns once Lambda has let go", async () => {
            expect((await callInHost(text, "create", [props], deployer)).result).toEqual({ id: "lambda-eni-release-ap-northeast-2", outs: props });
            expect((await callInHost(text, "diff", ["x", props, { ...props }], deployer)).result).toEqual({ changes: false });
            expect((await callInHost(text, "diff", ["x", props, { ...props, subnetIds: [...SUBNETS, "subnet-0aaaaaaaaaaaaaaa3"] }], deployer)).result).toEqual({ changes: true });
            expect(ec2.requests).toEqual([]);

            ec2.eniTimeline = [[eni("eni-3", "available")]];
            const del = await callInHost(text, "delete", ["lambda-eni-release-ap-northeast-2", props], deployer);
            expect(del.error).toBeUndefined();
            expect(ec2.requests.map((q) => q.action)).toEqual(["DescribeSubnets", "DescribeNetworkInterfaces"]);
        });
    });
});
