// The emulator's own answers, through the AWS SDK: what the checks compare the program's promises
// and outputs with.
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
    DescribeAddressesCommand,
    DescribeInstancesCommand,
    DescribeNatGatewaysCommand,
    DescribeRouteTablesCommand,
    DescribeSecurityGroupsCommand,
    DescribeSubnetsCommand,
    DescribeVpcsCommand,
    EC2Client,
    type Instance,
    type RouteTable,
} from "@aws-sdk/client-ec2";
import { DescribeRuleCommand, EventBridgeClient, ListRulesCommand } from "@aws-sdk/client-eventbridge";
import { IAMClient, ListRolesCommand } from "@aws-sdk/client-iam";
import { GetFunctionConfigurationCommand, LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { DescribeParametersCommand, GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";

export interface Emulator {
    ec2: EC2Client;
    lambda: LambdaClient;
    ssm: SSMClient;
    events: EventBridgeClient;
    iam: IAMClient;
    cloudwatch: CloudWatchClient;
    logs: CloudWatchLogsClient;
    sns: SNSClient;
}

export function emulator(endpoint: string): Emulator {
    const config = {
        endpoint,
        region: "ap-northeast-2",
        credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    };
    return {
        ec2: new EC2Client(config),
        lambda: new LambdaClient(config),
        ssm: new SSMClient(config),
        events: new EventBridgeClient(config),
        iam: new IAMClient(config),
        cloudwatch: new CloudWatchClient(config),
        logs: new CloudWatchLogsClient(config),
        sns: new SNSClient(config),
    };
}

const byVpc = (vpcId: string) => [{ Name: "vpc-id", Values: [vpcId] }];

export async function vpcOf(e: Emulator, vpcId: string) {
    return (await e.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs?.[0];
}

export async function subnetsOf(e: Emulator, vpcId: string) {
    return (await e.ec2.send(new DescribeSubnetsCommand({ Filters: byVpc(vpcId) }))).Subnets ?? [];
}

export async function routeTablesOf(e: Emulator, vpcId: string): Promise<RouteTable[]> {
    return (await e.ec2.send(new DescribeRouteTablesCommand({ Filters: byVpc(vpcId) }))).RouteTables ?? [];
}

/** The route table a subnet is associated with. */
export function tableOf(tables: RouteTable[], subnetId: string): RouteTable | undefined {
    return tables.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnetId));
}

/** A table's default route (0.0.0.0/0), if any. */
export const defaultRoute = (t: RouteTable | undefined) =>
    t?.Routes?.find((r) => r.DestinationCidrBlock === "0.0.0.0/0");

/** The VPC's instances that are not terminated. */
export async function instancesOf(e: Emulator, vpcId: string): Promise<Instance[]> {
    const out = await e.ec2.send(new DescribeInstancesCommand({ Filters: byVpc(vpcId) }));
    return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).filter((i) => i.State?.Name !== "terminated");
}

export async function natGatewaysOf(e: Emulator, vpcId: string) {
    const out = await e.ec2.send(new DescribeNatGatewaysCommand({ Filter: byVpc(vpcId) }));
    return (out.NatGateways ?? []).filter((g) => g.State !== "deleted" && g.State !== "deleting");
}

export async function addresses(e: Emulator) {
    return (await e.ec2.send(new DescribeAddressesCommand({}))).Addresses ?? [];
}

export async function securityGroup(e: Emulator, groupId: string) {
    return (await e.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups?.[0];
}

export async function functionConfig(e: Emulator, name: string) {
    return e.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
}

export async function parameter(e: Emulator, name: string) {
    return (await e.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: false }))).Parameter;
}

export async function rule(e: Emulator, name: string) {
    return e.events.send(new DescribeRuleCommand({ Name: name }));
}

/** What the stack could have left behind, by name prefix: anything found is a leak. */
export async function leftovers(e: Emulator, prefix: string): Promise<string[]> {
    const found: string[] = [];
    const vpcs = (await e.ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
    for (const v of vpcs.filter((x) => !x.IsDefault)) found.push(`VPC ${v.VpcId}`);
    for (const a of await addresses(e)) found.push(`Elastic IP ${a.PublicIp}`);
    const reservations = (await e.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? [];
    for (const i of reservations.flatMap((r) => r.Instances ?? []).filter((x) => x.State?.Name !== "terminated"))
        found.push(`instance ${i.InstanceId} (${i.State?.Name})`);
    const gateways = (await e.ec2.send(new DescribeNatGatewaysCommand({}))).NatGateways ?? [];
    for (const g of gateways.filter((x) => x.State !== "deleted"))
        found.push(`NAT gateway ${g.NatGatewayId} (${g.State})`);
    for (const f of (await e.lambda.send(new ListFunctionsCommand({}))).Functions ?? [])
        found.push(`function ${f.FunctionName}`);
    for (const r of ((await e.iam.send(new ListRolesCommand({}))).Roles ?? []).filter((x) =>
        x.RoleName?.startsWith("functions-"),
    ))
        found.push(`role ${r.RoleName}`);
    for (const p of (await e.ssm.send(new DescribeParametersCommand({}))).Parameters ?? [])
        found.push(`parameter ${p.Name}`);
    for (const r of (await e.events.send(new ListRulesCommand({}))).Rules ?? []) found.push(`rule ${r.Name}`);
    for (const a of (await e.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [])
        found.push(`alarm ${a.AlarmName}`);
    const groups = (await e.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/lambda/${prefix}` })))
        .logGroups;
    for (const g of groups ?? []) found.push(`log group ${g.logGroupName}`);
    for (const t of (await e.sns.send(new ListTopicsCommand({}))).Topics ?? []) found.push(`topic ${t.TopicArn}`);
    return found;
}
