import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childTags, type WaitIdentity } from "../../components/index";
import { functionAlarms } from "../alarms";
import {
    apiKeyParameter,
    eniRelease,
    functionRole,
    lambdaFunction,
    lambdaSecurityGroup,
    logGroup,
    roleMayInvoke,
    warmerSchedule,
    type Owner,
} from "./resources";

export { secretVariables } from "./resources";

export interface SmsFunctionsArgs {
    vpcId: pulumi.Input<string>;
    /** Private subnets the functions attach to (all of them, one ENI set per subnet). */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The AWS provider's identity for the destroy-time wait's look-ups (components/identity.ts). Default: the default credential chain. */
    identity?: pulumi.Input<WaitIdentity>;
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
        // From the provider the functions are created with (a provider passed in opts included).
        const partition = aws.getPartitionOutput({}, parent).partition;
        const region = aws.getRegionOutput({}, parent).region;
        const owner: Owner = { component: this, name, tags: childTags(name, args.tags), args };

        // Roles first: the security group and the interface wait depend on them (see the class comment).
        const smsRole = functionRole(owner, "sms", partition);
        const warmerRole = functionRole(owner, "warmer", partition);
        const grants = [smsRole.role, ...smsRole.attachments, warmerRole.role, ...warmerRole.attachments];
        const sg = lambdaSecurityGroup(owner, grants);
        const release = eniRelease(owner, region, grants);
        const network = { securityGroupId: sg.id, eniRelease: release };

        const key = apiKeyParameter(owner, smsRole.role);
        const smsLogs = logGroup(owner, "sms");
        const sms = lambdaFunction(owner, network, {
            fn: "sms",
            environment: smsEnvironment(args, key.parameter.name),
            dependsOn: [...smsRole.attachments, key.readKey],
            roleArn: smsRole.role.arn,
            logs: smsLogs,
        });

        // Invoke the SMS function (and its versions/aliases) and nothing else.
        const invokePolicy = roleMayInvoke(owner, warmerRole.role, sms);
        const warmerLogs = logGroup(owner, "warmer");
        const warmer = lambdaFunction(owner, network, {
            fn: "warmer",
            environment: warmerEnvironment(args, sms.name),
            dependsOn: [...warmerRole.attachments, invokePolicy],
            roleArn: warmerRole.role.arn,
            logs: warmerLogs,
        });

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
                tags: owner.tags,
            });
        }
        warmerSchedule(owner, warmer);

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

/** The SMS function's environment: the key's parameter name (never the key), Aligo's settings, the addresses to name on a refusal. */
function smsEnvironment(args: SmsFunctionsArgs, keyParameterName: pulumi.Output<string>) {
    return {
        ALIGO_API_KEY_PARAMETER: keyParameterName,
        ALIGO_USER_ID: args.aligo.userId,
        ALIGO_SENDER: args.aligo.sender,
        ...(args.aligo.baseUrl ? { ALIGO_BASE_URL: args.aligo.baseUrl } : {}),
        EGRESS_IPS: pulumi.output(args.egressIps).apply((ips) => ips.join(",")),
        // Where the balance metric goes (only looked up when the warmer asks).
        ...(args.alarms && args.alarms.balanceBelow > 0 ? { METRICS_NAMESPACE: args.alarms.namespace } : {}),
    };
}

/** The warmer's environment: whom to ping, how many at once, and whether to ask for the balance. */
function warmerEnvironment(args: SmsFunctionsArgs, smsName: pulumi.Output<string>) {
    return {
        TARGET_FUNCTION_NAME: smsName,
        WARM_CONCURRENCY: String(args.warmer.concurrency),
        ...(args.alarms && args.alarms.balanceBelow > 0 ? { BALANCE_CHECK: "true" } : {}),
    };
}
