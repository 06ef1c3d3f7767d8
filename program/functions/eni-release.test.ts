// The destroy-time wait for Lambda's network interfaces against a fake EC2 endpoint on 127.0.0.1
// (AWS_ENDPOINT_URL_EC2, SigV4 checked), in this process and, for its provider, serialized and run
// in a separate process the way the Pulumi CLI runs a dynamic provider (it calls the component
// package's shared EC2 helpers, which must serialize with it).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callInHost, serializeProvider } from "../../testing/dynamic-host";
import { fakeEc2ForTests } from "../../fakes/ec2";
import { TEST_CREDENTIALS, TEST_REGION } from "../../fakes/sigv4";
import { FakeSts } from "../../fakes/sts";
import { lambdaEniReleaseProvider, waitForLambdaEnisReleased } from "./eni-release";

/** `deployer()`: the environment of a deployer whose credentials the fake accepts, and nothing else of AWS. */
const { ec2, deployer } = fakeEc2ForTests({ beforeAll, afterAll, beforeEach });
const fast = { region: TEST_REGION, pollMs: 10 };

describe("waitForLambdaEnisReleased", () => {
    const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];
    const eni = (
        id: string,
        status: "in-use" | "available",
        subnetId = SUBNETS[0],
        description = `AWS Lambda VPC ENI-aligo-sms-dev-sms-${id}`,
    ) => ({ id, subnetId, status, description });

    it("returns once no Lambda interface in the subnets is in use, reading every page", async () => {
        ec2.eniTimeline = [
            [eni("eni-1", "in-use"), eni("eni-2", "in-use", SUBNETS[1]), eni("eni-3", "available")],
            [eni("eni-1", "in-use"), eni("eni-2", "available", SUBNETS[1]), eni("eni-3", "available")],
            [eni("eni-2", "available", SUBNETS[1]), eni("eni-3", "available")],
        ];
        const result = await waitForLambdaEnisReleased({ ...fast, subnetIds: SUBNETS, timeoutMs: 5_000 });
        expect(result.available).toBe(2);
        // The subnets are checked once, first.
        expect(ec2.requests[0].params).toMatchObject({
            Action: "DescribeSubnets",
            "SubnetId.1": SUBNETS[0],
            "SubnetId.2": SUBNETS[1],
        });
        expect(ec2.requests.filter((q) => q.action === "DescribeSubnets")).toHaveLength(1);
        const eniRequests = ec2.requests.filter((q) => q.action === "DescribeNetworkInterfaces");
        const first = eniRequests[0].params;
        expect(first).toMatchObject({
            Action: "DescribeNetworkInterfaces",
            "Filter.1.Name": "subnet-id",
            "Filter.1.Value.1": SUBNETS[0],
            "Filter.1.Value.2": SUBNETS[1],
            "Filter.2.Name": "description",
            "Filter.2.Value.1": "AWS Lambda VPC ENI*",
        });
        // Three readings; the first two had a second page.
        expect(eniRequests.filter((q) => !q.params.NextToken)).toHaveLength(3);
        expect(eniRequests.filter((q) => q.params.NextToken)).toHaveLength(2);
    });

    it("ignores interfaces in other subnets and interfaces that are not Lambda's", async () => {
        ec2.eniTimeline = [
            [eni("eni-9", "in-use", "subnet-0bbbbbbbbbbbbbbb9"), eni("eni-8", "in-use", SUBNETS[0], "NAT instance")],
        ];
        await expect(waitForLambdaEnisReleased({ ...fast, subnetIds: SUBNETS, timeoutMs: 5_000 })).resolves.toEqual({
            available: 0,
            waitedSeconds: 0,
        });
    });

    it("gives up at its deadline naming the interfaces still in use, and says the roles are kept", async () => {
        ec2.eniTimeline = [[eni("eni-1", "in-use")]];
        const err = (await waitForLambdaEnisReleased({ ...fast, subnetIds: SUBNETS, timeoutMs: 300 }).catch(
            (e) => e,
        )) as Error;
        expect(err.message).toMatch(
            /^Lambda has not released its network interfaces in subnet-0aaaaaaaaaaaaaaa1, subnet-0aaaaaaaaaaaaaaa2 \(ap-northeast-2\) after 0\.3 seconds: still in use: eni-1 \(AWS Lambda VPC ENI-aligo-sms-dev-sms-eni-1\)/,
        );
        expect(err.message).toContain("The functions' roles are kept until then");
        expect(err.message).toContain("Run `pulumi destroy` again later");
    });

    it("a permission problem fails at once, naming the permission", async () => {
        ec2.eniTimeline = [
            { error: "UnauthorizedOperation", message: "You are not authorized to perform this operation." },
        ];
        await expect(waitForLambdaEnisReleased({ ...fast, subnetIds: SUBNETS, timeoutMs: 5_000 })).rejects.toThrow(
            /UnauthorizedOperation.*need ec2:DescribeSubnets and ec2:DescribeNetworkInterfaces/,
        );
        expect(ec2.requests.map((q) => q.action)).toEqual(["DescribeSubnets", "DescribeNetworkInterfaces"]);
    });

    it("refuses to decide when these credentials cannot see the subnets (another account): it would find no interfaces and let the roles go", async () => {
        ec2.subnets = new Set([SUBNETS[0]]);
        ec2.eniTimeline = [[]];
        const err = (await waitForLambdaEnisReleased({ ...fast, subnetIds: SUBNETS, timeoutMs: 5_000 }).catch(
            (e) => e,
        )) as Error;
        expect(err.message).toMatch(
            /^The functions' subnets subnet-0aaaaaaaaaaaaaaa1, subnet-0aaaaaaaaaaaaaaa2 are not visible to these credentials in ap-northeast-2 \(InvalidSubnetID\.NotFound\): they are for another account/,
        );
        expect(err.message).toContain("The roles are kept");
        expect(ec2.requests.map((q) => q.action)).toEqual(["DescribeSubnets"]);
    });

    describe("its provider, serialized and run as the Pulumi CLI runs it", () => {
        let text: string;
        beforeAll(async () => {
            text = await serializeProvider(lambdaEniReleaseProvider);
        });
        const props = { subnetIds: SUBNETS, region: TEST_REGION, timeoutSeconds: 60 };

        it("create and diff call nothing; delete returns once Lambda has let go", async () => {
            expect((await callInHost(text, "create", [props], deployer())).result).toEqual({
                id: "lambda-eni-release-ap-northeast-2",
                outs: props,
            });
            expect((await callInHost(text, "diff", ["x", props, { ...props }], deployer())).result).toEqual({
                changes: false,
            });
            expect(
                (
                    await callInHost(
                        text,
                        "diff",
                        ["x", props, { ...props, subnetIds: [...SUBNETS, "subnet-0aaaaaaaaaaaaaaa3"] }],
                        deployer(),
                    )
                ).result,
            ).toEqual({ changes: true });
            expect(ec2.requests).toEqual([]);

            ec2.eniTimeline = [[eni("eni-3", "available")]];
            const del = await callInHost(text, "delete", ["lambda-eni-release-ap-northeast-2", props], deployer());
            expect(del.error).toBeUndefined();
            expect(ec2.requests.map((q) => q.action)).toEqual(["DescribeSubnets", "DescribeNetworkInterfaces"]);
        });

        it("destroy waits as the identity the last update recorded: the role it assumes is the one that reaches EC2; a new identity is an update", async () => {
            const sts = new FakeSts();
            try {
                const ROLE = "arn:aws:iam::222222222222:role/deployer";
                sts.roles.set(ROLE, { callers: (c) => c.accessKeyId === TEST_CREDENTIALS.accessKeyId });
                ec2.accepts = () => sts.issuedFor(ROLE);
                const withRole = { ...props, identity: { assumeRoles: [{ roleArn: ROLE, sessionName: "destroy" }] } };
                expect((await callInHost(text, "diff", ["x", props, withRole], deployer())).result).toEqual({
                    changes: true,
                });
                // The same identity with its fields in another order (as a protobuf Struct may hand them) is no change.
                const reordered = { ...props, identity: { assumeRoles: [{ sessionName: "destroy", roleArn: ROLE }] } };
                expect((await callInHost(text, "diff", ["x", withRole, reordered], deployer())).result).toEqual({
                    changes: false,
                });
                ec2.eniTimeline = [[]];
                const env = { ...deployer(), AWS_ENDPOINT_URL_STS: await sts.start() };
                const del = await callInHost(text, "delete", ["lambda-eni-release-ap-northeast-2", withRole], env);
                expect(del.error).toBeUndefined();
                expect(sts.calls).toMatchObject([{ roleArn: ROLE, sessionName: "destroy" }]);
                expect(ec2.requests.map((q) => q.accessKeyId)).toEqual([
                    sts.issuedFor(ROLE)[0].accessKeyId,
                    sts.issuedFor(ROLE)[0].accessKeyId,
                ]);
                // The same delete with the deployer's own key (no role recorded) is refused by EC2, and says with what it called.
                ec2.reset();
                ec2.accepts = () => sts.issuedFor(ROLE);
                const bare = await callInHost(text, "delete", ["lambda-eni-release-ap-northeast-2", props], env);
                expect(bare.error).toMatch(/AuthFailure/);
                expect(bare.error).toContain("with the default AWS credential chain");
            } finally {
                await sts.stop();
            }
        });
    });
});
