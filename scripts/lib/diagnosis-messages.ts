// The words of the diagnoses: why a call to Lambda failed (diagnose.ts), what the smoke check
// found (smoke.ts), and how a failed send or look-up reads (explain.ts). Every command a text
// suggests comes in complete from the caller.
import type { AwsFailure, FailureKind } from "./diagnose";

const firstLine = (f: AwsFailure) => f.message.split("\n")[0];
const inRegion = (region: string | undefined) => (region ? ` in ${region}` : "");

/** What a failure text may use: the function, the caller's region, and the commands to suggest. */
export interface FailureFacts {
    fn: string;
    arn: string | undefined;
    stack: string;
    region: string | undefined;
    regionSource: string | undefined;
    /** The command that was run (a send: the smoke check instead), complete. */
    again: string;
    /** "Then run … again." or, after a send, "Then check with … before sending again." */
    thenText: string;
    /** For no-answer: how long the client waited, and the margin over the function's timeout in that. */
    waitedS: number;
    marginS: number;
    /** AWS_PROFILE, when set. */
    profile: string | undefined;
    /** How to provide credentials (for no-credentials without a profile). */
    credentialWays: () => string;
    /** The profile's own story (for no-credentials with AWS_PROFILE set). */
    profileStory: () => string;
}

/** The failure of a call to the SMS function, per kind, local causes first. */
export const AWS_FAILURE: Record<FailureKind, (f: AwsFailure, x: FailureFacts) => string> = {
    "no-credentials": (f, x) =>
        x.profile
            ? x.profileStory()
            : `No AWS credentials on this machine: the AWS SDK found none (${f.name}: ${firstLine(f)}). ` +
              `This is local; Lambda was not reached. ${x.credentialWays()} ${x.thenText}`,
    "expired-credentials": (f, x) =>
        `Your AWS credentials have expired (${f.name}: ${firstLine(f)}). ` +
        `Renew them (\`aws sso login${x.profile ? ` --profile ${x.profile}` : ""}\` for an SSO profile, ` +
        `or new temporary keys). ${x.thenText}`,
    "invalid-credentials": (f, x) =>
        `AWS does not accept these credentials (${f.name}): the access key id or secret is wrong, ` +
        `or belongs to a removed user. Check \`aws configure list\` and the AWS_* variables. ${x.thenText}`,
    "no-network": (f, x) =>
        `Could not reach the Lambda API${inRegion(x.region)} from this machine ` +
        `(${f.code ?? f.name}: ${firstLine(f)}): no network, or DNS cannot resolve it. ` +
        "This is local; Lambda was not reached. The scripts connect to AWS directly (they use no proxy). " +
        `Check the connection. ${x.thenText}`,
    "connection-lost": (f, x) =>
        `The connection to the Lambda API${inRegion(x.region)} broke after the request was sent ` +
        `(${f.code ?? f.name}: ${firstLine(f)}): the network dropped or changed on the way (Wi-Fi, a VPN). ` +
        `Lambda may have received the invocation and run the function. ${x.thenText}`,
    "no-answer": (f, x) =>
        `No answer from the Lambda API${inRegion(x.region)} within ${x.waitedS} s, ` +
        `the function's timeout (lambdaTimeoutSeconds) plus ${x.marginS} s (${f.name}): ` +
        "the network most likely dropped the connection without a word. " +
        `Lambda may have received the invocation and run the function. ${x.thenText}`,
    "no-region": (_f, x) =>
        "No AWS region: the stack outputs carry no smsFunctionArn to take it from, the stack file sets no " +
        "aws:region, and your environment none either. Set the stack's " +
        `(\`pulumi config set aws:region ap-northeast-2 --stack ${x.stack}\`, Seoul; use yours) ` +
        `or give one for this run: \`AWS_REGION=ap-northeast-2 ${x.again}\`.`,
    "not-found": (_f, x) => {
        const account = x.arn?.split(":")[4];
        const fromEnvironment = x.regionSource === "environment";
        const whose = fromEnvironment ? " (the region from your environment, not from the stack)" : "";
        const where = `${x.region ?? "this region"}${whose}`;
        return (
            `Function ${x.fn} does not exist in ${where} for these credentials: ` +
            `the stack is not deployed (\`pulumi up --stack ${x.stack}\`), was destroyed, ` +
            `or your credentials are for another account` +
            `${account ? ` than the function's (${account}; see \`aws sts get-caller-identity\`)` : ""}.`
        );
    },
    "access-denied": (f, x) => {
        const action = /perform: ([\w:]+)/.exec(f.message)?.[1] ?? "lambda:InvokeFunction";
        const who = /User: (\S+)/.exec(f.message)?.[1];
        return (
            `Your AWS identity${who ? ` (${who})` : ""} may not call ${action} on ${x.arn ?? x.fn} (${f.name}). ` +
            `Use credentials that may, or grant ${action} on that ARN.`
        );
    },
    throttled: (f, x) =>
        `Lambda throttled the call (${f.name}): the account's concurrency is used up. Wait a moment. ${x.thenText}`,
    "vpc-permissions": (f, x) =>
        `Missing VPC permissions: Lambda could not set up ${x.fn}'s network interfaces (${f.name}). ` +
        "The function's role needs AWSLambdaVPCAccessExecutionRole (the stack attaches it; if it was removed " +
        `by hand, \`pulumi up --stack ${x.stack}\` puts it back).`,
    "no-room-for-interfaces": (f) =>
        `Lambda has no room for network interfaces in the private subnets (${f.name}): ` +
        "use larger subnets or raise the ENI quota.",
    lambda: (f) => `Lambda refused the invocation: ${f.name}: ${firstLine(f)}`,
};

