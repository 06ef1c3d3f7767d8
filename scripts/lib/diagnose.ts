// Why a call to Lambda from this machine failed, in plain words, local causes first: no
// credentials, expired or wrong credentials, no network, no region, a function that is not there,
// a permission the caller lacks; only then Lambda's own refusals. Every command a message suggests
// is complete (it names the stack, and the outputs file when one was used).

/** What the commands were run with, to make the suggested commands complete. */
export interface OpsContext {
    /** The command that was run. */
    script: "smoke" | "send" | "remain";
    stack: string;
    outputsFile?: string;
    /** The region the client used, and where it came from. */
    region?: string;
    regionSource?: "function ARN" | "stack config" | "environment";
}

/** A command for the same stack, complete: `npm run -s smoke -- --stack dev [--outputs-file F]`. */
export function rerun(ctx: OpsContext, script: "smoke" | "remain"): string {
    return `npm run -s ${script} -- --stack ${ctx.stack}${ctx.outputsFile ? ` --outputs-file ${ctx.outputsFile}` : ""}`;
}

/** "Then run … again." for the command that was run (a send is not repeated for the user: it names the check instead). */
function thenAgain(ctx: OpsContext): string {
    return ctx.script === "send" ? `Then check with \`${rerun(ctx, "smoke")}\` before sending again.` : `Then run \`${rerun(ctx, ctx.script)}\` again.`;
}

/** A failed AWS call as the SDK reports it. */
export interface AwsFailure {
    name: string;
    message: string;
    /** Node's error code for a socket failure (ECONNREFUSED, ENOTFOUND). */
    code?: string;
    status?: number;
}

export function awsFailure(e: unknown): AwsFailure {
    const err = e as { name?: string; message?: string; code?: unknown; $metadata?: { httpStatusCode?: number }; cause?: { code?: unknown } };
    const code = typeof err.code === "string" ? err.code : typeof err.cause?.code === "string" ? err.cause.code : undefined;
    return { name: err.name ?? "Error", message: err.message ?? String(e), code, status: err.$metadata?.httpStatusCode };
}

export type FailureKind =
    | "no-credentials"
    | "expired-credentials"
    | "invalid-credentials"
    | "no-network"
    | "no-region"
    | "not-found"
    | "access-denied"
    | "throttled"
    | "vpc-permissions"
    | "no-room-for-interfaces"
    | "lambda";

const NETWORK_CODES = /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED)$/;

export function failureKind(f: AwsFailure): FailureKind {
    const text = `${f.name} ${f.message}`;
    if (f.name === "CredentialsProviderError" || /Could not load credentials|credentials? (?:is|are) missing|Token is expired.*sso|SSO session/i.test(text)) {
        return /expired/i.test(text) ? "expired-credentials" : "no-credentials";
    }
    if (/^(ExpiredToken|ExpiredTokenException|RequestExpired)$/.test(f.name) || /security token included in the request is expired/i.test(f.message)) return "expired-credentials";
    if (/^(UnrecognizedClientException|InvalidSignatureException|InvalidClientTokenId|IncompleteSignature|SignatureDoesNotMatch)$/.test(f.name)) return "invalid-credentials";
    if ((f.code && NETWORK_CODES.test(f.code)) || /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b|getaddrinfo|socket hang up/.test(f.message)) return "no-network";
    if (/Region is missing|region is not (set|defined)/i.test(f.message)) return "no-region";
    if (/EC2AccessDenied|CreateNetworkInterface/i.test(text) && f.name !== "AccessDeniedException") return "vpc-permissions";
    if (/SubnetIPAddressLimitReached|ENILimitReached/.test(f.name)) return "no-room-for-interfaces";
    if (f.name === "ResourceNotFoundException" || f.status === 404) return "not-found";
    if (f.name === "AccessDeniedException" || /not authorized to perform/i.test(f.message)) return "access-denied";
    if (f.name === "TooManyRequestsException" || f.status === 429) return "throttled";
    return "lambda";
}

