// Why a call to Lambda from this machine failed, in plain words, local causes first: no
// credentials, expired or wrong credentials, no network, no region, a function that is not there,
// a permission the caller lacks; only then Lambda's own refusals. Every command a message suggests
// is complete (it names the stack, and the outputs file when one was used); where a command would
// need a name only the user knows (a profile, an ESC environment), the names found on this machine
// or in the stack file are used, or the advice is given in words.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT, stackFilePath } from "../../program/stack-config";
import { AWS_FAILURE, CREDENTIALS, PROFILE, type FailureFacts } from "./diagnosis-messages";

/** What the commands were run with, to make the suggested commands complete. */
export interface OpsContext {
    /** The command that was run. */
    script: "smoke" | "send" | "remain" | "list";
    /** The stack as the user gave it (`dev`, or `org/aligo-sms/dev`): for suggested commands and the Pulumi CLI. */
    stack: string;
    outputsFile?: string;
    /** The region the client used, and where it came from. */
    region?: string;
    regionSource?: "function ARN" | "stack config" | "environment";
}

/** A command for the same stack, complete: `npm run -s smoke -- --stack dev [--outputs-file F]`. */
export function rerun(ctx: OpsContext, script: "smoke" | "remain" | "list"): string {
    return `npm run -s ${script} -- --stack ${ctx.stack}${ctx.outputsFile ? ` --outputs-file ${ctx.outputsFile}` : ""}`;
}

/** The command to run again: the one that was run, but a send is not repeated for the user (smoke checks instead). */
function again(ctx: OpsContext): string {
    return rerun(ctx, ctx.script === "send" ? "smoke" : ctx.script);
}

/** "Then run … again." for the command that was run (a send is not repeated: it names the check instead). */
function thenAgain(ctx: OpsContext): string {
    return ctx.script === "send" ? CREDENTIALS.thenCheck(rerun(ctx, "smoke")) : CREDENTIALS.thenAgain(again(ctx));
}

/**
 * The AWS profiles on this machine, as the SDK finds them (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE,
 * else ~/.aws).
 */
export function awsProfiles(env: NodeJS.ProcessEnv = process.env): { names: string[]; sso: string[]; files: string[] } {
    const config = env.AWS_CONFIG_FILE || join(homedir(), ".aws", "config");
    const credentials = env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), ".aws", "credentials");
    const names: string[] = [];
    const sso: string[] = [];
    const read = (file: string, inConfig: boolean) => {
        if (!existsSync(file)) return;
        let current: string | undefined;
        for (const raw of readFileSync(file, "utf8").split(/\r?\n/)) {
            const line = raw.trim();
            const section = /^\[\s*([^\]]+?)\s*\]$/.exec(line)?.[1];
            if (section !== undefined) {
                // In the config file a profile is `[default]` or `[profile name]`; `[sso-session x]` and
                // `[services x]` are not profiles.
                const name = inConfig
                    ? section === "default"
                        ? "default"
                        : /^profile\s+(\S+)$/.exec(section)?.[1]
                    : section;
                current = name;
                if (name && !names.includes(name)) names.push(name);
            } else if (current && inConfig && /^(sso_session|sso_start_url)\s*=/.test(line) && !sso.includes(current)) {
                sso.push(current);
            }
        }
    };
    read(config, true);
    read(credentials, false);
    return { names, sso, files: [config, credentials] };
}

/** The Pulumi ESC environments the stack file imports (`environment:` in Pulumi.<stack>.yaml). */
export function stackEnvironments(stack: string, root = ROOT): string[] {
    const file = stackFilePath(stack, root);
    if (!existsSync(file)) return [];
    try {
        const stackFile = (parse(readFileSync(file, "utf8")) ?? {}) as { environment?: unknown };
        const env = stackFile.environment as unknown[] | { imports?: unknown } | undefined;
        const list: unknown[] = Array.isArray(env) ? env : Array.isArray(env?.imports) ? env.imports : [];
        return list.filter((e): e is string => typeof e === "string");
    } catch {
        return [];
    }
}