/** AWS_PROFILE gave no credentials: what is known about that profile on this machine. */
export const PROFILE = {
    gaveNone: (profile: string, f: AwsFailure) =>
        `The AWS profile ${JSON.stringify(profile)} (from AWS_PROFILE) gave no credentials ` +
        `(${f.name}: ${firstLine(f)}): `,
    listed: (profile: string) =>
        `its SSO session has ended (\`aws sso login --profile ${profile}\`) or it holds no keys. `,
    notListed: (files: string[]) => `it is not in ${files.join(" or ")}. `,
    others: (others: string[], again: string) =>
        `The profiles there: ${others.join(", ")} (\`AWS_PROFILE=${others[0]} ${again}\`). `,
    noProfiles: (profile: string) => `There are no profiles there: \`aws configure --profile ${profile}\` makes it. `,
    local: (thenText: string) => `This is local; Lambda was not reached. ${thenText}`,
};

/** The ways to provide credentials, each a command that can be run as it stands. */
export const CREDENTIALS = {
    useProfile: (names: string[], login: string, first: string, again: string) =>
        `use one of the AWS profiles on this machine (${names.join(", ")}): ` +
        `\`${login}AWS_PROFILE=${first} ${again}\``,
    configure:
        "`aws configure` (an access key) or `aws configure sso` (an SSO login; it asks for a profile name, " +
        "which you then set as AWS_PROFILE)",
    escEnvironments: (envs: string[], again: string) =>
        "or the Pulumi ESC environment the stack imports: " +
        envs.map((e) => `\`pulumi env run ${e} -- ${again}\``).join(" or "),
    escInWords:
        "or a Pulumi ESC environment that holds them, with this command run through pulumi env run " +
        '(README, "Secrets and credentials with Pulumi ESC")',
    provide: (ways: string[]) => `Provide them: ${ways.join("; ")}.`,
    thenAgain: (again: string) => `Then run \`${again}\` again.`,
    thenCheck: (smoke: string) => `Then check with \`${smoke}\` before sending again.`,
};

