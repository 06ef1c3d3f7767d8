// Talking to a deployed stack: its outputs (from `pulumi stack output --json`, or a file), and
// invoking its SMS function. Shared by smoke, send and remain.
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { loadStackConfig, readProject, ROOT } from "../../program/stack-config";
import type { OptionSpec, Parsed } from "./args";
import { ANSWER_MARGIN_S, awsFailure, type AwsFailure, type OpsContext } from "./diagnose";
import { OPTION_HELP, OUTPUTS } from "./messages";

// The AWS SDK prints a nine-line notice on the first client it makes under Node < 22 (its own future
// support policy), into every command's output and every test that makes a client through here. The
// README supports Node 20, so the notice is switched off with the SDK's own switch (@aws-sdk/core
// emitWarningIfUnsupportedVersion: AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, read
// 2026-12-02), here where the clients are made; nothing else is silenced.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export interface StackOutputs {
    natStrategy?: string;
    egressIp?: string;
    egressIps?: string[];
    privateSubnetIds?: string[];
    publicSubnetIds?: string[];
    smsFunctionName?: string;
    smsFunctionArn?: string;
    warmerFunctionName?: string;
    [key: string]: unknown;
}

export class OpsError extends Error {}

export const OUTPUTS_FILE_OPTION: OptionSpec = { type: "string", value: "FILE", help: OPTION_HELP.outputsFile };

/** What a command against a deployed stack was run with, from its parsed command line. */
export function opsContext(script: OpsContext["script"], { values, stackRef }: Parsed): OpsContext {
    return { script, stack: stackRef!, outputsFile: values["outputs-file"] as string | undefined };
}

/** The stack's outputs and its SMS function's name; an OpsError when the stack has none (not deployed yet). */
export async function deployedFunction(ctx: OpsContext): Promise<{ outputs: StackOutputs; fn: string }> {
    const outputs = await loadOutputs(ctx.stack, ctx.outputsFile);
    if (!outputs.smsFunctionName) throw new OpsError(OUTPUTS.notDeployed(ctx.stack));
    return { outputs, fn: outputs.smsFunctionName };
}

/** Reads the stack's outputs: from a file when given, else from the Pulumi CLI. */
export async function loadOutputs(stack: string, outputsFile?: string): Promise<StackOutputs> {
    if (outputsFile) {
        try {
            return JSON.parse(readFileSync(outputsFile, "utf8")) as StackOutputs;
        } catch (e) {
            throw new OpsError(`--outputs-file ${outputsFile}: ${(e as Error).message}`);
        }
    }
    try {
        const { stdout } = await promisify(execFile)("pulumi", ["stack", "output", "--json", "--stack", stack], {
            maxBuffer: 16 * 1024 * 1024,
        });
        return JSON.parse(stdout) as StackOutputs;
    } catch (e) {
        const err = e as { code?: string; stderr?: string; message: string };
        if (err.code === "ENOENT") throw new OpsError(OUTPUTS.noCli(stack));
        throw new OpsError(`pulumi stack output --stack ${stack} failed: ${(err.stderr || err.message).trim()}`);
    }
}

/**
 * Lambda's longest function timeout, 900 s ("Configure Lambda function timeout",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html, read 2026-12-02).
 */
const LAMBDA_MAX_TIMEOUT_S = 900;

/**
 * How long to wait for Lambda's answer to an invocation, in ms: the function's timeout as the stack
 * configures it (lambdaTimeoutSeconds, its default from Pulumi.yaml) plus ANSWER_MARGIN_S; when the
 * stack's file cannot be read, the project default; failing that, Lambda's longest timeout.
 */
export function answerTimeoutMs(stack: string, root = ROOT): number {
    const seconds = (read: () => unknown) => {
        try {
            const n = Number(read());
            return Number.isFinite(n) && n > 0 ? n : undefined;
        } catch {
            return undefined;
        }
    };
    const configured =
        seconds(() => loadStackConfig(stack, root).values[`${readProject(root).name}:lambdaTimeoutSeconds`]) ??
        seconds(() => readProject(root).config?.lambdaTimeoutSeconds?.default) ??
        LAMBDA_MAX_TIMEOUT_S;
    return (configured + ANSWER_MARGIN_S) * 1000;
}