/** The ways to provide credentials, each with a command that can be run as it stands. */
function credentialWays(ctx: OpsContext): string {
    const command = again(ctx);
    const { names, sso } = awsProfiles();
    const ways: string[] = [];
    if (names.length) {
        const first = names[0];
        const login = sso.includes(first) ? `aws sso login --profile ${first} && ` : "";
        ways.push(CREDENTIALS.useProfile(names, login, first, command));
    } else {
        ways.push(CREDENTIALS.configure);
    }
    const envs = stackEnvironments(ctx.stack);
    ways.push(envs.length ? CREDENTIALS.escEnvironments(envs, command) : CREDENTIALS.escInWords);
    return CREDENTIALS.provide(ways);
}

/** AWS_PROFILE gave no credentials: whether it is there at all, and the profiles that are. */
function profileStory(profile: string, f: AwsFailure, ctx: OpsContext): string {
    const { names, files } = awsProfiles();
    const others = names.filter((n) => n !== profile);
    const listed = names.includes(profile);
    return (
        PROFILE.gaveNone(profile, f) +
        (listed ? PROFILE.listed(profile) : PROFILE.notListed(files)) +
        (others.length ? PROFILE.others(others, again(ctx)) : listed ? "" : PROFILE.noProfiles(profile)) +
        PROFILE.local(thenAgain(ctx))
    );
}

/** A failed AWS call as the SDK reports it. */
export interface AwsFailure {
    name: string;
    message: string;
    /** Node's error code for a socket failure (ECONNREFUSED, ENOTFOUND). */
    code?: string;
    /**
     * The system call a socket failure happened in, as Node records it (`err.syscall`): `getaddrinfo`
     * and `connect` fail before the request is written; `read` and `write` after, when the
     * invocation may already have reached Lambda.
     */
    syscall?: string;
    status?: number;
}

type NodeError = {
    name?: string;
    message?: string;
    code?: unknown;
    syscall?: unknown;
    errors?: unknown;
    cause?: NodeError;
    $metadata?: { httpStatusCode?: number };
};

/**
 * The system call of a socket error: its own, its cause's, or, for the AggregateError Node raises
 * when every address of a host refused the connection (autoSelectFamily), the one all its errors share.
 */
function syscallOf(err: NodeError | undefined): string | undefined {
    if (!err) return undefined;
    if (typeof err.syscall === "string") return err.syscall;
    if (Array.isArray(err.errors) && err.errors.length) {
        const calls = new Set(err.errors.map((x: NodeError) => syscallOf(x)));
        if (calls.size === 1) return [...calls][0];
    }
    return err.cause && err.cause !== err ? syscallOf(err.cause) : undefined;
}

export function awsFailure(e: unknown): AwsFailure {
    const err = e as NodeError;
    const code =
        typeof err.code === "string" ? err.code : typeof err.cause?.code === "string" ? err.cause.code : undefined;
    const syscall = syscallOf(err);
    return {
        name: err.name ?? "Error",
        message: err.message ?? String(e),
        code,
        ...(syscall ? { syscall } : {}),
        status: err.$metadata?.httpStatusCode,
    };
}

export type FailureKind =
    | "no-credentials"
    | "expired-credentials"
    | "invalid-credentials"
    | "no-network"
    | "connection-lost"
    | "no-answer"
    | "no-region"
    | "not-found"
    | "access-denied"
    | "throttled"
    | "vpc-permissions"
    | "no-room-for-interfaces"
    | "lambda";

const NETWORK_CODES =
    /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED)$/;

/**
 * Whether a network failure happened before the request was written: a name that did not resolve
 * (ENOTFOUND, EAI_AGAIN), or a failure in `getaddrinfo` or `connect`. The system call decides, not the
 * code: on Linux an open connection also reports EHOSTUNREACH or ENETUNREACH (in `read` or `write`)
 * when the route dies after the invocation was sent. Without a recorded system call, Node's message
 * names it ("connect ECONNREFUSED 10.0.0.1:443", "read ECONNRESET"); without either, it may have been sent.
 */
