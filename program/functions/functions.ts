import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childTags } from "../../components/tags";
import { LambdaEniRelease } from "./eni-release";
import { functionAlarms } from "../alarms";
import { bundleFunction, type FunctionName } from "./bundle";

export interface SmsFunctionsArgs {
    vpcId: pulumi.Input<string>;
    /** Private subnets the functions attach to (all of them, one ENI set per subnet). */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Named AWS profile for the destroy-time wait's look-ups (the stack's `aws:profile`). Default: the default credential chain. */
    profile?: string;
    aligo: {
        /** Secret; stored in an SSM SecureString parameter (never in the function's environment) and kept secret in state. */
        apiKey: pulumi.Input<string>;
        userId: string;
        sender: string;
        /** Default: the function's own default, https://apis.aligo.in. */
        baseUrl?: string;
    };
    /** Addresses registered with Aligo; named by the SMS function when Aligo refuses its IP. */
    egressIps: pulumi.Input<string[]>;
    /** Lambda CPU architecture, for both functions (required; the config default is arm64). */
    architecture: "arm64" | "x86_64";
    /** Memory of both functions in MB (required; the config default is 256). */
    memoryMb: number;
    /** Timeout of both functions in seconds (required; the config default is 15). */
    timeoutSeconds: number;
    /** Days CloudWatch keeps the logs (required; the config default is 14). */
    logRetentionDays: number;
    warmer: {
        /** When false the schedule rule stays but is DISABLED (the program passes false when there is no NAT). */
        enabled: boolean;
        /** EventBridge schedule expression, already validated. */
        schedule: string;
        /** Parallel pings per run, 1-10. */
        concurrency: number;
    };
    /** Alarms for the functions (and Aligo's balance), when someone hears them. Default none. */
    alarms?: {
        topicArn: pulumi.Input<string>;
        /** The CloudWatch namespace of the stack's own metrics. */
        namespace: string;
        /** Alarm when Aligo's remaining SMS count falls below this; 0: no balance alarm (and no look-ups). */
        balanceBelow: number;
    };
    /** Tags added to every resource; the component adds a Name tag. Default none. */
    tags?: Record<string, string>;
}

const RUNTIME = "nodejs22.x";

/** The names of the environment variables whose values are secrets. */
export async function secretVariables(environment: Record<string, pulumi.Input<string>>): Promise<string[]> {
    const names = await Promise.all(
        Object.entries(environment).map(async ([k, v]) => ((await pulumi.isSecret(pulumi.output(v))) ? k : undefined)),
    );
    return names.filter((n): n is string => n !== undefined);
}

/**
 * The environment, refused if any value is a secret: a function's environment is readable in plain
 * text by anyone who may call lambda:GetFunctionConfiguration, so secrets go to the SSM parameter
 * and only its name goes here. The deployment stops with the variable's name (never its value)
 * before the function is created or changed.
 */
function withoutSecrets(
    owner: pulumi.Resource,
    fn: string,
    environment: Record<string, pulumi.Input<string>>,
): pulumi.Output<Record<string, string>> {
    return pulumi.all([environment, secretVariables(environment)]).apply(([values, secret]) => {
        if (secret.length > 0) {
            // A ResourceError: Pulumi prints it on the component; hideStack: without a stack trace.
            throw new pulumi.ResourceError(
                `${fn}: the environment variable${secret.length > 1 ? "s" : ""} ${secret.join(", ")} would hold a secret, which anyone allowed lambda:GetFunctionConfiguration can read; keep secrets in SSM Parameter Store and pass the parameter's name`,
                owner,
                true,
            );
        }
        return values;
    });
}

/**
 * The SMS function and its warmer, in the private subnets (whose default route is the NAT), each
 * with its own role, log group and async-invoke settings, plus the schedule that fires the warmer.
 *
 * Nothing here depends on the NAT strategy, so switching `nat` never touches the functions, their
 * roles or their security group (a replaced security group would wait 10–40 minutes on Lambda's
 * Hyperplane ENIs).
 *
 * Delete order on destroy: Lambda removes a VPC function's network interfaces some minutes after
 * the function is gone, using the function's role; the AWS provider's security group and subnet
 * deletes wait up to 45 minutes for those interfaces to come free (terraform-provider-aws
 * internal/service/ec2, deleteLingeringLambdaENI). So the roles and their VPC permissions must
 * outlive the interfaces: the functions depend on a wait (LambdaEniRelease) that depends on the
 * roles, and the security group depends on the roles too. Pulumi deletes dependents first, so the
 * order reverses: the functions; then, side by side, the security group (at once: the provider moved
 * the functions' interfaces to the VPC's default group before deleting them,
 * replaceSecurityGroupsOnDestroy) and the wait (until Lambda has let go); and only then the roles.
 */
