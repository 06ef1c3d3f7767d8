// The deploy-time waits' AWS identity (components/identity.ts, waiters.ts credentialsFor) against a
// fake STS and a fake EC2 on 127.0.0.1 (AWS_ENDPOINT_URL_STS and _EC2, every signature checked):
// the assumed role's credentials are the ones that reach EC2, each role of a chain is assumed with
// the credentials of the step before, and a refusal stops the wait at once, naming the role.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callInHost, serializeProvider } from "../testing/dynamic-host";
import { fakeEc2ForTests } from "../fakes/ec2";
import { TEST_CREDENTIALS, TEST_REGION } from "../fakes/sigv4";
import { FakeSts } from "../fakes/sts";
import { describeIdentity, durationSeconds, providerIdentity, type WaitIdentity } from "./identity";
import { natReadinessProvider, waitForNatReady } from "./nat/readiness";

const { ec2, deployer } = fakeEc2ForTests({ beforeAll, afterAll, beforeEach });
const sts = new FakeSts();
beforeAll(async () => {
    process.env.AWS_ENDPOINT_URL_STS = await sts.start();
});
afterAll(() => sts.stop());
beforeEach(() => sts.reset());

const ID = "i-0123456789abcdef0";
const HOP = "arn:aws:iam::111111111111:role/hop";
const DEPLOYER = "arn:aws:iam::222222222222:role/deployer";
const fast = { region: TEST_REGION, pollMs: 10, notFoundGraceMs: 100, instanceId: ID, timeoutMs: 5_000 };
const CHAIN: WaitIdentity = {
    assumeRoles: [
        { roleArn: HOP, sessionName: "ci" },
        { roleArn: DEPLOYER, externalId: "ext-42", duration: "30m" },
    ],
};

/** hop may be assumed by the deployer's own key; deployer only by a hop session, with its external id; EC2 takes only deployer sessions. */
function trustChain() {
    sts.roles.set(HOP, { callers: (c) => c.accessKeyId === TEST_CREDENTIALS.accessKeyId });
    sts.roles.set(DEPLOYER, {
        callers: (c) => sts.issuedFor(HOP).some((h) => h.accessKeyId === c.accessKeyId),
        externalId: "ext-42",
    });
    ec2.accepts = () => sts.issuedFor(DEPLOYER);
    ec2.instances.set(ID, [{ state: "running", instance: "ok", system: "ok" }]);
}