export function failedBeforeSending(f: AwsFailure): boolean {
    if (f.code === "ENOTFOUND" || f.code === "EAI_AGAIN") return true;
    const call = f.syscall ?? /\b(getaddrinfo|connect|read|write|writev|shutdown)\s+E[A-Z]+\b/.exec(f.message)?.[1];
    if (call !== undefined) return call === "getaddrinfo" || call === "connect";
    return f.code === undefined && /\b(ENOTFOUND|EAI_AGAIN)\b/.test(f.message);
}

/** How much longer than the function's timeout the scripts wait for Lambda's answer (start-up, the way back). */
export const ANSWER_MARGIN_S = 5;

/** The SDK's own request timeout (requestTimeout with throwOnRequestTimeout): no answer from Lambda in time. */
const REQUEST_TIMEOUT = /exceeded the configured (\d+) ms requestTimeout/;

/** The errors AWS answers a wrong access key, secret or signature with. */
const INVALID_CREDENTIALS =
    /^(UnrecognizedClientException|InvalidSignatureException|InvalidClientTokenId|IncompleteSignature|SignatureDoesNotMatch)$/;

export function failureKind(f: AwsFailure): FailureKind {
    const text = `${f.name} ${f.message}`;
    if (
        f.name === "CredentialsProviderError" ||
        /Could not load credentials|credentials? (?:is|are) missing|Token is expired.*sso|SSO session/i.test(text)
    ) {
        return /expired/i.test(text) ? "expired-credentials" : "no-credentials";
    }
    if (
        /^(ExpiredToken|ExpiredTokenException|RequestExpired)$/.test(f.name) ||
        /security token included in the request is expired/i.test(f.message)
    )
        return "expired-credentials";
    if (INVALID_CREDENTIALS.test(f.name)) return "invalid-credentials";
    if (f.name === "TimeoutError" && REQUEST_TIMEOUT.test(f.message)) return "no-answer";
    if (
        (f.code && NETWORK_CODES.test(f.code)) ||
        /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b|getaddrinfo|socket hang up/.test(
            f.message,
        )
    ) {
        return failedBeforeSending(f) ? "no-network" : "connection-lost";
    }
    if (/Region is missing|region is not (set|defined)/i.test(f.message)) return "no-region";
    if (/EC2AccessDenied|CreateNetworkInterface/i.test(text) && f.name !== "AccessDeniedException")
        return "vpc-permissions";
    if (/SubnetIPAddressLimitReached|ENILimitReached/.test(f.name)) return "no-room-for-interfaces";
    if (f.name === "ResourceNotFoundException" || f.status === 404) return "not-found";
    if (f.name === "AccessDeniedException" || /not authorized to perform/i.test(f.message)) return "access-denied";
    if (f.name === "TooManyRequestsException" || f.status === 429) return "throttled";
    return "lambda";
}

/** The failure of a call to `fn` (the SMS function), explained. */
export function explainAwsFailure(f: AwsFailure, fn: string, arn: string | undefined, ctx: OpsContext): string {
    const profile = process.env.AWS_PROFILE;
    const facts: FailureFacts = {
        fn,
        arn,
        stack: ctx.stack,
        region: ctx.region,
        regionSource: ctx.regionSource,
        again: again(ctx),
        thenText: thenAgain(ctx),
        waitedS: Number(REQUEST_TIMEOUT.exec(f.message)?.[1]) / 1000,
        marginS: ANSWER_MARGIN_S,
        profile,
        credentialWays: () => credentialWays(ctx),
        profileStory: () => profileStory(profile ?? "", f, ctx),
    };
    return AWS_FAILURE[failureKind(f)](f, facts);
}
