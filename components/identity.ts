// Who the deploy-time waits are in AWS: the same identity the AWS provider deploys with. The waits
// (the NAT instance's readiness gate, and any other wait built on components/waiters.ts) call EC2
// themselves, outside the AWS provider, so they are given that provider's credential settings:
// a named profile, a key pair (with a session token), and a chain of roles to assume, in order,
// each with its session name, external id, duration, policies, source identity and session tags.
//
// The AWS provider's own order (pulumi-aws 7.x `aws:` configuration; terraform-provider-aws
// docs/index.md "Authentication and Configuration", read 2026-12-07): keys in the configuration
// first, then the environment, the shared files (with the profile), container and instance
// credentials; every role in `assumeRoles` is then assumed in turn, each with the credentials of the
// one before. pulumi-aws 7 reads `assumeRoles`, a list; its 6.x name `assumeRole` (one role) is no
// longer read by the provider (pulumi/pulumi-aws#5513 "assumeRole becomes assumeRoles", and the 7.0
// migration guide's "Provider role chaining"; @pulumi/aws 7.48.0 config/vars.d.ts declares only
// assumeRoles and assumeRoleWithWebIdentity; read 2026-12-07), so a stack that still sets it is
// stopped here with the new form rather than waited on as a different identity than the one deploying.
import * as pulumi from "@pulumi/pulumi";
import { quote, type Problem } from "./rules";

/** One role to assume, as the AWS provider's `assumeRoles` entries take it. */
export interface AwsAssumeRole {
    /** The role's ARN. */
    roleArn: pulumi.Input<string>;
    /**
     * The role session's name.
     * Default: `pulumi-wait-<time>`.
     * @default "pulumi-wait-<time>"
     */
    sessionName?: pulumi.Input<string>;
    /** The external id the role's trust policy asks for. */
    externalId?: pulumi.Input<string>;
    /**
     * The session's length, 15 minutes to 12 hours, as the AWS provider writes it ("1h", "30m", "900s").
     * Default: `1h`.
     * @default 1h
     */
    duration?: pulumi.Input<string>;
    /** An IAM policy (JSON) that further limits the session. */
    policy?: pulumi.Input<string>;
    /** ARNs of IAM policies that further limit the session. */
    policyArns?: pulumi.Input<pulumi.Input<string>[]>;
    /** The source identity of the session. */
    sourceIdentity?: pulumi.Input<string>;
    /** Session tags. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Session tag keys passed on to the next role in the chain. */
    transitiveTagKeys?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * The AWS identity a deploy-time wait calls EC2 with: the AWS provider's credential settings.
 * Keys and token are secrets: the component passes them to its waits as secrets, never in plain state.
 */
export interface AwsIdentity {
    /** A named profile of the shared AWS files. */
    profile?: pulumi.Input<string>;
    /** An access key id (with secretKey). */
    accessKey?: pulumi.Input<string>;
    /** The secret access key that goes with accessKey. */
    secretKey?: pulumi.Input<string>;
    /** A session token that goes with a temporary key pair. */
    token?: pulumi.Input<string>;
    /** Roles to assume in order, each with the credentials of the one before (the first with the ones above). */
    assumeRoles?: pulumi.Input<pulumi.Input<AwsAssumeRole>[]>;
}

/** {@link AwsAssumeRole} with every value known, as a wait receives it. */
export interface WaitRole {
    roleArn: string;
    sessionName?: string;
    externalId?: string;
    duration?: string;
    policy?: string;
    policyArns?: string[];
    sourceIdentity?: string;
    tags?: Record<string, string>;
    transitiveTagKeys?: string[];
}

/** {@link AwsIdentity} with every value known, as a wait receives it. */
export interface WaitIdentity {
    profile?: string;
    accessKey?: string;
    secretKey?: string;
    token?: string;
    assumeRoles?: WaitRole[];
}

const DURATION_UNITS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 };

/**
 * Seconds in a duration as the AWS provider takes it (Go's time.ParseDuration: "1h", "1h30m",
 * "900s"); undefined when it is not one. STS takes whole seconds from 900 to 43,200.
 */
export function durationSeconds(text: string): number | undefined {
    const t = text.trim();
    if (!/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(t)) return undefined;
    let total = 0;
    for (const m of t.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]];
    return Math.floor(total);
}

/** Problems of a known identity, each naming its path under `at` (e.g. "awsIdentity" or "aws:"). */
export function identityProblems(id: WaitIdentity, at: (path: string) => string): Problem[] {
    const problems: Problem[] = [];
    if (id.accessKey && !id.secretKey)
        problems.push({ path: at("secretKey"), reason: "is missing: an access key needs its secret key" });
    if (id.secretKey && !id.accessKey)
        problems.push({ path: at("accessKey"), reason: "is missing: a secret key needs its access key id" });
    if (id.assumeRoles !== undefined && !Array.isArray(id.assumeRoles)) {
        problems.push({ path: at("assumeRoles"), reason: "is not a list; expected a list of roles to assume" });
        return problems;
    }
    (id.assumeRoles ?? []).forEach((r, i) => {
        const path = (k: string) => at(`assumeRoles[${i}].${k}`);
        if (typeof r !== "object" || r === null) {
            problems.push({ path: at(`assumeRoles[${i}]`), reason: "is not an object with a roleArn" });
            return;
        }
        if (typeof r.roleArn !== "string" || !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(r.roleArn))
            problems.push({
                path: path("roleArn"),
                reason: `is ${r.roleArn === undefined ? "missing" : quote(String(r.roleArn))}; expected a role ARN, arn:aws:iam::<account>:role/<name>`,
            });
        if (r.duration !== undefined) {
            const s = durationSeconds(String(r.duration));
            if (s === undefined || s < 900 || s > 43_200)
                problems.push({
                    path: path("duration"),
                    reason: `is ${quote(String(r.duration))}; expected 15 minutes to 12 hours, written like 1h, 30m or 900s`,
                });
        }
    });
    return problems;
}

