// The functions' infrastructure under mocks: placement, roles, IAM scope, schedule, secrets,
// bundles, and stability across NAT strategies.
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { buildEntry, bundleFunction } from "../program/functions/bundle";
import { SmsFunctions, secretVariables } from "../program/functions/functions";
import { refusedAtDeploy, runComponents } from "../testing/components";
import { archiveTexts, runProgram, TEST_SECRETS, type RunResult } from "./harness";

const ok = async (opts: Parameters<typeof runProgram>[0] = {}): Promise<RunResult> => {
    const r = await runProgram(opts);
    if (r.error) throw r.error;
    return r;
};

const FUNCTIONS = ["functions-sms", "functions-warmer"];

describe("the two functions", () => {
    it("run on Node.js 22 in every private subnet (each routed to the NAT), never a public one, with an egress-only security group", async () => {
        const r = await ok({ config: { nat: "gateway" } });
        const privateIds = [r.byName("network-private-0").id, r.byName("network-private-1").id];
        const sg = r.byName("functions-lambda-sg");
        expect(sg.inputs.ingress ?? []).toEqual([]);
        expect(sg.inputs.egress).toEqual([expect.objectContaining({ protocol: "-1", cidrBlocks: ["0.0.0.0/0"] })]);
        expect(sg.inputs.vpcId).toBe(r.byName("network-vpc").id);

        for (const name of FUNCTIONS) {
            const fn = r.byName(name);
            expect(fn.inputs).toMatchObject({
                runtime: "nodejs22.x",
                handler: "index.handler",
                architectures: ["arm64"],
                memorySize: 256,
                timeout: 15,
                replaceSecurityGroupsOnDestroy: true,
                vpcConfig: { subnetIds: privateIds, securityGroupIds: [sg.id] },
            });
            // Each subnet it uses has a route table whose default route goes to the NAT.
            for (const [i, subnetId] of fn.inputs.vpcConfig.subnetIds.entries()) {
                const rta = r
                    .ofType("aws:ec2/routeTableAssociation:RouteTableAssociation")
                    .find((a) => a.inputs.subnetId === subnetId)!;
                const route = r
                    .ofType("aws:ec2/route:Route")
                    .find(
                        (x) =>
                            x.inputs.routeTableId === rta.inputs.routeTableId &&
                            x.inputs.destinationCidrBlock === "0.0.0.0/0",
                    )!;
                expect(route.name, `subnet ${i}`).toBe(`nat-private-${i}-default`);
                expect(route.inputs.natGatewayId).toBe(r.byName("nat-gateway").id);
            }
        }
    });

    it("ship the esbuild bundle as index.mjs in an archive of strings", async () => {
        const r = await ok();
        expect(await archiveTexts(r.byName("functions-sms").inputs.code)).toEqual({
            "index.mjs": bundleFunction("sms").code,
        });
        expect(await archiveTexts(r.byName("functions-warmer").inputs.code)).toEqual({
            "index.mjs": bundleFunction("warmer").code,
        });
    });

    it("take memory, timeout and architecture from config", async () => {
        const r = await ok({
            config: { lambdaArchitecture: "x86_64", lambdaMemoryMb: "512", lambdaTimeoutSeconds: "30" },
        });
        expect(r.byName("functions-sms").inputs).toMatchObject({
            architectures: ["x86_64"],
            memorySize: 512,
            timeout: 30,
        });
    });

    it("have their own roles with basic + VPC access policies, attached before the function exists", async () => {
        const r = await ok();
        for (const fn of ["sms", "warmer"]) {
            const role = r.byName(`functions-${fn}-role`);
            expect(JSON.parse(role.inputs.assumeRolePolicy).Statement).toEqual([
                { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            const attachments = r
                .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((a) => a.inputs.role === role.state.name);
            expect(attachments.map((a) => a.inputs.policyArn).sort()).toEqual([
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
            ]);
            const fnRes = r.byName(`functions-${fn}`);
            expect(fnRes.inputs.role).toBe(role.state.arn);
            for (const a of attachments) expect(fnRes.dependencies).toContain(a.urn);
        }
    });

    it("the warmer may invoke the SMS function (and its versions) and nothing else", async () => {
        const r = await ok();
        const sms = r.byName("functions-sms");
        const policy = r.byName("functions-warmer-invoke");
        expect(policy.inputs.role).toBe(r.byName("functions-warmer-role").state.name);
        expect(JSON.parse(policy.inputs.policy)).toEqual({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [sms.state.arn, `${sms.state.arn}:*`] },
            ],
        });
        expect(r.byName("functions-warmer").dependencies).toContain(policy.urn);
        // No broad grants anywhere.
        const everyPolicy = JSON.stringify(
            r.resources.filter((x) => x.type.startsWith("aws:iam/")).map((x) => x.inputs),
        );
        expect(everyPolicy).not.toMatch(/AWSLambdaRole"|"Resource":"\*"|"Action":"\*"|lambda:\*/);
    });

    it("log to groups the program owns, with the configured retention", async () => {
        const r = await ok({ config: { logRetentionDays: "30" } });
        for (const fn of ["sms", "warmer"]) {
            const group = r.byName(`functions-${fn}-logs`);
            expect(group.inputs).toMatchObject({ name: `/aws/lambda/aligo-sms-dev-${fn}`, retentionInDays: 30 });
            const f = r.byName(`functions-${fn}`);
            expect(f.inputs.loggingConfig).toEqual({ logFormat: "Text", logGroup: group.inputs.name });
            expect(f.dependencies).toContain(group.urn);
        }
    });

    it("on destroy, outlive nothing they need: roles and VPC grants go after the security group and after Lambda has released its interfaces", async () => {
        const r = await ok({ config: { "aws:profile": "ops" } });
        const grants = ["sms", "warmer"].flatMap((fn) => [
            r.byName(`functions-${fn}-role`),
            r.byName(`functions-${fn}-basic`),
            r.byName(`functions-${fn}-vpc`),
        ]);
        const sg = r.byName("functions-lambda-sg");
        const release = r.byName("functions-lambda-eni-release");
        // Pulumi deletes a resource before what it depends on: so the group and the wait go first.
        for (const g of grants) {
            expect(sg.dependencies, `security group on ${g.name}`).toContain(g.urn);
            expect(release.dependencies, `interface wait on ${g.name}`).toContain(g.urn);
        }
        expect(release.type).toBe("pulumi-nodejs:dynamic:LambdaEniRelease");
        expect(release.inputs).toMatchObject({
            subnetIds: [r.byName("network-private-0").id, r.byName("network-private-1").id],
            region: "ap-northeast-2",
            identity: { profile: "ops" },
            timeoutSeconds: 2700,
        });
        // Destroy runs without the program: the wait keeps the identity in state, encrypted.
        expect(release.secretInputs).toEqual(["identity"]);
        expect(release.inputs.__provider).toContain("DescribeNetworkInterfacesCommand");
        for (const fn of FUNCTIONS) expect(r.byName(fn).dependencies, fn).toContain(release.urn);
    });

    it("are never retried on asynchronous invocation (a retried send is a second SMS)", async () => {
        const r = await ok();
        for (const fn of ["sms", "warmer"]) {
            expect(r.byName(`functions-${fn}-async`).inputs).toEqual({
                functionName: r.byName(`functions-${fn}`).state.name,
                maximumRetryAttempts: 0,
            });
        }
    });
});

describe("environment and secrets", () => {
    it("the SMS function gets the Aligo settings, the stack's egress IPs and the name of the key's parameter, never the key", async () => {
        const r = await ok();
        const sms = r.byName("functions-sms");
        const param = r.byName("functions-aligo-api-key");
        expect(sms.inputs.environment.variables).toEqual({
            ALIGO_API_KEY_PARAMETER: "/aligo-sms/dev/aligo-api-key",
            ALIGO_USER_ID: "testuser",
            ALIGO_SENDER: "0212345678",
            EGRESS_IPS: r.outputs.egressIps.join(","),
        });
        expect(sms.propertyDependencies.environment).toContain(param.urn);
        expect(sms.secretInputs).toEqual([]);
        // The key is in the SecureString parameter (AWS-managed key, standard tier), secret in state.
        expect(param.type).toBe("aws:ssm/parameter:Parameter");
        expect(param.inputs).toMatchObject({
            name: "/aligo-sms/dev/aligo-api-key",
            type: "SecureString",
            tier: "Standard",
            value: TEST_SECRETS.aligoApiKey,
        });
        expect(param.inputs.keyId).toBeUndefined();
        expect(param.secretInputs).toEqual(["value"]);
        // Nothing else carries the key, and no output does.
        for (const res of r.resources.filter((x) => x.name !== param.name))
            expect(JSON.stringify(res.inputs)).not.toContain(TEST_SECRETS.aligoApiKey);
        expect(JSON.stringify(r.outputs)).not.toContain(TEST_SECRETS.aligoApiKey);
    });

    it("the SMS role may ssm:GetParameter that one parameter and nothing else, before the function exists", async () => {
        const r = await ok();
        const read = r.byName("functions-sms-read-key");
        const param = r.byName("functions-aligo-api-key");
        expect(read.inputs.role).toBe(r.byName("functions-sms-role").state.name);
        expect(JSON.parse(read.inputs.policy)).toEqual({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: param.state.arn }],
        });
        expect(r.byName("functions-sms").dependencies).toContain(read.urn);
        // The warmer's role may not.
        const warmerPolicies = r
            .ofType("aws:iam/rolePolicy:RolePolicy")
            .filter((p) => p.inputs.role === r.byName("functions-warmer-role").state.name);
        for (const p of warmerPolicies) expect(p.inputs.policy).not.toContain("ssm:");
    });

    it("a secret in a function's environment is found (the deployment then stops, naming the variable), and the program's own functions hold none", async () => {
        let found: string[] = [];
        let none: string[] = [];
        await runComponents(async () => {
            found = await secretVariables({
                ALIGO_USER_ID: "u",
                ALIGO_API_KEY: pulumi.secret("the-key"),
                EGRESS_IPS: pulumi.output("203.0.113.1"),
                TOKEN: pulumi.secret(pulumi.output("t")),
            });
            none = await secretVariables({ ALIGO_USER_ID: "u", EGRESS_IPS: pulumi.output("203.0.113.1") });
        });
        expect(found).toEqual(["ALIGO_API_KEY", "TOKEN"]);
        expect(none).toEqual([]);
        const r = await ok();
        for (const fn of FUNCTIONS) expect(r.byName(fn).secretInputs, fn).toEqual([]);
    });

    it("a component consumer who passes a secret into a function's environment is stopped before either function is created, told which variable", async () => {
        const { errors, registered, names } = await refusedAtDeploy(
            () =>
                new SmsFunctions("functions", {
                    vpcId: "vpc-0123456789abcdef0",
                    privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
                    aligo: { apiKey: pulumi.secret("k3y"), userId: "u", sender: "0212345678" },
                    // A secret reaches the SMS function's environment as EGRESS_IPS.
                    egressIps: pulumi.secret(["203.0.113.1"]),
                    architecture: "arm64",
                    memoryMb: 256,
                    timeoutSeconds: 15,
                    logRetentionDays: 14,
                    warmer: { enabled: true, schedule: "rate(5 minutes)", concurrency: 1 },
                }),
        );
        expect(errors).toEqual([
            expect.stringMatching(
                /^error serializing property "environment": functions-sms: the environment variable EGRESS_IPS would hold a secret, which anyone allowed lambda:GetFunctionConfiguration can read/,
            ),
        ]);
        expect(errors[0]).not.toContain("203.0.113.1");
        expect(names).not.toContain("functions-sms");
        expect(registered).not.toContain("aws:lambda/function:Function");
    });

    it("the warmer targets the SMS function with the configured concurrency", async () => {
        const r = await ok({ config: { warmerConcurrency: "4" } });
        expect(r.byName("functions-warmer").inputs.environment.variables).toEqual({
            TARGET_FUNCTION_NAME: r.byName("functions-sms").state.name,
            WARM_CONCURRENCY: "4",
        });
        expect(r.byName("functions-warmer").secretInputs).toEqual([]);
    });
});