/**
 * A Lambda client in the function's own region: from its ARN, else the stack's `aws:region`, else
 * the environment's (AWS_REGION, the profile). The region and where it came from go into `ctx`.
 * `once`: no retries (the SDK's default is 3 attempts), for a send: a retry after a connection that
 * broke once the request was written could invoke the function twice, and send twice.
 * Every call gives up when Lambda has not answered within answerTimeoutMs (without it, a network that
 * drops packets silently holds the command for the operating system's TCP timeout, many minutes);
 * the SDK then throws a TimeoutError (requestTimeout with throwOnRequestTimeout, @smithy/node-http-handler,
 * read 2026-12-02). `root`: where the stack files are (tests).
 */
export function clientFor(
    outputs: StackOutputs,
    ctx: OpsContext,
    opts: { once?: boolean; root?: string } = {},
): LambdaClient {
    const root = opts.root ?? ROOT;
    const fromArn = outputs.smsFunctionArn?.split(":")[3];
    let fromStack: string | undefined;
    try {
        fromStack = loadStackConfig(ctx.stack, root).values["aws:region"];
    } catch {
        fromStack = undefined;
    }
    const region = fromArn || fromStack;
    ctx.region = region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    ctx.regionSource = fromArn ? "function ARN" : fromStack ? "stack config" : "environment";
    return new LambdaClient({
        ...(region ? { region } : {}),
        ...(opts.once ? { maxAttempts: 1 } : {}),
        requestHandler: { requestTimeout: answerTimeoutMs(ctx.stack, root), throwOnRequestTimeout: true },
    });
}

/**
 * The SMS function's error as it answers one (functions/shared/result.ts ErrorBody), with the
 * details the commands read.
 */
export interface FunctionError {
    /** Our own code (INVALID_INPUT, TIMEOUT, ...) or, for Aligo's refusals, Aligo's result_code. */
    code?: string | number;
    message?: string;
    field?: string;
    hint?: string;
    /** False only when no attempt ever connected to Aligo. */
    maybeSent?: boolean;
    /** "aligo" for Aligo's own answer. */
    source?: string;
    /** The stack's addresses, on Aligo's refusal of the caller's address. */
    egressIps?: string[];
    /** The address Aligo saw, when the function knows it. */
    egressIp?: string;
}

/** The SMS function's answer (`{ ok: true, ... }` or `{ ok: false, error }`), with the fields the commands print. */
export interface FunctionAnswer {
    ok: boolean;
    error?: FunctionError;
    /** egress-ip: the address the function leaves from. */
    ip?: string;
    /** remain: the balance. */
    SMS_CNT?: number | string;
    LMS_CNT?: number | string;
    MMS_CNT?: number | string;
    /** send. */
    msg_id?: number | string;
    msg_type?: string;
    success_cnt?: number | string;
    error_cnt?: number | string;
    /** list and detail: Aligo's rows, and whether there is another page. */
    list?: unknown;
    next_yn?: string;
}

export type Invocation =
    | { kind: "result"; result: FunctionAnswer }
    | { kind: "function-error"; errorType: string; errorMessage: string }
    | ({ kind: "invoke-error" } & AwsFailure);

export async function invoke(client: LambdaClient, functionName: string, event: unknown): Promise<Invocation> {
    try {
        const out = await client.send(
            new InvokeCommand({
                FunctionName: functionName,
                InvocationType: "RequestResponse",
                Payload: Buffer.from(JSON.stringify(event)),
            }),
        );
        const text = out.Payload ? Buffer.from(out.Payload).toString("utf8") : "null";
        let body: unknown;
        try {
            body = JSON.parse(text);
        } catch {
            body = { errorMessage: text };
        }
        if (out.FunctionError) {
            const error = body as { errorType?: string; errorMessage?: string } | null;
            return {
                kind: "function-error",
                errorType: String(error?.errorType ?? out.FunctionError),
                errorMessage: String(error?.errorMessage ?? text),
            };
        }
        // The function's answer as it came (an answer of `null` is not what the function gives).
        return { kind: "result", result: body as FunctionAnswer };
    } catch (e) {
        return { kind: "invoke-error", ...awsFailure(e) };
    }
}

/** The function's subnets as Lambda has them, or undefined when it cannot be asked. */
export async function functionSubnets(client: LambdaClient, functionName: string): Promise<string[] | undefined> {
    try {
        const cfg = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
        return cfg.VpcConfig?.SubnetIds ?? [];
    } catch {
        return undefined;
    }
}