/** Words for the identity a wait used, for its messages: never a key, only what kind of credentials. */
export function describeIdentity(id: WaitIdentity | undefined): string {
    const base = id?.accessKey
        ? `the access key given to it${id.token ? " with its session token" : ""}`
        : id?.profile
          ? `profile ${id.profile}`
          : "the default AWS credential chain (environment, AWS_PROFILE, SSO, container or instance credentials)";
    const roles = (id?.assumeRoles ?? []).map((r) => r.roleArn);
    return roles.length > 0 ? `${base}, then assuming ${roles.join(", then ")}` : base;
}

/** What the AWS provider's stack configuration says about its identity, read by {@link stackIdentity}. */
export interface ProviderIdentityConfig {
    identity: WaitIdentity;
    /** Settings the waits cannot follow, to warn about. */
    warnings: string[];
    problems: Problem[];
}

/**
 * Reads the AWS provider's identity from its configuration (`get` returns a key's raw value,
 * JSON for objects, as Pulumi stores it). Pure: the caller reads the values.
 */
export function providerIdentity(get: (key: string) => string | undefined): ProviderIdentityConfig {
    const problems: Problem[] = [];
    const warnings: string[] = [];
    const json = (key: string): unknown => {
        const raw = get(key);
        if (raw === undefined || raw === "") return undefined;
        try {
            return JSON.parse(raw) as unknown;
        } catch {
            problems.push({ path: `aws:${key}`, reason: `is ${quote(raw)}, not JSON; set it with --path or --json` });
            return undefined;
        }
    };
    const text = (key: string) => get(key) || undefined;
    const identity: WaitIdentity = {
        profile: text("profile"),
        accessKey: text("accessKey"),
        secretKey: text("secretKey"),
        token: text("token"),
    };
    const roles = json("assumeRoles");
    if (roles !== undefined) identity.assumeRoles = roles as WaitRole[];
    if (get("assumeRole") !== undefined)
        problems.push({
            path: "aws:assumeRole",
            reason:
                "is the AWS provider's 6.x name, which pulumi-aws 7 no longer reads; move the role to the list aws:assumeRoles " +
                "(remove aws:assumeRole, and set aws:assumeRoles[0].roleArn, with sessionName or externalId beside it if you had them)",
        });
    problems.push(...identityProblems(identity, (p) => `aws:${p}`));
    if (get("assumeRoleWithWebIdentity") !== undefined)
        warnings.push(
            "aws:assumeRoleWithWebIdentity is set: the AWS provider uses it, but the deploy-time waits do not; " +
                "they use the environment's web identity (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE) if any, with the rest of the aws: settings. " +
                "Make sure both reach the same account, or the waits stop the deployment, saying so.",
        );
    for (const key of ["sharedCredentialsFiles", "sharedConfigFiles"])
        if (get(key) !== undefined)
            warnings.push(
                `aws:${key} is set: the deploy-time waits read the shared files from AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE (or ~/.aws), not from aws:${key}.`,
            );
    for (const k of Object.keys(identity) as (keyof WaitIdentity)[]) if (identity[k] === undefined) delete identity[k];
    return { identity, warnings, problems };
}

/**
 * The stack's AWS provider identity (its `aws:` configuration), as an Output that is secret when it
 * holds a key or token. Throws, naming the key, when the configuration is wrong; warns about
 * settings the waits cannot follow, once per call.
 */
export function stackIdentity(): { identity: pulumi.Output<WaitIdentity>; problems: Problem[]; warnings: string[] } {
    const all = pulumi.runtime.allConfig();
    const read = providerIdentity((key) => all[`aws:${key}`]);
    const { identity } = read;
    const secret = identity.accessKey !== undefined || identity.secretKey !== undefined || identity.token !== undefined;
    return {
        identity: secret ? pulumi.secret(identity) : pulumi.output(identity),
        problems: read.problems,
        warnings: read.warnings,
    };
}

/**
 * A component's `awsIdentity` argument as one Output for its waits: secret when it holds a key or
 * a token (or any part of it is secret), checked once known (a problem fails the wait that reads it).
 */
export function identityOutput(id: pulumi.Input<AwsIdentity>): pulumi.Output<WaitIdentity> {
    // pulumi.output unwraps every nested Input; what comes out is plain values.
    const known = pulumi.output(id as pulumi.Input<unknown>) as pulumi.Output<unknown>;
    // An Output returned from apply is flattened (its secrecy kept), which the types do not say.
    return known.apply((v): pulumi.Output<WaitIdentity> | WaitIdentity => {
        const plain = Object.fromEntries(
            Object.entries((v ?? {}) as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null),
        ) as WaitIdentity;
        const secret = plain.accessKey !== undefined || plain.secretKey !== undefined || plain.token !== undefined;
        return secret ? pulumi.secret(plain) : plain;
    }) as unknown as pulumi.Output<WaitIdentity>;
}