describe("the schedule", () => {
    it("an EventBridge rule fires the warmer, allowed by a permission scoped to that rule", async () => {
        const r = await ok({ config: { warmerSchedule: "cron(0/10 * * * ? *)" } });
        const rule = r.byName("functions-warmer-schedule");
        const warmer = r.byName("functions-warmer");
        expect(rule.inputs).toMatchObject({ scheduleExpression: "cron(0/10 * * * ? *)", state: "ENABLED" });
        expect(r.byName("functions-warmer-target").inputs).toMatchObject({
            rule: rule.state.name,
            arn: warmer.state.arn,
        });
        expect(r.byName("functions-warmer-permission").inputs).toEqual({
            action: "lambda:InvokeFunction",
            function: warmer.state.name,
            principal: "events.amazonaws.com",
            sourceArn: rule.state.arn,
        });
    });

    it("warmerEnabled=false keeps the rule, disabled", async () => {
        const r = await ok({ config: { warmerEnabled: "false" } });
        expect(r.byName("functions-warmer-schedule").inputs.state).toBe("DISABLED");
    });

    it.each([["true"], ["false"]])(
        "nat=none pauses the schedule (warmerEnabled=%s): with no NAT every run would only time out",
        async (warmerEnabled) => {
            const r = await ok({ config: { nat: "none", warmerEnabled } });
            expect(r.byName("functions-warmer-schedule").inputs.state).toBe("DISABLED");
            // The rule, its target and permission stay, so switching NAT back on only flips the state.
            expect(r.byName("functions-warmer-target")).toBeDefined();
            expect(r.byName("functions-warmer-permission")).toBeDefined();
        },
    );

    it.each([
        ["rate(1 minutes)", /rate\(1 minutes\) must be singular: rate\(1 minute\)/],
        ["rate(5 minute)", /rate\(5 minute\) must be plural: rate\(5 minutes\)/],
        ["rate(0 minutes)", /at least 1 minute/],
        ["cron(0/5 * * * *)", /cron needs 6 fields/],
        ["cron(0 9 * * * *)", /\? in exactly one of day-of-month and day-of-week/],
        ["every 5 minutes", /is neither rate\(\.\.\.\) nor cron\(\.\.\.\)/],
    ])("refuses %s before creating anything", async (schedule, message) => {
        const r = await runProgram({ config: { warmerSchedule: schedule } });
        expect(r.error?.message).toMatch(/warmerSchedule: /);
        expect(r.error?.message).toMatch(message);
        expect(r.resources).toEqual([]);
    });
});

