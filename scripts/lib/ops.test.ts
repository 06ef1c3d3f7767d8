// smoke, send and remain against a fake Lambda endpoint running the bundled SMS function, with
// fake Aligo and IP echo upstreams, all on 127.0.0.1; the stack outputs come from a file.
import { LambdaClient } from "@aws-sdk/client-lambda";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleFunction } from "../../program/functions/bundle";
import { FAKE_EGRESS_IP, FAKE_KEY, FAKE_USER, FakeAligo } from "../../fakes/aligo";
import { FakeLambda, TEST_CREDENTIALS, TEST_REGION } from "../../fakes/lambda";
import { awsFailure, awsProfiles, explainAwsFailure, failureKind, stackEnvironments } from "./diagnose";
import { certainlyNotSent, explainSendFailure, isIpRefusalResult } from "./explain";
import { answerTimeoutMs, clientFor, invoke, type Invocation } from "./ops";
import { runSmoke } from "./smoke";
import { runCaptured } from "./args";
import { main as listMain } from "../list";
import { main as remainMain } from "../remain";
import { main as sendMain } from "../send";
import { main as smokeMain } from "../smoke";
import { ROOT } from "../../program/stack-config";

const aligo = new FakeAligo();
const refusing = new FakeAligo();
const hanging = new FakeAligo();
const lambda = new FakeLambda();
const dir = mkdtempSync(join(tmpdir(), "ops-"));
const PRIVATE = ["subnet-0private00000000a", "subnet-0private00000000b"];
const PUBLIC = ["subnet-0public000000000a", "subnet-0public000000000b"];
const ARN = (name: string) => `arn:aws:lambda:${TEST_REGION}:123456789012:function:${name}`;
let client: LambdaClient;
/**
 * A test that runs commands in this process against the fake Lambda: each waits on sockets and on
 * functions that time out on purpose (2.5 s), so a busy machine stretches it; generous on purpose.
 */
const COMMAND_TIMEOUT = 60_000;
const CTX = { script: "smoke" as const, stack: "dev" };
let awsEnv: Record<string, string>;

const outputs = (fn: string, extra: Record<string, unknown> = {}) => ({
    natStrategy: "instance",
    egressIp: FAKE_EGRESS_IP,
    egressIps: ["203.0.113.10", FAKE_EGRESS_IP],
    privateSubnetIds: PRIVATE,
    publicSubnetIds: PUBLIC,
    smsFunctionName: fn,
    smsFunctionArn: ARN(fn),
    ...extra,
});

beforeAll(async () => {
    await Promise.all([aligo.start(), refusing.start(), hanging.start(), lambda.start()]);
    refusing.modes["/remain/"] = "ip-refused";
    hanging.modes["*"] = "hang";
    const code = bundleFunction("sms").code;
    const env = (up: FakeAligo, extra: Record<string, string> = {}) => ({
        ALIGO_API_KEY: FAKE_KEY,
        ALIGO_USER_ID: FAKE_USER,
        ALIGO_SENDER: "0212345678",
        ALIGO_BASE_URL: up.baseUrl,
        EGRESS_IP_URL: `${up.baseUrl}/ip`,
        ...extra,
    });
    const inVpc = (subnets: string[]) => ({
        VpcConfig: { SubnetIds: subnets, SecurityGroupIds: ["sg-0123456789abcdef0"] },
    });
    lambda.deploy("sms-good", { code, env: env(aligo), configuration: inVpc(PRIVATE) });
    lambda.deploy("sms-ip-refused", { code, env: env(refusing), configuration: inVpc(PRIVATE) });
    lambda.deploy("sms-bad-key", { code, env: env(aligo, { ALIGO_API_KEY: "wrong" }), configuration: inVpc(PRIVATE) });
    lambda.deploy("sms-public-subnet", { code, env: env(hanging), timeoutMs: 2_500, configuration: inVpc(PUBLIC) });
    // Aligo accepts the connection and the request, then never answers: a TIMEOUT after connecting, maybeSent true.
    lambda.deploy("sms-send-hangs", { code, env: env(hanging), timeoutMs: 2_500, configuration: inVpc(PRIVATE) });
    // Lambda's connection breaks once the request was written: the function may have run.
    lambda.deploy("sms-reset", { code, env: env(aligo), fault: "reset" });
    lambda.deploy("sms-killed", {
        code: "export const handler = () => new Promise(() => {});",
        env: {},
        timeoutMs: 300,
        configuration: inVpc(PRIVATE),
    });
    lambda.deploy("sms-expired", {
        code,
        env: env(aligo),
        invokeError: {
            status: 403,
            type: "ExpiredTokenException",
            message: "The security token included in the request is expired",
        },
    });
    lambda.deploy("sms-denied", {
        code,
        env: env(aligo),
        invokeError: {
            status: 403,
            type: "AccessDeniedException",
            message: `User: arn:aws:iam::123456789012:user/intern is not authorized to perform: lambda:InvokeFunction on resource: ${ARN("sms-denied")} because no identity-based policy allows the lambda:InvokeFunction action`,
        },
    });
    // Lambda takes the invocation and never answers (a network that drops the answer silently looks the same).
    lambda.deploy("sms-never-answers", { code, env: env(aligo), fault: "hang" });
    // Aligo's list as the function hands it on: a message text that quotes a phone number.
    lambda.deploy("sms-list-quoting-number", {
        code: `export const handler = async () => ({ ok: true, list: [{ mid: "583009871", type: "SMS", sender: "0212345678", sms_count: "1", fail_count: "0", reg_date: "2026-11-30 09:00:00", reserve_state: "", reserve: "", msg: "문의는 010-9876-5432 로 연락 주세요" }], next_yn: "N" });`,
        env: {},
    });
    lambda.deploy("sms-throttled", {
        code,
        env: env(aligo),
        invokeError: { status: 429, type: "TooManyRequestsException", message: "Rate Exceeded." },
    });
    lambda.deploy("sms-no-eni", {
        code,
        env: env(aligo),
        invokeError: {
            status: 502,
            type: "EC2AccessDeniedException",
            message:
                "Lambda was not able to create an ENI in the VPC of the Lambda function because the execution role does not have CreateNetworkInterface permission.",
        },
    });
    awsEnv = {
        AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
        AWS_REGION: TEST_REGION,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    };
    Object.assign(process.env, awsEnv);
    client = new LambdaClient({ region: TEST_REGION });
});

afterAll(async () => {
    await lambda.stop();
    await Promise.all([aligo.stop(), refusing.stop(), hanging.stop()]);
});