/** The smoke check's findings. */
export const SMOKE = {
    console: "the Aligo console (smartsms.aligo.in): 연동형 API → 발송 IP",
    notDeployed: (stack: string) =>
        "The stack has no smsFunctionName output: it is not deployed yet, or was deployed by an older version. " +
        `Run \`pulumi up --stack ${stack}\`.`,
    natOff: (stack: string) =>
        "NAT is switched off (nat=none): the functions have no route to the internet, so every call out times out. " +
        `Run \`pulumi config set nat instance --stack ${stack} && pulumi up --stack ${stack}\` (or nat gateway); ` +
        "the addresses registered with Aligo stay the same.",
    notRegistered: (ip: string, egressIps: string[], evidence: string) =>
        `The function leaves from ${ip}, which is not one of the stack's egressIps (${egressIps.join(", ")}): ` +
        `its traffic is not going through the stack's NAT. ${evidence}`,
    natInstanceDown:
        "the NAT instance is stopped or failing its status checks, or its security group does not admit the " +
        "private subnets (it must allow them; never 0.0.0.0/0)",
    natGatewayDown: "the NAT gateway is not available",
    timeout: (evidence: string, nat: string, stack: string) =>
        `Timeout: the function could not reach the internet. From most to least likely: ${evidence} ` +
        `Or ${nat}. Or a private route table lost its 0.0.0.0/0 route to the NAT ` +
        `(\`pulumi up --stack ${stack}\` restores it; the project refreshes before every operation). ` +
        `\`npm run -s plan -- --stack ${stack}\` and \`pulumi preview --stack ${stack} --policy-pack policy\` ` +
        "check all of these before deploying.",
    ipRefused: (seen: string | undefined, message: string | undefined, egressIps: string[], console: string) =>
        `Aligo refuses calls from ${seen ?? "the stack's address"} (-101 ${message}). Register ` +
        `${egressIps.length ? `every address in egressIps: ${egressIps.join(", ")}` : "the stack's egressIps"} ` +
        `in ${console}. Registration can take a few minutes.`,
    keyRefused: (message: string | undefined, stack: string) =>
        `Aligo refused the API key or user id (-101 ${message}). ` +
        `Check \`pulumi config get aligoUserId --stack ${stack}\`, set the key again with ` +
        `\`pulumi config set --secret aligoApiKey --stack ${stack}\` (it asks for the value), ` +
        `then \`pulumi up --stack ${stack}\`.`,
    aligoSlow: (ip: string, what: string) =>
        `The function reaches the internet (${ip}) but apis.aligo.in did not answer in time (${what}). ` +
        "Try again; if it persists, check Aligo's service status.",
    egressFailed: (what: string) => `The egress check failed: ${what}`,
    balanceFailed: (what: string) => `Aligo's balance check failed: ${what}`,
    subnetsUnknown: "the function may be outside the private subnets (its configuration could not be read to check).",
    noVpc: (fn: string) => `${fn} is not in a VPC at all, so it has no fixed address.`,
    outside: (fn: string, outside: string[], publicToo: boolean, privateIds: string[], stack: string) =>
        `${fn} is attached to ${outside.join(", ")}` +
        `${publicToo ? " (public subnets: a Lambda gets no public IP there)" : ""}, ` +
        `not to the stack's private subnets (${privateIds.join(", ")}); \`pulumi up --stack ${stack}\` puts it back.`,
    inside: (fn: string) => `${fn} is in the stack's private subnets, as it should be.`,
    allWell: "All well: the function leaves from a registered address and Aligo accepts it.",
    notWell: "Not well: see the diagnosis above.",
};

/** A failed send or look-up, as send, remain and list print it. */
export const FAILED = {
    notSent: (shown: string) => `Not sent to ${shown}.`,
    maybeSent: (shown: string, list: string) =>
        `May have been sent to ${shown}: the request may have reached Aligo before it failed. ` +
        `Do not send again before checking Aligo's recent messages: \`${list}\`.`,
    functionFailed: (type: string, message: string) => `The function failed: ${type}: ${message}\n`,
    couldNotFinish: (smoke: string) => `It could not finish in time: run \`${smoke}\` for a diagnosis.\n`,
    registerHint: (egressIps: string[]) =>
        `  hint: register ${egressIps.join(", ")} in the Aligo console (연동형 API → 발송 IP)`,
    runSmoke: (smoke: string) => `  Run \`${smoke}\` for a diagnosis.`,
};