/** The ways to provide credentials, with the command to run under ESC. */
function credentialWays(ctx: OpsContext): string {
    const command = rerun(ctx, ctx.script === "send" ? "smoke" : ctx.script);
    return (
        "Provide them in one of these ways: `aws configure` (an access key), `aws sso login --profile NAME` then `export AWS_PROFILE=NAME` (NAME: your profile), " +
        `or a Pulumi ESC environment that holds them: \`pulumi env run ORG/ENV -- ${command}\` (ORG/ENV: yours; see the README, "Secrets and credentials with Pulumi ESC").`
    );
}

/** The failure of a call to `fn` (the SMS function), explained. */
export function explainAwsFailure(f: AwsFailure, fn: string, arn: string | undefined, ctx: OpsContext): string {
    const account = arn?.split(":")[4];
    const again = thenAgain(ctx);
    switch (failureKind(f)) {
        case "no-credentials": {
            const profile = process.env.AWS_PROFILE;
            if (profile) {
                return (
                    `The AWS profile ${JSON.stringify(profile)} (from AWS_PROFILE) gave no credentials (${f.name}: ${f.message.split("\n")[0]}): it is not in ~/.aws/config or ~/.aws/credentials, ` +
                    `or its SSO session has ended (\`aws sso login --profile ${profile}\`). This is local; Lambda was not reached. \`aws configure list-profiles\` lists the profiles there are. ${again}`
                );
            }
            return `No AWS credentials on this machine: the AWS SDK found none (${f.name}: ${f.message.split("\n")[0]}). This is local; Lambda was not reached. ${credentialWays(ctx)} ${again}`;
        }
        case "expired-credentials":
            return `Your AWS credentials have expired (${f.name}: ${f.message.split("\n")[0]}). Renew them (\`aws sso login\` for an SSO profile, or new temporary keys). ${again}`;
        case "invalid-credentials":
            return `AWS does not accept these credentials (${f.name}): the access key id or secret is wrong, or belongs to a removed user. Check \`aws configure list\` and the AWS_* variables. ${again}`;
        case "no-network":
            return `Could not reach the Lambda API${ctx.region ? ` in ${ctx.region}` : ""} from this machine (${f.code ?? f.name}: ${f.message.split("\n")[0]}): no network, DNS, or a proxy in the way. This is local; Lambda was not reached. Check the connection (and HTTPS_PROXY, if you need one). ${again}`;
        case "no-region":
            return `No AWS region: the stack outputs carry no smsFunctionArn to take it from, and none is configured. Run \`AWS_REGION=$(pulumi config get aws:region --stack ${ctx.stack}) ${rerun(ctx, ctx.script === "send" ? "smoke" : ctx.script)}\`.`;
        case "not-found": {
            const where = `${ctx.region ?? "this region"}${ctx.regionSource === "environment" ? " (the region from your environment, not from the stack)" : ""}`;
            return (
                `Function ${fn} does not exist in ${where} for these credentials: the stack is not deployed (\`pulumi up --stack ${ctx.stack}\`), was destroyed, ` +
                `or your credentials are for another account${account ? ` than the function's (${account}; see \`aws sts get-caller-identity\`)` : ""}.`
            );
        }
        case "access-denied": {
            const action = /perform: ([\w:]+)/.exec(f.message)?.[1] ?? "lambda:InvokeFunction";
            const who = /User: (\S+)/.exec(f.message)?.[1];
            return `Your AWS identity${who ? ` (${who})` : ""} may not call ${action} on ${arn ?? fn} (${f.name}). Use credentials that may, or grant ${action} on that ARN.`;
        }
        case "throttled":
            return `Lambda throttled the call (${f.name}): the account's concurrency is used up. Wait a moment. ${again}`;
        case "vpc-permissions":
            return `Missing VPC permissions: Lambda could not set up ${fn}'s network interfaces (${f.name}). The function's role needs AWSLambdaVPCAccessExecutionRole (the stack attaches it; if it was removed by hand, \`pulumi up --stack ${ctx.stack}\` puts it back).`;
        case "no-room-for-interfaces":
            return `Lambda has no room for network interfaces in the private subnets (${f.name}): use larger subnets or raise the ENI quota.`;
        case "lambda":
            return `Lambda refused the invocation: ${f.name}: ${f.message.split("\n")[0]}`;
    }
}
