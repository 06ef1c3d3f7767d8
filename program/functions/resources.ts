// The resources SmsFunctions is built from, one builder each: roles, log groups, the functions'
// security group, the wait for Lambda's interfaces, the API key's parameter, a function with its
// async-invoke settings, the warmer's invoke grant and its schedule.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleFunction, type FunctionName } from "./bundle";
import { LambdaEniRelease } from "./eni-release";
import type { SmsFunctionsArgs } from "./functions";
import { FUNCTION_MESSAGES } from "./messages";

const RUNTIME = "nodejs22.x";

/** Who builds: the component (parent), its name, Name tags and arguments. */
export interface Owner {
    component: pulumi.ComponentResource;
    name: string;
    tags: (role: string) => Record<string, string>;
    args: SmsFunctionsArgs;
}

const policy = (statement: Record<string, unknown>) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

/** A function's role: Lambda may assume it; logs, and the ENI permissions a function in a VPC cannot start without. */
export function functionRole(o: Owner, fn: FunctionName, partition: pulumi.Input<string>) {
    const parent = { parent: o.component };
    const role = new aws.iam.Role(
        `${o.name}-${fn}-role`,
        {
            description: `aligo-sms ${fn} function`,
            assumeRolePolicy: policy({
                Effect: "Allow",
                Principal: { Service: "lambda.amazonaws.com" },
                Action: "sts:AssumeRole",
            }),
            tags: o.tags(`${fn}-role`),
        },
        parent,
    );
    const attachments = ["AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole"].map(
        (managed) =>
            new aws.iam.RolePolicyAttachment(
                `${o.name}-${fn}-${managed === "AWSLambdaBasicExecutionRole" ? "basic" : "vpc"}`,
                {
                    role: role.name,
                    policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/${managed}`,
                },
                parent,
            ),
    );
    return { role, attachments };
}

/** The function's log group, named as Lambda names it, kept for the configured days. */
export function logGroup(o: Owner, fn: FunctionName): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(
        `${o.name}-${fn}-logs`,
        {
            name: `/aws/lambda/${pulumi.getProject()}-${pulumi.getStack()}-${fn}`,
            retentionInDays: o.args.logRetentionDays,
            tags: o.tags(`${fn}-logs`),
        },
        { parent: o.component },
    );
}

/** No inbound, all outbound (through the NAT); outlives the roles on destroy (see SmsFunctions). */
export function lambdaSecurityGroup(o: Owner, grants: pulumi.Resource[]): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
        `${o.name}-lambda-sg`,
        {
            vpcId: o.args.vpcId,
            description: "Lambda functions: no inbound, all outbound (through the NAT)",
            egress: [
                {
                    description: "Anywhere, through the NAT of the private route tables",
                    protocol: "-1",
                    fromPort: 0,
                    toPort: 0,
                    cidrBlocks: ["0.0.0.0/0"],
                },
            ],
            tags: o.tags("lambda-sg"),
        },
        { parent: o.component, dependsOn: grants },
    );
}

/** The wait for Lambda to let go of its interfaces on destroy, while the roles still exist. */
export function eniRelease(o: Owner, region: pulumi.Input<string>, grants: pulumi.Resource[]): LambdaEniRelease {
    return new LambdaEniRelease(
        `${o.name}-lambda-eni-release`,
        { subnetIds: o.args.privateSubnetIds, region, identity: o.args.identity },
        { parent: o.component, dependsOn: grants },
    );
}

/**
 * The API key lives in SSM Parameter Store, encrypted with the AWS-managed key aws/ssm (standard
 * tier: no charge for storage or standard-throughput reads); the function's environment holds only
 * the parameter's name, so `lambda:GetFunctionConfiguration` does not show the key. The role may
 * read this one parameter; aws/ssm's key policy already lets every principal of the account decrypt
 * through SSM (AWS Systems Manager User Guide, "Restricting decryption of SecureString parameter
 * values", read 2026-11-25), so no kms:Decrypt grant is needed. A new key (`pulumi config set
 * --secret aligoApiKey`, `pulumi up`) updates the parameter in place, and the function reads it
 * again after Aligo refuses the old one; the function itself is not redeployed.
 */
export function apiKeyParameter(o: Owner, smsRole: aws.iam.Role) {
    const parent = { parent: o.component };
    const parameter = new aws.ssm.Parameter(
        `${o.name}-aligo-api-key`,
        {
            name: `/${pulumi.getProject()}/${pulumi.getStack()}/aligo-api-key`,
            description: "Aligo API key for the SMS function",
            type: "SecureString",
            tier: "Standard",
            value: pulumi.secret(o.args.aligo.apiKey),
            tags: o.tags("aligo-api-key"),
        },
        parent,
    );
    const readKey = new aws.iam.RolePolicy(
        `${o.name}-sms-read-key`,
        {
            role: smsRole.name,
            policy: parameter.arn.apply((arn) =>
                policy({ Effect: "Allow", Action: "ssm:GetParameter", Resource: arn }),
            ),
        },
        parent,
    );
    return { parameter, readKey };
}

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
        // A ResourceError: Pulumi prints it on the component; hideStack: without a stack trace.
        if (secret.length > 0)
            throw new pulumi.ResourceError(FUNCTION_MESSAGES.secretInEnvironment(fn, secret), owner, true);
        return values;
    });
}

/** What a function is made of besides the shared network settings. */
export interface FunctionSpec {
    fn: FunctionName;
    environment: Record<string, pulumi.Input<string>>;
    dependsOn: pulumi.Resource[];
    roleArn: pulumi.Input<string>;
    logs: aws.cloudwatch.LogGroup;
}

/** Both functions' place in the VPC: the security group, and the wait they are deleted before. */
export interface FunctionNetwork {
    securityGroupId: pulumi.Output<string>;
    eniRelease: LambdaEniRelease;
}

/** A function from its esbuild bundle, in the private subnets; asynchronous invocations never retried. */
export function lambdaFunction(o: Owner, net: FunctionNetwork, spec: FunctionSpec): aws.lambda.Function {
    const { args } = o;
    const bundle = bundleFunction(spec.fn);
    const f = new aws.lambda.Function(
        `${o.name}-${spec.fn}`,
        {
            description: FUNCTION_MESSAGES.description[spec.fn],
            runtime: RUNTIME,
            architectures: [args.architecture],
            handler: "index.handler",
            code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset(bundle.code) }),
            role: spec.roleArn,
            memorySize: args.memoryMb,
            timeout: args.timeoutSeconds,
            vpcConfig: { subnetIds: args.privateSubnetIds, securityGroupIds: [net.securityGroupId] },
            // On destroy, move the Hyperplane ENIs to the VPC's default group before the function
            // is deleted (the provider waits for that update), so this security group can go at
            // once; the wait for the interfaces is then LambdaEniRelease's (roles still there).
            replaceSecurityGroupsOnDestroy: true,
            loggingConfig: { logFormat: "Text", logGroup: spec.logs.name },
            environment: { variables: withoutSecrets(o.component, `${o.name}-${spec.fn}`, spec.environment) },
            tags: o.tags(spec.fn),
        },
        { parent: o.component, dependsOn: [...spec.dependsOn, spec.logs, net.eniRelease] },
    );
    // Asynchronous invocations are never retried: a retried send is a second SMS.
    new aws.lambda.FunctionEventInvokeConfig(
        `${o.name}-${spec.fn}-async`,
        { functionName: f.name, maximumRetryAttempts: 0 },
        { parent: o.component },
    );
    return f;
}

/** The warmer may invoke the SMS function (and its versions/aliases) and nothing else. */
export function roleMayInvoke(o: Owner, role: aws.iam.Role, target: aws.lambda.Function): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(
        `${o.name}-warmer-invoke`,
        {
            role: role.name,
            policy: target.arn.apply((arn) =>
                policy({ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [arn, `${arn}:*`] }),
            ),
        },
        { parent: o.component },
    );
}

/** The EventBridge rule that fires the warmer (disabled when asked), allowed by a permission scoped to it. */
export function warmerSchedule(o: Owner, warmer: aws.lambda.Function): void {
    const parent = { parent: o.component };
    const rule = new aws.cloudwatch.EventRule(
        `${o.name}-warmer-schedule`,
        {
            description: "Fires the warmer that keeps the SMS function warm",
            scheduleExpression: o.args.warmer.schedule,
            state: o.args.warmer.enabled ? "ENABLED" : "DISABLED",
            tags: o.tags("warmer-schedule"),
        },
        parent,
    );
    const permission = new aws.lambda.Permission(
        `${o.name}-warmer-permission`,
        {
            action: "lambda:InvokeFunction",
            function: warmer.name,
            principal: "events.amazonaws.com",
            sourceArn: rule.arn,
        },
        parent,
    );
    new aws.cloudwatch.EventTarget(
        `${o.name}-warmer-target`,
        { rule: rule.name, arn: warmer.arn },
        { parent: o.component, dependsOn: [permission] },
    );
}