describe("smoke diagnoses", () => {
    it("all well: a registered egress address and Aligo's balance", async () => {
        const r = await runSmoke(outputs("sms-good"), client, CTX);
        expect(r).toEqual({
            ok: true,
            diagnosis: [],
            checks: [
                {
                    name: "egress IP",
                    ok: true,
                    detail: `${FAKE_EGRESS_IP} (one of egressIps: 203.0.113.10, ${FAKE_EGRESS_IP})`,
                },
                { name: "Aligo remain", ok: true, detail: "SMS 5936, LMS 2045, MMS 908" },
            ],
        });
    });

    it("Aligo -101 for the IP: which addresses to register, and where", async () => {
        const r = await runSmoke(outputs("sms-ip-refused"), client, CTX);
        expect(r.ok).toBe(false);
        expect(r.diagnosis).toEqual([
            `Aligo refuses calls from ${FAKE_EGRESS_IP} (-101 인증오류입니다.-IP). Register every address in egressIps: 203.0.113.10, ${FAKE_EGRESS_IP} in the Aligo console (smartsms.aligo.in): 연동형 API → 발송 IP. Registration can take a few minutes.`,
        ]);
    });

    it("an egress address that is not the stack's: traffic bypasses the NAT", async () => {
        const r = await runSmoke(outputs("sms-good", { egressIps: ["203.0.113.10", "203.0.113.11"] }), client, CTX);
        expect(r.ok).toBe(false);
        expect(r.diagnosis[0]).toMatch(
            /^The function leaves from 203\.0\.113\.77, which is not one of the stack's egressIps \(203\.0\.113\.10, 203\.0\.113\.11\): its traffic is not going through the stack's NAT\. sms-good is in the stack's private subnets/,
        );
    });

    it(
        "a timeout from a function in public subnets: says so, with the subnets",
        async () => {
            const r = await runSmoke(outputs("sms-public-subnet"), client, CTX);
            expect(r.ok).toBe(false);
            expect(r.checks[0]).toMatchObject({
                name: "egress IP",
                ok: false,
                detail: expect.stringMatching(/^TIMEOUT: /),
            });
            expect(r.diagnosis[0]).toMatch(
                /^Timeout: the function could not reach the internet\. From most to least likely: sms-public-subnet is attached to subnet-0public000000000a, subnet-0public000000000b \(public subnets: a Lambda gets no public IP there\), not to the stack's private subnets/,
            );
            expect(r.diagnosis[0]).toMatch(
                /Or the NAT instance is stopped or failing its status checks, or its security group does not admit the private subnets/,
            );
        },
        COMMAND_TIMEOUT,
    );

    it(
        "Lambda's own timeout (Task timed out) is a timeout too",
        async () => {
            const r = await runSmoke(outputs("sms-killed", { natStrategy: "gateway" }), client, CTX);
            expect(r.checks[0].detail).toMatch(/^Sandbox\.Timedout: .*Task timed out after 0\.30 seconds/);
            expect(r.diagnosis[0]).toMatch(
                /^Timeout: .*sms-killed is in the stack's private subnets, as it should be\. Or the NAT gateway is not available\./,
            );
        },
        COMMAND_TIMEOUT,
    );

    it("missing VPC permissions on the role", async () => {
        const r = await runSmoke(outputs("sms-no-eni"), client, CTX);
        expect(r.diagnosis).toEqual([
            expect.stringMatching(
                /^Missing VPC permissions: Lambda could not set up sms-no-eni's network interfaces \(EC2AccessDeniedException\)\. The function's role needs AWSLambdaVPCAccessExecutionRole/,
            ),
        ]);
    });

    it("a wrong API key: -101 without IP", async () => {
        const r = await runSmoke(outputs("sms-bad-key"), client, CTX);
        expect(r.checks.map((c) => c.ok)).toEqual([true, false]);
        expect(r.diagnosis[0]).toMatch(
            /^Aligo refused the API key or user id \(-101 인증오류입니다\.\)\. .*pulumi config set --secret aligoApiKey/,
        );
    });

    it("nat=none: says NAT is off, without invoking anything", async () => {
        const before = lambda.invocations.length;
        const r = await runSmoke(outputs("sms-good", { natStrategy: "none", egressIp: undefined }), client, CTX);
        expect(r.diagnosis[0]).toMatch(/^NAT is switched off \(nat=none\)/);
        expect(lambda.invocations.length).toBe(before);
    });
});

const exec = promisify(execFile);
const tsx = join(ROOT, "node_modules", ".bin", "tsx");
/** A test that runs a script in a fresh tsx process: 2-3 s alone, much more on a busy machine. */
const CLI_TIMEOUT = 120_000;
/** Runs a script as a user does, in its own process (its real entry point); env values of undefined remove a variable. */
function cli(script: string, args: string[], env: Record<string, string | undefined> = {}) {
    const merged: Record<string, string> = {};
    for (const [k, v] of Object.entries({ PATH: process.env.PATH ?? "", HOME: dir, ...awsEnv, ...env }))
        if (v !== undefined) merged[k] = v;
    return exec(tsx, [join("scripts", script), ...args], { cwd: ROOT, env: merged }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
    );
}

const MAINS = { smoke: smokeMain, send: sendMain, remain: remainMain, list: listMain };
/** The SDK's own switch for its Node-version notice, which the scripts set for themselves. */
const SDK_NOTICE_SWITCH = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

/**
 * Runs a script's main in this process, with the environment `cli` gives a spawned run as far as
 * the commands read it: HOME and the fake Lambda's AWS settings, `env` over them (undefined removes a
 * variable), no other AWS_ variable from the shell the tests run in. The environment is put back after.
 */