describe("the waits call AWS as the AWS provider's identity", () => {
    it("assume a chain of roles in order, each signed by the one before, and call EC2 only with the last role's session", async () => {
        trustChain();
        const result = await waitForNatReady({ ...fast, identity: CHAIN });
        expect(result.readings).toBe(1);
        expect(sts.calls).toEqual([
            { roleArn: HOP, sessionName: "ci", signer: TEST_CREDENTIALS.accessKeyId },
            {
                roleArn: DEPLOYER,
                sessionName: expect.stringMatching(/^pulumi-wait-\d+$/),
                externalId: "ext-42",
                durationSeconds: 1800,
                signer: sts.issuedFor(HOP)[0].accessKeyId,
            },
        ]);
        expect(ec2.requests.length).toBeGreaterThan(0);
        expect(ec2.requests.map((q) => q.accessKeyId)).toEqual(
            ec2.requests.map(() => sts.issuedFor(DEPLOYER)[0].accessKeyId),
        );
    });

    it("without the roles, the deployer's own key is refused by EC2 and the wait says which identity it used", async () => {
        trustChain();
        const err = (await waitForNatReady({ ...fast }).catch((e: Error) => e)) as Error;
        expect(err.message).toMatch(/AuthFailure/);
        expect(err.message).toContain("with the default AWS credential chain");
        expect(sts.calls).toEqual([]);
        expect(ec2.requests.length).toBe(1);
    });

    it("a role that refuses stops the wait at once, naming the role and its place in the chain; EC2 is never called", async () => {
        trustChain();
        sts.roles.delete(DEPLOYER);
        const started = Date.now();
        const err = (await waitForNatReady({ ...fast, timeoutMs: 60_000, identity: CHAIN }).catch(
            (e: Error) => e,
        )) as Error;
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(err.message).toMatch(
            new RegExp(
                `AccessDenied: assuming ${DEPLOYER} \\(role 2 of 2\\) failed: User: .* is not authorized to perform: sts:AssumeRole`,
            ),
        );
        expect(err.message).toContain(`then assuming ${HOP}, then ${DEPLOYER}`);
        expect(ec2.requests).toEqual([]);
    });

    it("a key pair in the identity is used instead of the environment's", async () => {
        const other = { accessKeyId: "AKIDOTHEROTHEROTHER1", secretAccessKey: "other/secret/for/sigv4/checks" };
        ec2.accepts = () => [other];
        ec2.instances.set(ID, [{ state: "running", instance: "ok", system: "ok" }]);
        await waitForNatReady({
            ...fast,
            identity: { accessKey: other.accessKeyId, secretKey: other.secretAccessKey },
        });
        expect(ec2.requests.map((q) => q.accessKeyId)).toEqual([other.accessKeyId]);
        expect(sts.calls).toEqual([]);
    });

    it("the gate's provider, serialized and run in its own process, assumes the roles and keeps the identity out of its outputs", async () => {
        trustChain();
        const text = await serializeProvider(natReadinessProvider);
        const call = await callInHost(
            text,
            "create",
            [{ instanceId: ID, region: TEST_REGION, identity: CHAIN, timeoutSeconds: 60 }],
            { ...deployer(), AWS_ENDPOINT_URL_STS: sts.endpoint },
        );
        expect(call.error).toBeUndefined();
        expect(call.result).toMatchObject({ id: `${ID}-ready`, outs: { instanceId: ID, readings: 1 } });
        expect((call.result as { outs: object }).outs).not.toHaveProperty("identity");
        expect(sts.calls.map((c) => c.roleArn)).toEqual([HOP, DEPLOYER]);
        expect(ec2.requests.every((q) => q.accessKeyId === sts.issuedFor(DEPLOYER)[0].accessKeyId)).toBe(true);
    }, 30_000);
});

describe("reading the AWS provider's identity", () => {
    it("takes durations as the provider writes them", () => {
        expect([
            durationSeconds("1h"),
            durationSeconds("30m"),
            durationSeconds("1h30m"),
            durationSeconds("900s"),
        ]).toEqual([3600, 1800, 5400, 900]);
        expect(durationSeconds("an hour")).toBeUndefined();
    });

    it("reads the aws: keys, and describes the identity in words without a key", () => {
        const config: Record<string, string> = {
            profile: "ops",
            accessKey: "AKIAIOSFODNN7EXAMPLE",
            secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            assumeRoles: JSON.stringify(CHAIN.assumeRoles),
        };
        const read = providerIdentity((k) => config[k]);
        expect(read.problems).toEqual([]);
        expect(read.identity).toEqual({ ...config, assumeRoles: CHAIN.assumeRoles });
        const words = describeIdentity(read.identity);
        expect(words).toBe(`the access key given to it, then assuming ${HOP}, then ${DEPLOYER}`);
        expect(words).not.toContain(config.accessKey);
    });

    it("refuses what the provider would not take or would read differently, naming the key", () => {
        const problems = (config: Record<string, string>) => providerIdentity((k) => config[k]).problems;
        expect(problems({ assumeRole: "{}" })[0].path).toBe("aws:assumeRole");
        expect(problems({ secretKey: "x" })).toEqual([
            { path: "aws:accessKey", reason: "is missing: a secret key needs its access key id" },
        ]);
        expect(problems({ assumeRoles: "[{roleArn" })[0]).toMatchObject({ path: "aws:assumeRoles" });
        expect(problems({ assumeRoles: '{"roleArn":"arn:aws:iam::111111111111:role/x"}' })[0].reason).toMatch(
            /^is not a list/,
        );
        expect(problems({ assumeRoles: '[{"roleArn":"arn:aws:iam::111111111111:role/x","duration":"10m"}]' })).toEqual([
            {
                path: "aws:assumeRoles[0].duration",
                reason: 'is "10m"; expected 15 minutes to 12 hours, written like 1h, 30m or 900s',
            },
        ]);
    });
});