export class SmsFunctions extends pulumi.ComponentResource {
    readonly smsFunctionName: pulumi.Output<string>;
    readonly smsFunctionArn: pulumi.Output<string>;
    readonly warmerFunctionName: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: SmsFunctionsArgs, opts?: pulumi.ComponentResourceOptions) {
        // The type token was aligo-sms:functions:SmsFunctions; the alias keeps existing stacks' URNs.
        super(
            "aligo-sms:index:SmsFunctions",
            name,
            {},
            { ...opts, aliases: [...(opts?.aliases ?? []), { type: "aligo-sms:functions:SmsFunctions" }] },
        );
        const parent = { parent: this };
        const tags = childTags(name, args.tags);
        // From the provider the functions are created with (a provider passed in opts included).
        const partition = aws.getPartitionOutput({}, parent).partition;
        const region = aws.getRegionOutput({}, parent).region;

        const role = (fn: FunctionName) => {
            const r = new aws.iam.Role(
                `${name}-${fn}-role`,
                {
                    description: `aligo-sms ${fn} function`,
                    assumeRolePolicy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Service: "lambda.amazonaws.com" },
                                Action: "sts:AssumeRole",
                            },
                        ],
                    }),
                    tags: tags(`${fn}-role`),
                },
                parent,
            );
            // Logs, and the ENI permissions a function in a VPC cannot start without.
            const attachments = ["AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole"].map(
                (policy) =>
                    new aws.iam.RolePolicyAttachment(
                        `${name}-${fn}-${policy === "AWSLambdaBasicExecutionRole" ? "basic" : "vpc"}`,
                        {
                            role: r.name,
                            policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/${policy}`,
                        },
                        parent,
                    ),
            );
            return { role: r, attachments };
        };

        const logGroup = (fn: FunctionName) =>
            new aws.cloudwatch.LogGroup(
                `${name}-${fn}-logs`,
                {
                    name: `/aws/lambda/${pulumi.getProject()}-${pulumi.getStack()}-${fn}`,
                    retentionInDays: args.logRetentionDays,
                    tags: tags(`${fn}-logs`),
                },
                parent,
            );

        // Roles first: the security group and the interface wait depend on them (see the class comment).
        const smsRole = role("sms");
        const warmerRole = role("warmer");
        const grants = [smsRole.role, ...smsRole.attachments, warmerRole.role, ...warmerRole.attachments];

        const sg = new aws.ec2.SecurityGroup(
            `${name}-lambda-sg`,
            {
                vpcId: args.vpcId,
                description: "Lambda functions: no inbound, all outbound (through the NAT)",
                egress: [
                    {
                        description: "Anywhere, via the private route table's NAT",
                        protocol: "-1",
                        fromPort: 0,
                        toPort: 0,
                        cidrBlocks: ["0.0.0.0/0"],
                    },
                ],
                tags: tags("lambda-sg"),
            },
            { parent: this, dependsOn: grants },
        );

        const eniRelease = new LambdaEniRelease(
            `${name}-lambda-eni-release`,
            {
                subnetIds: args.privateSubnetIds,
                region,
                profile: args.profile,
            },
            { parent: this, dependsOn: grants },
        );

        const lambda = (
            fn: FunctionName,
            environment: Record<string, pulumi.Input<string>>,
            dependsOn: pulumi.Resource[],
            roleArn: pulumi.Input<string>,
            logs: aws.cloudwatch.LogGroup,
        ) => {
            const bundle = bundleFunction(fn);
            const f = new aws.lambda.Function(
                `${name}-${fn}`,
                {
                    description:
                        fn === "sms"
                            ? "Sends SMS through Aligo from the stack's fixed egress IP"
                            : "Keeps the SMS function warm",
                    runtime: RUNTIME,
                    architectures: [args.architecture],
                    handler: "index.handler",
                    code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset(bundle.code) }),
                    role: roleArn,
                    memorySize: args.memoryMb,
                    timeout: args.timeoutSeconds,
                    vpcConfig: { subnetIds: args.privateSubnetIds, securityGroupIds: [sg.id] },
                    // On destroy, move the Hyperplane ENIs to the VPC's default group before the function
                    // is deleted (the provider waits for that update), so this security group can go at
                    // once; the wait for the interfaces is then LambdaEniRelease's (roles still there).
                    replaceSecurityGroupsOnDestroy: true,
                    loggingConfig: { logFormat: "Text", logGroup: logs.name },
                    environment: { variables: withoutSecrets(this, `${name}-${fn}`, environment) },
                    tags: tags(fn),
                },
                { parent: this, dependsOn: [...dependsOn, logs, eniRelease] },
            );
            // Asynchronous invocations are never retried: a retried send is a second SMS.
            new aws.lambda.FunctionEventInvokeConfig(
                `${name}-${fn}-async`,
                {
                    functionName: f.name,
                    maximumRetryAttempts: 0,
                },
                parent,
            );
            return f;
        };

        // The API key lives in SSM Parameter Store, encrypted with the AWS-managed key aws/ssm
        // (standard tier: no charge for storage or standard-throughput reads); the function's
        // environment holds only the parameter's name, so `lambda:GetFunctionConfiguration` no
        // longer shows the key. The role may read this one parameter; aws/ssm's key policy already
        // lets every principal of the account decrypt through SSM (AWS Systems Manager User Guide,
        // "Restricting decryption of SecureString parameter values", read 2026-11-25), so no
        // kms:Decrypt grant is needed. A new key (`pulumi config set --secret aligoApiKey`,
        // `pulumi up`) updates the parameter in place, and the function reads it again after Aligo
        // refuses the old one; the function itself is not redeployed.
        const apiKeyParameter = new aws.ssm.Parameter(
            `${name}-aligo-api-key`,
            {
                name: `/${pulumi.getProject()}/${pulumi.getStack()}/aligo-api-key`,
                description: "Aligo API key for the SMS function",
                type: "SecureString",
                tier: "Standard",
                value: pulumi.secret(args.aligo.apiKey),
                tags: tags("aligo-api-key"),
            },
            parent,
        );
        const readKey = new aws.iam.RolePolicy(
            `${name}-sms-read-key`,
            {
                role: smsRole.role.name,
                policy: apiKeyParameter.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: arn }],
                    }),
                ),
            },
            parent,
        );

        const smsLogs = logGroup("sms");
        const sms = lambda(
            "sms",
            {
                ALIGO_API_KEY_PARAMETER: apiKeyParameter.name,
                ALIGO_USER_ID: args.aligo.userId,
                ALIGO_SENDER: args.aligo.sender,
                ...(args.aligo.baseUrl ? { ALIGO_BASE_URL: args.aligo.baseUrl } : {}),
                EGRESS_IPS: pulumi.output(args.egressIps).apply((ips) => ips.join(",")),
                // Where the balance metric goes (only looked up when the warmer asks).
                ...(args.alarms && args.alarms.balanceBelow > 0 ? { METRICS_NAMESPACE: args.alarms.namespace } : {}),
            },
            [...smsRole.attachments, readKey],
            smsRole.role.arn,
            smsLogs,
        );

        // Invoke the SMS function (and its versions/aliases) and nothing else.
        const invokePolicy = new aws.iam.RolePolicy(
            `${name}-warmer-invoke`,
            {
                role: warmerRole.role.name,
                policy: sms.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [arn, `${arn}:*`] }],
                    }),
                ),
            },
            parent,
        );
        const warmerLogs = logGroup("warmer");
        const warmer = lambda(
            "warmer",
            {
                TARGET_FUNCTION_NAME: sms.name,
                WARM_CONCURRENCY: String(args.warmer.concurrency),
                ...(args.alarms && args.alarms.balanceBelow > 0 ? { BALANCE_CHECK: "true" } : {}),
            },
            [...warmerRole.attachments, invokePolicy],
            warmerRole.role.arn,
            warmerLogs,
        );

        if (args.alarms) {
            functionAlarms(this, name, {
                ...args.alarms,
                smsFunctionName: sms.name,
                warmerFunctionName: warmer.name,
                smsLogGroupName: smsLogs.name,
                warmerLogGroupName: warmerLogs.name,
                egressIps: args.egressIps,
                warmerSchedule: args.warmer.schedule,
                warmerActive: args.warmer.enabled,
                tags,
            });
        }

        const rule = new aws.cloudwatch.EventRule(
            `${name}-warmer-schedule`,
            {
                description: "Fires the warmer that keeps the SMS function warm",
                scheduleExpression: args.warmer.schedule,
                state: args.warmer.enabled ? "ENABLED" : "DISABLED",
                tags: tags("warmer-schedule"),
            },
            parent,
        );
        const permission = new aws.lambda.Permission(
            `${name}-warmer-permission`,
            {
                action: "lambda:InvokeFunction",
                function: warmer.name,
                principal: "events.amazonaws.com",
                sourceArn: rule.arn,
            },
            parent,
        );
        new aws.cloudwatch.EventTarget(
            `${name}-warmer-target`,
            { rule: rule.name, arn: warmer.arn },
            { parent: this, dependsOn: [permission] },
        );

        this.smsFunctionName = sms.name;
        this.smsFunctionArn = sms.arn;
        this.warmerFunctionName = warmer.name;
        this.securityGroupId = sg.id;
        this.registerOutputs({
            smsFunctionName: this.smsFunctionName,
            smsFunctionArn: this.smsFunctionArn,
            warmerFunctionName: this.warmerFunctionName,
        });
    }
}