async function run(script: keyof typeof MAINS, args: string[], env: Record<string, string | undefined> = {}) {
    const saved = { ...process.env };
    const wanted: Record<string, string | undefined> = { HOME: dir, ...awsEnv, ...env };
    for (const key of Object.keys(process.env))
        if (key.startsWith("AWS_") && !(key in wanted) && key !== SDK_NOTICE_SWITCH) delete process.env[key];
    for (const [key, value] of Object.entries(wanted)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
    }
    try {
        return await runCaptured(MAINS[script], args);
    } finally {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
    }
}
/** Everything the commands printed, for the check that no suggested command holds a placeholder. */
const seen: string[] = [];
function outputsFile(fn: string, extra: Record<string, unknown> = {}) {
    const file = join(dir, `${fn}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(outputs(fn, extra)));
    return file;
}

describe("the commands", () => {
    it(
        "npm run smoke: exit 0 when all is well, 1 with a diagnosis otherwise",
        async () => {
            const good = await run("smoke", ["--stack", "dev", "--outputs-file", outputsFile("sms-good")]);
            expect(good.code).toBe(0);
            expect(good.stdout).toContain(`ok    egress IP: ${FAKE_EGRESS_IP}`);
            expect(good.stdout).toContain("All well");
            // The one run of smoke through its real entry point, in a process of its own: its exit code is the process's.
            const bad = await cli("smoke.ts", ["--stack", "dev", "--outputs-file", outputsFile("sms-ip-refused")]);
            expect(bad.code).toBe(1);
            expect(bad.stderr).toBe("");
            expect(bad.stdout).toMatch(
                /FAIL {2}Aligo remain: -101: 인증오류입니다\.-IP\n\nDiagnosis:\n {2}- Aligo refuses calls from 203\.0\.113\.77/,
            );
        },
        CLI_TIMEOUT,
    );

    it(
        "without the Pulumi CLI and without --outputs-file, says what to do",
        async () => {
            const r = await run("smoke", ["--stack", "dev"], { PATH: dirname(process.execPath) });
            expect(r.code).toBe(1);
            expect(r.stderr).toMatch(/^error: the Pulumi CLI is not on PATH; install it, or pass --outputs-file FILE/);
        },
        COMMAND_TIMEOUT,
    );

    it(
        "npm run send --test: Korean intact at Aligo, readable answer, number masked",
        async () => {
            aligo.reset();
            // The one run of send through its real entry point, in a process of its own: the Korean text
            // goes through the command line as a user types it.
            const r = await cli("send.ts", [
                "--stack",
                "dev",
                "--outputs-file",
                outputsFile("sms-good"),
                "--to",
                "010-1234-5678",
                "--msg",
                "배송이 시작되었습니다 & 100%",
                "--test",
            ]);
            expect(r.code).toBe(0);
            expect(r.stdout).toBe(
                "Test-mode send accepted (nothing delivered, nothing billed): msg_id 583009869 to 010****5678; SMS, 28 bytes; 1 accepted, 0 failed.\n",
            );
            expect(
                aligo.requests
                    .filter((q) => q.path === "/send/")
                    .map((q) => [q.params.msg, q.params.testmode_yn, q.params.receiver]),
            ).toEqual([["배송이 시작되었습니다 & 100%", "Y", "01012345678"]]);
        },
        CLI_TIMEOUT,
    );

    it(
        "npm run send: a refusal explains itself and exits 1; bad input names the field",
        async () => {
            const refused = await run("send", [
                "--stack",
                "dev",
                "--outputs-file",
                outputsFile("sms-ip-refused"),
                "--to",
                "01012345678",
                "--msg",
                "x",
            ]);
            expect(refused.code).toBe(0); // /send/ is not refused by this fake, only /remain/
            const invalid = await run("send", [
                "--stack",
                "dev",
                "--outputs-file",
                outputsFile("sms-good"),
                "--to",
                "02-123-4567",
                "--msg",
                "x",
            ]);
            expect(invalid.code).toBe(1);
            expect(invalid.stdout).toMatch(
                /^Not sent to 021\*\*\*\*4567\.\nError INVALID_INPUT: receiver\[0\]: "021\*\*\*\*4567" \(9 characters\) is not a Korean mobile number/,
            );
            expect(invalid.stdout).toContain("  field: receiver[0]");
            // Refused here, by the function's own rules, before the stack's outputs were read or the function invoked.
            const invocationsBefore = lambda.invocations.length;
            for (const [to, msg, field] of [
                ["02-123-4567", "x", "receiver[0]"],
                ["010-1234-5678,01012345678", "x", "receiver"],
                ["01012345678", "\u3000\u200B", "msg"],
            ]) {
                const local = await run("send", [
                    "--stack",
                    "dev",
                    "--outputs-file",
                    join(dir, "no-such-outputs.json"),
                    "--to",
                    to,
                    "--msg",
                    msg,
                ]);
                expect(local.code).toBe(1);
                expect(local.stderr).toBe("");
                expect(local.stdout).toMatch(/^Not sent to .*\nError INVALID_INPUT: /);
                expect(local.stdout).toContain(`  field: ${field}`);
            }
            expect(lambda.invocations.length).toBe(invocationsBefore);
            const usage = await run("send", ["--stack", "dev", "--to", "01012345678"]);
            expect(usage.code).toBe(2);
            expect(usage.stderr).toMatch(/^usage: --msg is required: the message/);
            // Aligo refused the key: the request reached Aligo (maybeSent true), but its refusal code says it sent nothing.
            const badKey = await run("send", [
                "--stack",
                "dev",
                "--outputs-file",
                outputsFile("sms-bad-key"),
                "--to",
                "01012345678",
                "--msg",
                "x",
            ]);
            expect(badKey.code).toBe(1);
            expect(badKey.stdout).toMatch(/^Not sent to 010\*\*\*\*5678\.\nError -101: 인증오류입니다\./);
        },
        COMMAND_TIMEOUT,
    );

    it(
        "npm run send: when the message may have gone out, it says so and gives the complete command to check, never 'Not sent'",
        async () => {
            // 1. Aligo took the request and never answered: the function's TIMEOUT after connecting (maybeSent true).
            const hung = outputsFile("sms-send-hangs");
            const timeout = await run("send", [
                "--stack",
                "dev",
                "--outputs-file",
                hung,
                "--to",
                "010-1234-5678",
                "--msg",
                "x",
            ]);
            // 2. Lambda's own timeout (Task timed out): the function may have sent before it was stopped.
            const killed = outputsFile("sms-killed");
            const lambdaTimeout = await run("send", [
                "--stack",
                "dev",
                "--outputs-file",
                killed,
                "--to",
                "010-1234-5678",
                "--msg",
                "x",
            ]);
            // 3. The connection to Lambda broke once the request was written; the send is not retried.
            const before = lambda.requests.filter((f) => f === "sms-reset").length;
            const reset = outputsFile("sms-reset");
            const broken = await run("send", [
                "--stack",
                "dev",
                "--outputs-file",
                reset,
                "--to",
                "010-1234-5678",
                "--msg",
                "x",
            ]);
            seen.push(timeout.stdout, lambdaTimeout.stdout, broken.stdout);
            for (const [r, file] of [
                [timeout, hung],
                [lambdaTimeout, killed],
                [broken, reset],
            ] as const) {
                expect(r.code).toBe(1);
                expect(r.stdout).toMatch(
                    /^May have been sent to 010\*\*\*\*5678: the request may have reached Aligo before it failed\./,
                );
                expect(r.stdout).toContain(
                    `Do not send again before checking Aligo's recent messages: \`npm run -s list -- --stack dev --outputs-file ${file}\`.`,
                );
                expect(r.stdout).not.toMatch(/Not sent|list action/);
            }
            expect(timeout.stdout).toMatch(/\nError TIMEOUT: /);
            expect(lambdaTimeout.stdout).toMatch(/\nThe function failed: Sandbox\.Timedout: .*Task timed out/);
            // Not "Lambda was not reached": the connection broke in `read`, after the invocation was written.
            expect(broken.stdout).toMatch(
                /\nThe connection to the Lambda API in ap-northeast-2 broke after the request was sent \(ECONNRESET: .*\)[^\n]*Lambda may have received the invocation/,
            );
            expect(broken.stdout).not.toContain("Lambda was not reached");
            expect(lambda.requests.filter((f) => f === "sms-reset").length - before).toBe(1);
        },
        COMMAND_TIMEOUT,
    );

    it(
        "npm run list: Aligo's recent messages, and one message's receivers, numbers masked; a failure diagnosed like the others",
        async () => {
            const file = outputsFile("sms-good");
            // The one run of list through its real entry point, in a process of its own.
            const list = await cli("list.ts", ["--stack", "dev", "--outputs-file", file, "--days", "3"]);
            seen.push(list.stdout);
            expect(list).toMatchObject({ code: 0, stderr: "" });
            expect(list.stdout).toBe(
                "Aligo's recent messages (newest first, the last 3 day(s)):\n" +
                    '  2026-11-24 10:00:00  mid 583009869  SMS  1 receiver(s), 0 failed  from 021****5678  "안녕하세요"\n' +
                    `The receivers of one: \`npm run -s list -- --stack dev --outputs-file ${file} --mid 583009869\`\n`,
            );
            expect(aligo.requests.filter((q) => q.path === "/list/").at(-1)?.params.limit_day).toBe("3");
            const detail = await run("list", ["--stack", "dev", "--outputs-file", file, "--mid", "583009869"]);
            expect(detail).toMatchObject({
                code: 0,
                stdout: "Receivers of message 583009869:\n  010****5678  발송완료  SMS  registered 2026-11-24 10:00:00, sent 2026-11-24 10:00:01\n",
            });
            expect(detail.stdout).not.toContain("01012345678");
            const denied = await run("list", ["--stack", "dev", "--outputs-file", outputsFile("sms-expired")]);
            seen.push(denied.stdout);
            expect(denied.code).toBe(1);
            expect(denied.stdout).toMatch(
                /^Your AWS credentials have expired .*Then run `npm run -s list -- --stack dev --outputs-file \S+` again\.\n$/,
            );
        },
        CLI_TIMEOUT,
    );

    it(
        "npm run list: a phone number inside a message's text is masked too",
        async () => {
            const r = await run("list", ["--stack", "dev", "--outputs-file", outputsFile("sms-list-quoting-number")]);
            expect(r).toMatchObject({ code: 0, stderr: "" });
            expect(r.stdout).toContain(
                'mid 583009871  SMS  1 receiver(s), 0 failed  from 021****5678  "문의는 010****5432 로 연락 주세요"',
            );
            expect(r.stdout).not.toMatch(/9876/);
        },
        COMMAND_TIMEOUT,
    );

    it(
        "npm run send: Lambda throttled the invocation (TooManyRequestsException, 429): 'Not sent', nothing ran",
        async () => {
            const before = lambda.requests.filter((f) => f === "sms-throttled").length;
            const r = await run("send", [
                "--stack",
                "dev",
                "--outputs-file",
                outputsFile("sms-throttled"),
                "--to",
                "010-1234-5678",
                "--msg",
                "x",
            ]);
            seen.push(r.stdout);
            expect(r.code).toBe(1);
            expect(r.stdout).toMatch(
                /^Not sent to 010\*\*\*\*5678\.\nLambda throttled the call \(TooManyRequestsException\)/,
            );
            expect(lambda.requests.filter((f) => f === "sms-throttled").length - before).toBe(1);
        },
        COMMAND_TIMEOUT,
    );

    it(
        "npm run send: no connection to the Lambda API at all (a refused connect): 'Not sent'",
        async () => {
            const port = await closedPort();
            const r = await run(
                "send",
                ["--stack", "dev", "--outputs-file", outputsFile("sms-good"), "--to", "010-1234-5678", "--msg", "x"],
                { AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${port}` },
            );
            seen.push(r.stdout);
            expect(r.code).toBe(1);
            expect(r.stdout).toMatch(
                /^Not sent to 010\*\*\*\*5678\.\nCould not reach the Lambda API in ap-northeast-2 from this machine \(ECONNREFUSED: connect ECONNREFUSED/,
            );
        },
        COMMAND_TIMEOUT,
    );

    it(
        "without --stack: the Pulumi CLI's selected stack, fully qualified, is what `pulumi stack output` and the suggested commands get",
        async () => {
            const bin = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
            const calls = join(bin, "calls.log");
            const stackOutputs = outputsFile("sms-expired");
            // A CLI of 3.122.0 or later with a stack selected in another organisation than the user's default.
            writeFileSync(
                join(bin, "pulumi"),
                `#!/bin/sh\necho "$*" >> ${JSON.stringify(calls)}\ncase "$*" in\n` +
                    `  "stack --show-name --fully-qualify-stack-names --non-interactive") echo acme/aligo-sms/dev ;;\n` +
                    `  "stack output --json --stack acme/aligo-sms/dev") cat ${JSON.stringify(stackOutputs)} ;;\n` +
                    `  *) echo "error: no stack named $*" >&2; exit 255 ;;\nesac\n`,
            );
            chmodSync(join(bin, "pulumi"), 0o755);
            const r = await run("remain", [], { PATH: [bin, dirname(process.execPath)].join(":") });
            seen.push(r.stdout);
            expect(r.stderr).toBe("");
            expect(r.stdout).toMatch(
                /^Your AWS credentials have expired .*Then run `npm run -s remain -- --stack acme\/aligo-sms\/dev` again\.\n$/,
            );
            expect(readFileSync(calls, "utf8")).toBe(
                "stack --show-name --fully-qualify-stack-names --non-interactive\nstack output --json --stack acme/aligo-sms/dev\n",
            );
        },
        COMMAND_TIMEOUT,
    );

    it(
        "npm run remain: the balance, or Aligo's refusal with the addresses to register",
        async () => {
            const ok = await run("remain", ["--stack", "dev", "--outputs-file", outputsFile("sms-good")]);
            expect(ok).toMatchObject({
                code: 0,
                stdout: "Aligo balance (messages you can still send): SMS 5936, LMS 2045, MMS 908\n",
            });
            const refused = await run("remain", ["--stack", "dev", "--outputs-file", outputsFile("sms-ip-refused")]);
            expect(refused.code).toBe(1);
            expect(refused.stdout).toMatch(
                /^Error -101: 인증오류입니다\.-IP\n {2}hint: Aligo does not accept calls from 203\.0\.113\.77\./,
            );
        },
        COMMAND_TIMEOUT,
    );
});

