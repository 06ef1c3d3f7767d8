// The thin reader around `new pulumi.Config()`: collects the raw values, hands them to the pure
// parser, logs its warnings, and keeps the API key a Pulumi secret from here on.
import * as pulumi from "@pulumi/pulumi";
import { stackIdentity, type WaitIdentity } from "../../components/index";
import { CONFIG_KEYS, ConfigError, parseConfig, type AppConfig, type RawConfig } from "./config";

export interface StackConfig extends AppConfig {
    /** The Aligo API key, secret in state and in every output that carries it. */
    readonly aligoApiKey: pulumi.Output<string>;
    /**
     * The AWS provider's identity from the stack's aws: configuration (profile, key pair, roles to
     * assume), secret when it holds a key: the program's own EC2 calls at deploy time (the NAT
     * readiness gate, the Lambda interface wait) are made as it.
     */
    readonly awsIdentity: pulumi.Output<WaitIdentity>;
}

/**
 * The keys the CLI reports as secret, or undefined when it reported none (then nothing can be
 * concluded: an older CLI may not send the list). Read from the runtime's store, where
 * @pulumi/pulumi keeps them; it has no typed accessor for the list.
 */
function secretKeys(): string[] | undefined {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module with no typed entry; loaded where it is used
    const state = require("@pulumi/pulumi/runtime/state") as {
        getStore(): { config: Record<string, string | undefined> };
    };
    const store = state.getStore();
    const list = JSON.parse(store.config.PULUMI_CONFIG_SECRET_KEYS ?? "[]") as string[];
    return list.length > 0 ? list : undefined;
}

/** Reads and validates the whole stack configuration. Throws before any resource exists. */
export function readConfig(): StackConfig {
    const project = new pulumi.Config();
    const awsConfig = new pulumi.Config("aws");
    const raw: RawConfig = {
        "aws:region": awsConfig.get("region") ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
    };
    for (const key of Object.keys(CONFIG_KEYS)) raw[key] = project.get(key);
    // Keys set in the stack file but unknown to the program are typos worth stopping for.
    const prefix = `${pulumi.getProject()}:`;
    for (const full of Object.keys(pulumi.runtime.allConfig())) {
        if (full.startsWith(prefix) && !Object.prototype.hasOwnProperty.call(CONFIG_KEYS, full.slice(prefix.length)))
            raw[full.slice(prefix.length)] = "";
    }
    const { config, warnings } = parseConfig(raw);
    const secretKey = `${prefix}aligoApiKey`;
    const secrets = secretKeys();
    if (secrets && !secrets.includes(secretKey)) {
        throw new ConfigError([
            `aligoApiKey: is stored in plain text in Pulumi.${pulumi.getStack()}.yaml; ` +
                `set it again with \`pulumi config set --secret aligoApiKey --stack ${pulumi.getStack()}\` (it asks for the key) so it is encrypted`,
        ]);
    }
    // The Network component says its own vpcCidr warning (on itself, for every user of the package).
    for (const w of warnings) if (!w.startsWith("vpcCidr:")) void pulumi.log.warn(w);
    if (/^(1|true)$/i.test(process.env.PULUMI_CONTINUE_ON_ERROR ?? "") && config.nat === "instance") {
        void pulumi.log.warn(
            "PULUMI_CONTINUE_ON_ERROR is set: if a new NAT instance fails its readiness check, Pulumi would still delete the old one at the end, " +
                "and the private subnets would lose their way out. Unset it for deployments that change the NAT.",
        );
    }
    // The deploy-time waits call AWS as the AWS provider is configured to (components/identity.ts):
    // a wrong aws: setting stops here, naming the key, before any resource exists.
    const identity = stackIdentity();
    if (identity.problems.length > 0)
        throw new ConfigError(
            identity.problems.map(
                (p) =>
                    `${p.path}: ${p.reason}` +
                    (p.path === "aws:assumeRole"
                        ? `: \`pulumi config rm aws:assumeRole\`, then \`pulumi config set --path 'aws:assumeRoles[0].roleArn' <role ARN>\``
                        : ""),
            ),
        );
    for (const w of identity.warnings) void pulumi.log.warn(w);
    return {
        ...config,
        aligoApiKey: project.requireSecret("aligoApiKey"),
        awsIdentity: identity.identity,
    };
}
