// The NAT readiness gate against a fake EC2 endpoint on 127.0.0.1 (AWS_ENDPOINT_URL_EC2, SigV4
// checked), in this process and, for its provider, serialized and run in a separate process the
// way the Pulumi CLI runs a dynamic provider.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callInHost, programFolderWith, serializeProvider } from "../testing/dynamic-host";
import { fakeEc2ForTests } from "../fakes/ec2";
import { TEST_REGION } from "../fakes/sigv4";
import { judgeReading, natReadinessProvider, waitForNatReady, type StatusReading } from "./nat/readiness";
import { classifyError } from "./waiters";

/** `deployer()`: the environment of a deployer whose credentials the fake accepts, and nothing else of AWS. */
const { ec2, deployer } = fakeEc2ForTests({ beforeAll, afterAll, beforeEach });
const ID = "i-0123456789abcdef0";

const running = (instance: string, system: string) => ({ state: "running" as const, instance, system });
const fast = { region: TEST_REGION, pollMs: 10, notFoundGraceMs: 100 };

describe("judgeReading", () => {
    const r = (state: string, instanceCheck: string, systemCheck: string, failed: string[] = []): StatusReading => ({
        state,
        instanceCheck,
        systemCheck,
        failed,
    });
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
        ec2.instances.set(ID, [
            { state: "pending", instance: "not-applicable", system: "not-applicable" },
            running("initializing", "initializing"),
            running("ok", "initializing"),
            running("ok", "ok"),
        ]);
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
        expect(message).toContain(
            `aws ec2 get-console-output --instance-id ${ID} --region ap-northeast-2 --latest --output text`,
        );
        expect(message).toContain("Nothing was moved to this instance");
        expect(ec2.requests).toHaveLength(1);
    });

    it("takes 'no such instance' right after the create for EC2's eventual consistency", async () => {
        ec2.instances.set(ID, [
            { error: "InvalidInstanceID.NotFound" },
            { error: "InvalidInstanceID.NotFound" },
            running("ok", "ok"),
        ]);
        await expect(
            waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 5_000, notFoundGraceMs: 5_000 }),
        ).resolves.toMatchObject({ readings: 1 });
    });

    it("an instance that stays unknown is gone", async () => {
        const started = Date.now();
        const err = (await waitForNatReady({ ...fast, instanceId: "i-0000000000000dead", timeoutMs: 5_000 }).catch(
            (e) => e,
        )) as Error;
        expect(err.message).toMatch(
            /^NAT instance i-0000000000000dead \(ap-northeast-2\) does not exist \(InvalidInstanceID\.NotFound\)/,
        );
        expect(Date.now() - started).toBeLessThan(2_000);
    });

    it("an instance EC2 no longer lists is gone", async () => {
        ec2.instances.set(ID, ["unlisted"]);
        await expect(waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 5_000 })).rejects.toThrow(
            /is not known to EC2/,
        );
    });

    it("gives up at its deadline when the checks stay initializing, with the last reading", async () => {
        ec2.instances.set(ID, [running("initializing", "ok")]);
        const started = Date.now();
        const err = (await waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 400 }).catch((e) => e)) as Error;
        const took = Date.now() - started;
        expect(err.message).toMatch(
            /did not pass its EC2 status checks within 0\.4 seconds \(last reading: state running, instance check initializing, system check ok\)/,
        );
        expect(err.message).toContain("then run `pulumi up` again: it waits for the instance again");
        expect(took).toBeGreaterThanOrEqual(390);
        expect(took).toBeLessThan(1_500);
    });

    it("a request EC2 never answers still ends by the deadline", async () => {
        ec2.instances.set(ID, ["hang"]);
        const started = Date.now();
        const err = (await waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 500 }).catch((e) => e)) as Error;
        expect(err.message).toMatch(
            /did not pass its EC2 status checks within 0\.5 seconds \(last reading: no status reported yet; last error: EC2 did not answer in time\)/,
        );
        expect(Date.now() - started).toBeLessThan(1_500);
        expect(ec2.requests).toHaveLength(1);
    });

    it("waits out throttling and server errors", async () => {
        ec2.instances.set(ID, [
            { error: "RequestLimitExceeded", status: 503 },
            { error: "InternalError", status: 500 },
            { error: "InternalError", status: 500 },
            running("ok", "ok"),
        ]);
        await expect(waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 10_000 })).resolves.toMatchObject({
            readings: 1,
        });
    });

    it.each([
        "CredentialsProviderError",
        "TokenProviderError",
        "ProviderError",
        "UnauthorizedOperation",
        "AuthFailure",
        "ExpiredToken",
    ])("%s is not waited out", (name) => {
        expect(classifyError(Object.assign(new Error("x"), { name })).kind).toBe("fatal");
    });

    it.each(["RequestLimitExceeded", "InternalError", "TimeoutError", "AbortError", "Error"])(
        "%s is waited out",
        (name) => {
            expect(classifyError(Object.assign(new Error("x"), { name })).kind).toBe("transient");
        },
    );

    it("credentials that may not read the instance fail at once, naming the permission", async () => {
        ec2.instances.set(ID, [
            { error: "UnauthorizedOperation", message: "You are not authorized to perform this operation." },
        ]);
        const err = (await waitForNatReady({ ...fast, instanceId: ID, timeoutMs: 5_000 }).catch((e) => e)) as Error;
        expect(err.message).toMatch(
            /^Cannot read the status of NAT instance i-0123456789abcdef0 \(ap-northeast-2\): UnauthorizedOperation: You are not authorized/,
        );
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
        const call = await callInHost(
            text,
            "create",
            [{ instanceId: ID, region: TEST_REGION, timeoutSeconds: 60 }],
            deployer(),
        );
        expect(call.error).toBeUndefined();
        expect(call.result).toMatchObject({
            id: `${ID}-ready`,
            outs: { instanceId: ID, region: TEST_REGION, readings: 2 },
        });
        expect(call.ms).toBeGreaterThanOrEqual(9_000);
        expect(ec2.requests.every((q) => q.signatureValid)).toBe(true);
    }, 30_000);

    it("create fails with the diagnosis when the instance is impaired", async () => {
        ec2.instances.set(ID, [running("impaired", "ok")]);
        const call = await callInHost(
            text,
            "create",
            [{ instanceId: ID, region: TEST_REGION, timeoutSeconds: 60 }],
            deployer(),
        );
        expect(call.error).toMatch(/failed its EC2 instance status check/);
    });

    it("with no AWS credentials at all, says so at once and never calls EC2", async () => {
        const { AWS_ACCESS_KEY_ID: _a, AWS_SECRET_ACCESS_KEY: _s, ...bare } = deployer();
        const call = await callInHost(
            text,
            "create",
            [{ instanceId: ID, region: TEST_REGION, timeoutSeconds: 60 }],
            bare,
        );
        expect(call.error).toMatch(
            /^Cannot read the status of NAT instance .*: CredentialsProviderError: .*default AWS credential chain/,
        );
        expect(call.ms).toBeLessThan(5_000);
        expect(ec2.requests).toEqual([]);
    });

    it("run from a program folder without @aws-sdk/client-ec2 (a consumer whose SDK brought only @pulumi/pulumi): fails at once in one line, naming the package and the npm command", async () => {
        const folder = programFolderWith(["@pulumi/pulumi"]);
        try {
            ec2.instances.set(ID, [running("ok", "ok")]);
            const call = await callInHost(
                text,
                "create",
                [{ instanceId: ID, region: TEST_REGION, timeoutSeconds: 60 }],
                deployer(),
                folder,
            );
            expect(call.error).toMatch(
                /^The NAT instance's readiness check needs the npm package @aws-sdk\/client-ec2 in the Pulumi program's folder \(.+\), where Pulumi runs it from/,
            );
            expect(call.error).toContain("`npm install @aws-sdk/client-ec2@3.1164.0`");
            expect(call.error).not.toContain("\n");
            expect(ec2.requests).toEqual([]);
            // The same call from this repository's folder, which has the package, works.
            expect(
                (
                    await callInHost(
                        text,
                        "create",
                        [{ instanceId: ID, region: TEST_REGION, timeoutSeconds: 60 }],
                        deployer(),
                    )
                ).error,
            ).toBeUndefined();
        } finally {
            rmSync(folder, { recursive: true, force: true });
        }
    });

    it("diff: the same instance is no change (nothing waits); another instance replaces the gate", async () => {
        const old = {
            instanceId: ID,
            region: TEST_REGION,

            timeoutSeconds: 600,
            readyAt: "2026-11-25T00:00:00.000Z",
        };
        expect(
            (await callInHost(text, "diff", ["x", old, { ...old, timeoutSeconds: 900 }], deployer())).result,
        ).toEqual({ changes: false, replaces: [] });
        expect(
            (await callInHost(text, "diff", ["x", old, { ...old, instanceId: "i-0fedcba9876543210" }], deployer()))
                .result,
        ).toEqual({ changes: true, replaces: ["instanceId"] });
        expect(ec2.requests).toEqual([]);
    });
});