describe("local causes first: what a first deployer meets", () => {
    /** No credentials anywhere: no keys, no files, no instance metadata. */
    const noCredentials = {
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_CONFIG_FILE: join(dir, "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
    };
    it(
        "smoke with no AWS credentials at all: says so and how to provide them, and nothing about Lambda",
        async () => {
            const before = lambda.invocations.length;
            const file = outputsFile("sms-good");
            const r = await run("smoke", ["--stack", "dev", "--outputs-file", file], noCredentials);
            seen.push(r.stdout, r.stderr);
            expect(r.code).toBe(1);
            expect(r.stdout).toMatch(
                /No AWS credentials on this machine: the AWS SDK found none \(CredentialsProviderError/,
            );
            // No profiles on this machine and no ESC environment in the stack file: the ways in words, no NAME or ORG/ENV to fill in.
            expect(r.stdout).toContain(
                "Provide them: `aws configure` (an access key) or `aws configure sso` (an SSO login; it asks for a profile name, which you then set as AWS_PROFILE)",
            );
            expect(r.stdout).toContain(
                'or a Pulumi ESC environment that holds them, with this command run through pulumi env run (README, "Secrets and credentials with Pulumi ESC")',
            );
            expect(r.stdout).toContain(`Then run \`npm run -s smoke -- --stack dev --outputs-file ${file}\` again.`);
            expect(r.stdout).not.toMatch(/Lambda refused|refused the (call|invocation)/);
            // Exactly one diagnosis: the second check is not blamed on anything else.
            expect(r.stdout.match(/^ {2}- /gm)).toHaveLength(1);
            expect(r.stderr).toBe("");
            expect(lambda.invocations.length).toBe(before);
        },
        COMMAND_TIMEOUT,
    );

    it(
        "a profile that does not exist: says which, not 'no credentials'",
        async () => {
            const r = await run("remain", ["--stack", "dev", "--outputs-file", outputsFile("sms-good")], {
                ...noCredentials,
                AWS_PROFILE: "ghost",
            });
            seen.push(r.stdout);
            expect(r.code).toBe(1);
            expect(r.stdout).toMatch(
                /^The AWS profile "ghost" \(from AWS_PROFILE\) gave no credentials .*: it is not in \S+no-aws-config or \S+no-aws-credentials\. There are no profiles there: `aws configure --profile ghost` makes it\. This is local/,
            );
            expect(r.stdout).not.toContain("list-profiles");
        },
        COMMAND_TIMEOUT,
    );

    it(
        "no credentials, but profiles in the AWS config: names them, with a command to run as it stands (SSO login first where the profile is SSO)",
        async () => {
            const config = join(dir, "profiles-config");
            const credentials = join(dir, "profiles-credentials");
            writeFileSync(
                config,
                "[profile work]\nsso_session = corp\nregion = ap-northeast-2\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n",
            );
            writeFileSync(credentials, "[ci]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n");
            const file = outputsFile("sms-good");
            const r = await run("remain", ["--stack", "dev", "--outputs-file", file], {
                ...noCredentials,
                AWS_CONFIG_FILE: config,
                AWS_SHARED_CREDENTIALS_FILE: credentials,
            });
            seen.push(r.stdout);
            expect(r.code).toBe(1);
            expect(r.stdout).toContain(
                `use one of the AWS profiles on this machine (work, ci): \`aws sso login --profile work && AWS_PROFILE=work npm run -s remain -- --stack dev --outputs-file ${file}\``,
            );
            const ghost = await run("remain", ["--stack", "dev", "--outputs-file", file], {
                ...noCredentials,
                AWS_CONFIG_FILE: config,
                AWS_SHARED_CREDENTIALS_FILE: credentials,
                AWS_PROFILE: "ghost",
            });
            seen.push(ghost.stdout);
            expect(ghost.stdout).toContain(
                `The profiles there: work, ci (\`AWS_PROFILE=work npm run -s remain -- --stack dev --outputs-file ${file}\`)`,
            );
        },
        COMMAND_TIMEOUT,
    );

    it(
        "remain and send with no credentials: the same diagnosis, with their own next step",
        async () => {
            const requestsBefore = lambda.requests.length;
            const remain = await run(
                "remain",
                ["--stack", "dev", "--outputs-file", outputsFile("sms-good")],
                noCredentials,
            );
            const send = await run(
                "send",
                ["--stack", "dev", "--outputs-file", outputsFile("sms-good"), "--to", "01012345678", "--msg", "x"],
                noCredentials,
            );
            seen.push(remain.stdout, send.stdout);
            expect(remain.code).toBe(1);
            expect(remain.stdout).toMatch(
                /^No AWS credentials on this machine.*Then run `npm run -s remain -- --stack dev --outputs-file \S+` again\.\n$/s,
            );
            expect(send.code).toBe(1);
            expect(send.stdout).toMatch(
                /^Not sent to 010\*\*\*\*5678\.\nNo AWS credentials on this machine.*Then check with `npm run -s smoke -- --stack dev --outputs-file \S+` before sending again\.\n$/s,
            );
            expect(lambda.requests.length).toBe(requestsBefore);
        },
        COMMAND_TIMEOUT,
    );

    it.each<[string, string, Record<string, string | undefined>, RegExp]>([
        [
            "expired credentials",
            "sms-expired",
            {},
            /^Your AWS credentials have expired \(ExpiredTokenException: The security token included in the request is expired\)\. Renew them/,
        ],
        [
            "a wrong secret key",
            "sms-good",
            { AWS_SECRET_ACCESS_KEY: "not-the-secret" },
            /^AWS does not accept these credentials \(InvalidSignatureException\): the access key id or secret is wrong/,
        ],
        [
            "a function that is not there",
            "sms-missing",
            {},
            /^Function sms-missing does not exist in ap-northeast-2 for these credentials: the stack is not deployed \(`pulumi up --stack dev`\), was destroyed, or your credentials are for another account than the function's \(123456789012; see `aws sts get-caller-identity`\)\./,
        ],
        [
            "an identity that may not invoke",
            "sms-denied",
            {},
            /^Your AWS identity \(arn:aws:iam::123456789012:user\/intern\) may not call lambda:InvokeFunction on arn:aws:lambda:ap-northeast-2:123456789012:function:sms-denied \(AccessDeniedException\)/,
        ],
        ["throttling", "sms-throttled", {}, /^Lambda throttled the call \(TooManyRequestsException\)/],
    ])(
        "remain: %s",
        async (_label, fn, env, message) => {
            const r = await run("remain", ["--stack", "dev", "--outputs-file", outputsFile(fn)], env);
            seen.push(r.stdout);
            expect(r.code).toBe(1);
            expect(r.stdout).toMatch(message);
            expect(r.stdout).not.toMatch(/Lambda refused/);
        },
        COMMAND_TIMEOUT,
    );

    it(
        "no network: the Lambda API cannot be reached (a closed port), said as a local problem",
        async () => {
            const port = await closedPort();
            const r = await run("smoke", ["--stack", "dev", "--outputs-file", outputsFile("sms-good")], {
                AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${port}`,
            });
            seen.push(r.stdout);
            expect(r.code).toBe(1);
            expect(r.stdout).toMatch(
                /Could not reach the Lambda API in ap-northeast-2 from this machine \(ECONNREFUSED: .*\): no network, or DNS cannot resolve it\. This is local; Lambda was not reached\. The scripts connect to AWS directly \(they use no proxy\)\./,
            );
            // The scripts' SDK client reads no proxy variable, so none is suggested.
            expect(r.stdout).not.toMatch(/HTTPS?_PROXY/i);
        },
        COMMAND_TIMEOUT,
    );

    it(
        "without smsFunctionArn the region comes from the stack's config, and a miss says which region was asked",
        async () => {
            const r = await run("remain", [
                "--stack",
                "dev",
                "--outputs-file",
                outputsFile("sms-good", { smsFunctionArn: undefined }),
            ]);
            expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Aligo balance/) });
            const miss = await run("remain", [
                "--stack",
                "dev",
                "--outputs-file",
                outputsFile("sms-missing", { smsFunctionArn: undefined }),
            ]);
            seen.push(miss.stdout);
            expect(miss.stdout).toMatch(/^Function sms-missing does not exist in ap-northeast-2 for these credentials/);
        },
        COMMAND_TIMEOUT,
    );
});

describe("failureKind: the SDK's errors sorted by cause", () => {
    it.each<[Record<string, unknown>, string]>([
        [
            { name: "CredentialsProviderError", message: "Could not load credentials from any providers" },
            "no-credentials",
        ],
        [
            { name: "CredentialsProviderError", message: "The SSO session associated with this profile has expired" },
            "expired-credentials",
        ],
        [
            { name: "UnrecognizedClientException", message: "The security token included in the request is invalid." },
            "invalid-credentials",
        ],
        [
            { name: "Error", message: "getaddrinfo ENOTFOUND lambda.ap-northeast-2.amazonaws.com", code: "ENOTFOUND" },
            "no-network",
        ],
        [{ name: "TimeoutError", message: "read ECONNRESET", code: "ECONNRESET", syscall: "read" }, "connection-lost"],
        [
            { name: "Error", message: "connect ECONNREFUSED 127.0.0.1:9", code: "ECONNREFUSED", syscall: "connect" },
            "no-network",
        ],
        [{ name: "Error", message: "read EHOSTUNREACH", code: "EHOSTUNREACH", syscall: "read" }, "connection-lost"],
        [
            {
                name: "Error",
                message: "connect EHOSTUNREACH 52.95.195.10:443",
                code: "EHOSTUNREACH",
                syscall: "connect",
            },
            "no-network",
        ],
        [
            {
                name: "TimeoutError",
                message:
                    "@smithy/node-http-handler - [ERROR] a request has exceeded the configured 20000 ms requestTimeout.",
                code: "ETIMEDOUT",
            },
            "no-answer",
        ],
        [
            { name: "TooManyRequestsException", message: "Rate Exceeded.", $metadata: { httpStatusCode: 429 } },
            "throttled",
        ],
        [{ name: "Error", message: "Region is missing" }, "no-region"],
        [{ name: "ResourceNotFoundException", message: "Function not found" }, "not-found"],
        [
            {
                name: "EC2AccessDeniedException",
                message: "execution role does not have CreateNetworkInterface permission",
            },
            "vpc-permissions",
        ],
        [{ name: "ServiceException", message: "internal" }, "lambda"],
    ])("%j → %s", async (e, kind) => {
        const { awsFailure, failureKind } = await import("./diagnose");
        expect(failureKind(awsFailure(e))).toBe(kind);
    });
});

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
    const { createServer } = await import("node:net");
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    return port;
}

describe("sent or not: a failed send says 'Not sent' only when nothing can have gone out", () => {
    it.each<[string, Invocation, boolean]>([
        [
            "bad input (maybeSent false)",
            { kind: "result", result: { ok: false, error: { code: "INVALID_INPUT", maybeSent: false } } },
            true,
        ],
        [
            "Aligo's refusal (maybeSent true: it reached Aligo, which says it sent nothing)",
            { kind: "result", result: { ok: false, error: { code: -101, source: "aligo", maybeSent: true } } },
            true,
        ],
        [
            "a negative code that is not Aligo's own answer",
            { kind: "result", result: { ok: false, error: { code: -101, maybeSent: true } } },
            false,
        ],
        [
            "Aligo's answer with a positive code but broken",
            {
                kind: "result",
                result: { ok: false, error: { code: "BAD_RESPONSE", source: "aligo", maybeSent: true } },
            },
            false,
        ],
        [
            "a timeout after connecting (maybeSent true)",
            { kind: "result", result: { ok: false, error: { code: "TIMEOUT", maybeSent: true } } },
            false,
        ],
        [
            "a failure without maybeSent",
            { kind: "result", result: { ok: false, error: { code: "HTTP_ERROR" } } },
            false,
        ],
        [
            "Lambda's timeout",
            {
                kind: "function-error",
                errorType: "Sandbox.Timedout",
                errorMessage: "Task timed out after 10.00 seconds",
            },
            false,
        ],
        [
            "no credentials",
            {
                kind: "invoke-error",
                name: "CredentialsProviderError",
                message: "Could not load credentials from any providers",
            },
            true,
        ],
        [
            "no DNS",
            {
                kind: "invoke-error",
                name: "Error",
                message: "getaddrinfo ENOTFOUND lambda.ap-northeast-2.amazonaws.com",
                code: "ENOTFOUND",
            },
            true,
        ],
        [
            "connection refused",
            { kind: "invoke-error", name: "Error", message: "connect ECONNREFUSED 127.0.0.1:9", code: "ECONNREFUSED" },
            true,
        ],
        [
            "a reset after writing",
            { kind: "invoke-error", name: "Error", message: "read ECONNRESET", code: "ECONNRESET" },
            false,
        ],
        // Linux reports EHOSTUNREACH / ENETUNREACH on an open connection too, when the route dies after the invoke was written.
        [
            "no route to the host while reading the answer",
            {
                kind: "invoke-error",
                name: "Error",
                message: "read EHOSTUNREACH",
                code: "EHOSTUNREACH",
                syscall: "read",
            },
            false,
        ],
        [
            "no route to the network while writing",
            {
                kind: "invoke-error",
                name: "Error",
                message: "write ENETUNREACH",
                code: "ENETUNREACH",
                syscall: "write",
            },
            false,
        ],
        [
            "EHOSTUNREACH, system call not recorded, Node's message says read",
            { kind: "invoke-error", name: "Error", message: "read EHOSTUNREACH", code: "EHOSTUNREACH" },
            false,
        ],
        [
            "no route to the host while connecting",
            {
                kind: "invoke-error",
                name: "Error",
                message: "connect EHOSTUNREACH 52.95.195.10:443",
                code: "EHOSTUNREACH",
                syscall: "connect",
            },
            true,
        ],
        [
            "no route to the network, no code, Node's message says connect",
            { kind: "invoke-error", name: "Error", message: "connect ENETUNREACH 52.95.195.10:443" },
            true,
        ],
        [
            "a connect that timed out",
            {
                kind: "invoke-error",
                name: "Error",
                message: "connect ETIMEDOUT 52.95.195.10:443",
                code: "ETIMEDOUT",
                syscall: "connect",
            },
            true,
        ],
        [
            "no answer from Lambda within the function's timeout plus 5 s",
            {
                kind: "invoke-error",
                name: "TimeoutError",
                message:
                    "@smithy/node-http-handler - [ERROR] a request has exceeded the configured 20000 ms requestTimeout.",
                code: "ETIMEDOUT",
            },
            false,
        ],
        [
            "throttled by Lambda",
            { kind: "invoke-error", name: "TooManyRequestsException", message: "Rate Exceeded.", status: 429 },
            true,
        ],
        ["a socket that hung up", { kind: "invoke-error", name: "Error", message: "socket hang up" }, false],
        [
            "no such function",
            { kind: "invoke-error", name: "ResourceNotFoundException", message: "Function not found", status: 404 },
            true,
        ],
        [
            "may not invoke",
            {
                kind: "invoke-error",
                name: "AccessDeniedException",
                message: "not authorized to perform: lambda:InvokeFunction",
                status: 403,
            },
            true,
        ],
        [
            "Lambda's own 500",
            { kind: "invoke-error", name: "ServiceException", message: "internal", status: 500 },
            false,
        ],
    ])("%s → certainly not sent: %s", (_label, inv, notSent) => {
        expect(certainlyNotSent(inv)).toBe(notSent);
    });

    it("the system call is kept from Node's error: a real refused connect is 'connect', so not sent", async () => {
        const port = await closedPort();
        const offline = new LambdaClient({ region: TEST_REGION, endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 });
        const inv = await invoke(offline, "sms-good", { action: "remain" });
        expect(inv).toMatchObject({ kind: "invoke-error", code: "ECONNREFUSED", syscall: "connect" });
        expect(certainlyNotSent(inv)).toBe(true);
    });

    it("the system call of Node's AggregateError (every address of a host refused) is the one its errors share", () => {
        const each = (address: string) =>
            Object.assign(new Error(`connect ECONNREFUSED ${address}:443`), {
                code: "ECONNREFUSED",
                syscall: "connect",
            });
        const all = Object.assign(new AggregateError([each("::1"), each("127.0.0.1")], ""), { code: "ECONNREFUSED" });
        expect(awsFailure(all)).toMatchObject({ code: "ECONNREFUSED", syscall: "connect" });
        expect(failureKind(awsFailure(all))).toBe("no-network");
        const mixed = Object.assign(
            new AggregateError(
                [each("::1"), Object.assign(new Error("read EHOSTUNREACH"), { code: "EHOSTUNREACH", syscall: "read" })],
                "",
            ),
            { code: "ECONNREFUSED" },
        );
        expect(awsFailure(mixed).syscall).toBeUndefined();
        expect(failureKind(awsFailure(mixed))).toBe("connection-lost");
    });
});

describe("a send Lambda never answers: the client gives up after the function's timeout plus 5 s", () => {
    /** A project whose dev stack configures the given lambdaTimeoutSeconds (none: the Pulumi.yaml default, 15). */
    const project = (seconds?: number) => {
        const root = mkdtempSync(join(tmpdir(), "timeout-stack-"));
        writeFileSync(
            join(root, "Pulumi.yaml"),
            "name: aligo-sms\nruntime: nodejs\nconfig:\n  lambdaTimeoutSeconds:\n    type: integer\n    default: 15\n",
        );
        writeFileSync(
            join(root, "Pulumi.dev.yaml"),
            `config:\n  aws:region: ${TEST_REGION}\n${seconds ? `  aligo-sms:lambdaTimeoutSeconds: ${seconds}\n` : ""}`,
        );
        return root;
    };

    it("answerTimeoutMs: the stack's lambdaTimeoutSeconds, else the project default, plus 5 s", () => {
        expect(answerTimeoutMs("dev")).toBe(20_000); // this repository: the default of 15 s
        expect(answerTimeoutMs("acme/aligo-sms/prod")).toBe(20_000);
        expect(answerTimeoutMs("dev", project(60))).toBe(65_000);
        expect(answerTimeoutMs("dev", project())).toBe(20_000);
        expect(answerTimeoutMs("staging", project(60))).toBe(20_000); // no stack file: the project default
    });

    it(
        "one attempt, a TimeoutError after 1 + 5 s, reported as 'May have been sent' with the list command",
        async () => {
            const ctx = { script: "send" as const, stack: "dev", outputsFile: "dev.json" };
            const before = lambda.requests.filter((f) => f === "sms-never-answers").length;
            const started = Date.now();
            const inv = await invoke(
                clientFor(outputs("sms-never-answers"), ctx, { once: true, root: project(1) }),
                "sms-never-answers",
                { action: "send", receiver: ["01012345678"], msg: "x" },
            );
            const waited = Date.now() - started;
            expect(waited).toBeGreaterThanOrEqual(5_900);
            // It gave up on its own timer, not much later: a generous cap (2.5 times the wait), as a busy
            // machine delays timers a little but never by seconds.
            expect(waited).toBeLessThan(15_000);
            expect(inv).toMatchObject({ kind: "invoke-error", name: "TimeoutError" });
            expect(lambda.requests.filter((f) => f === "sms-never-answers").length - before).toBe(1);
            const text = explainSendFailure(inv, "010****5678", outputs("sms-never-answers"), ctx);
            seen.push(text);
            expect(text).toBe(
                "May have been sent to 010****5678: the request may have reached Aligo before it failed. Do not send again before checking Aligo's recent messages: `npm run -s list -- --stack dev --outputs-file dev.json`.\n" +
                    "No answer from the Lambda API in ap-northeast-2 within 6 s, the function's timeout (lambdaTimeoutSeconds) plus 5 s (TimeoutError): the network most likely dropped the connection without a word. " +
                    "Lambda may have received the invocation and run the function. Then check with `npm run -s smoke -- --stack dev --outputs-file dev.json` before sending again.\n",
            );
        },
        COMMAND_TIMEOUT,
    );
});

describe("names only the user knows come from this machine or the stack file", () => {
    it("awsProfiles reads the profiles (and which are SSO) from AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE", () => {
        const config = join(dir, "unit-config");
        const credentials = join(dir, "unit-credentials");
        writeFileSync(
            config,
            "[default]\nregion = ap-northeast-2\n[profile dev-sso]\nsso_start_url = https://x.awsapps.com/start\n[sso-session corp]\nsso_region = ap-northeast-2\n[services local]\n",
        );
        writeFileSync(credentials, "[default]\naws_access_key_id = A\n[ci]\naws_access_key_id = B\n");
        expect(awsProfiles({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials })).toEqual({
            names: ["default", "dev-sso", "ci"],
            sso: ["dev-sso"],
            files: [config, credentials],
        });
        expect(
            awsProfiles({ AWS_CONFIG_FILE: join(dir, "none"), AWS_SHARED_CREDENTIALS_FILE: join(dir, "none") }).names,
        ).toEqual([]);
    });

    it("stackEnvironments reads the ESC environments a stack file imports (either form)", () => {
        const root = mkdtempSync(join(tmpdir(), "esc-stack-"));
        writeFileSync(
            join(root, "Pulumi.dev.yaml"),
            "environment:\n  - aligo-sms/dev\nconfig:\n  aws:region: ap-northeast-2\n",
        );
        writeFileSync(
            join(root, "Pulumi.prod.yaml"),
            "environment:\n  imports:\n    - aligo-sms/common\n    - aligo-sms/prod\n",
        );
        expect(stackEnvironments("dev", root)).toEqual(["aligo-sms/dev"]);
        expect(stackEnvironments("acme/aligo-sms/prod", root)).toEqual(["aligo-sms/common", "aligo-sms/prod"]);
        expect(stackEnvironments("dev")).toEqual([]); // this repository's stack files import none
    });

    it("no region: a command with a real region and the real stack, not a sub-shell that is empty in exactly this case", () => {
        const text = explainAwsFailure({ name: "Error", message: "Region is missing" }, "fn", undefined, {
            script: "remain",
            stack: "acme/aligo-sms/dev",
            outputsFile: "dev.json",
        });
        seen.push(text);
        expect(text).toContain("`pulumi config set aws:region ap-northeast-2 --stack acme/aligo-sms/dev`");
        expect(text).toContain(
            "`AWS_REGION=ap-northeast-2 npm run -s remain -- --stack acme/aligo-sms/dev --outputs-file dev.json`",
        );
        expect(text).not.toContain("$(");
    });

    it("expired credentials under a profile: the login names that profile", () => {
        const saved = process.env.AWS_PROFILE;
        process.env.AWS_PROFILE = "work";
        try {
            const text = explainAwsFailure(
                { name: "ExpiredTokenException", message: "The security token included in the request is expired" },
                "fn",
                undefined,
                { script: "smoke", stack: "dev" },
            );
            seen.push(text);
            expect(text).toContain("`aws sso login --profile work`");
        } finally {
            if (saved === undefined) delete process.env.AWS_PROFILE;
            else process.env.AWS_PROFILE = saved;
        }
    });
});

describe("quiet: no AWS SDK Node-version notice", () => {
    // The SDK prints its notice under Node < 22 only; on Node 22 and later this cannot fail.
    const quiet = async (name: string, body: string) => {
        const file = join(dir, `${name}.ts`);
        writeFileSync(file, body);
        const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: dir };
        return exec(tsx, [file], { cwd: ROOT, env });
    };

    it.each([
        [
            "a client made by the scripts (ops.ts)",
            `import { clientFor } from ${JSON.stringify(join(ROOT, "scripts/lib/ops"))};\nclientFor({ smsFunctionArn: "arn:aws:lambda:ap-northeast-2:123456789012:function:x" }, { script: "remain", stack: "dev" });\nconsole.log("made");\n`,
        ],
        [
            "a client made in a test beside the fake Lambda",
            `import { LambdaClient } from ${JSON.stringify(createRequire(join(ROOT, "package.json")).resolve("@aws-sdk/client-lambda"))};\nimport { FakeLambda } from ${JSON.stringify(join(ROOT, "fakes/lambda"))};\nvoid FakeLambda;\nnew LambdaClient({ region: "ap-northeast-2" });\nconsole.log("made");\n`,
        ],
    ])(
        "%s",
        async (_label, body) => {
            const r = await quiet(_label.replace(/\W+/g, "-"), body);
            expect(r.stdout).toBe("made\n");
            expect(r.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK for JavaScript/);
        },
        CLI_TIMEOUT,
    );
});

describe("every command a message suggests is complete", () => {
    it("no placeholder left in any of them: <stack>, STACK, NAME, ORG/ENV, FILE", () => {
        const text = seen.join("\n");
        expect(text.length).toBeGreaterThan(2000);
        const commands = text.match(/`[^`]+`/g) ?? [];
        expect(commands.length).toBeGreaterThan(20);
        // An all-capital word that is not a variable being set (AWS_PROFILE=work) is a placeholder.
        for (const command of commands) expect(command).not.toMatch(/<[a-z-]+>|\b[A-Z]{3,}\b(?!=)/);
    });
});

describe("isIpRefusalResult: the scripts tell an IP refusal from a key refusal", () => {
    it.each([
        [
            "the function's marker, whatever the quoted message",
            { code: -101, message: "인증오류입니다. 등록된 발송 정보를…", egressIps: [] },
            true,
        ],
        ["Aligo's own words, from an older function", { code: "-101", message: "인증오류입니다.-ip" }, true],
        ["a key refusal", { code: -101, message: "인증오류입니다.-API" }, false],
        ["another code with egressIps", { code: -102, message: "IP", egressIps: [] }, false],
    ])("%s", (_, e, ip) => expect(isIpRefusalResult(e)).toBe(ip));
});