describe("bundles", () => {
    it("bundling twice gives identical bytes, so an unchanged handler never shows a diff", () => {
        for (const fn of ["sms", "warmer"] as const) {
            // Two real builds (bundleFunction keeps one per process and may take it from the tests' cache).
            const a = buildEntry(`functions/${fn}/index.ts`).bundle;
            const b = buildEntry(`functions/${fn}/index.ts`).bundle;
            expect(a.code).toBe(b.code);
            expect(bundleFunction(fn).code).toBe(a.code);
            expect(a.code).not.toMatch(/\/work\/|\/home\/|\/tmp\//); // no absolute paths baked in
        }
    });

    it("two program runs register byte-identical code", async () => {
        const [a, b] = [await ok({ fresh: true }), await ok({ fresh: true })];
        for (const fn of FUNCTIONS)
            expect(await archiveTexts(a.byName(fn).inputs.code)).toEqual(await archiveTexts(b.byName(fn).inputs.code));
    });

    it("the SMS bundle stays under 350 KB", () => {
        expect(bundleFunction("sms").bytes).toBeLessThan(350 * 1024);
    });
});

describe("switching nat", () => {
    it("never changes the functions, their roles, log groups or security group; only the schedule's state follows nat=none", async () => {
        const runs = [
            await ok({ config: { nat: "gateway" } }),
            await ok({ config: { nat: "instance" } }),
            await ok({ config: { nat: "none" } }),
        ];
        const owned = (r: RunResult) => r.resources.filter((x) => x.name.startsWith("functions"));
        const comparable = (x: RunResult["resources"][number]) => ({
            ...x.inputs,
            code: undefined,
            state: x.name === "functions-warmer-schedule" ? "(compared below)" : x.inputs.state,
        });
        const [first, ...rest] = runs.map(owned);
        expect(first.length).toBeGreaterThan(10);
        for (const other of rest) {
            expect(other.map((x) => x.urn)).toEqual(first.map((x) => x.urn));
            expect(other.map(comparable)).toEqual(first.map(comparable));
        }
        expect(runs.map((r) => r.byName("functions-warmer-schedule").inputs.state)).toEqual([
            "ENABLED",
            "ENABLED",
            "DISABLED",
        ]);
    });

    it("exports the function names and ARN", async () => {
        const r = await ok();
        expect(r.outputs).toMatchObject({
            smsFunctionName: r.byName("functions-sms").state.name,
            smsFunctionArn: r.byName("functions-sms").state.arn,
            warmerFunctionName: r.byName("functions-warmer").state.name,
        });
    });
});
