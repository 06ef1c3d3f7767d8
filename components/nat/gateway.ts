// The managed NAT gateway, and the alarms on its own failures.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { zonePrefix } from "./addresses";
import { NAT_MESSAGES } from "./messages";

/** Where the gateway is built: its component (parent), name and Name tags. */
export interface GatewayOwner {
    component: pulumi.ComponentResource;
    name: string;
    tags: (role: string) => Record<string, string>;
}

/**
 * The NAT gateway on `allocationId`, in `subnetId`. The provider itself waits for it: its create
 * returns once the gateway is `available` (terraform-provider-aws vpc_nat_gateway.go:
 * waitNATGatewayCreated), and the routes take its id, so they move only then.
 */
export function natGateway(
    owner: GatewayOwner,
    z: number,
    allocationId: pulumi.Input<string>,
    subnetId: pulumi.Input<string>,
    alarmTopicArn: pulumi.Input<string> | undefined,
): aws.ec2.NatGateway {
    const { component, name, tags } = owner;
    const prefix = zonePrefix(z);
    const gateway = new aws.ec2.NatGateway(
        `${name}-${prefix}gateway`,
        { allocationId, subnetId, connectivityType: "public", tags: tags(`${prefix}gateway`) },
        { parent: component },
    );
    if (alarmTopicArn !== undefined) gatewayAlarms(owner, prefix, gateway, alarmTopicArn);
    return gateway;
}

/** The NAT gateway's own failures, on the alarm topic. */
function gatewayAlarms(
    owner: GatewayOwner,
    prefix: string,
    gateway: aws.ec2.NatGateway,
    topic: pulumi.Input<string>,
): void {
    const { component, name, tags } = owner;
    const common = {
        namespace: "AWS/NATGateway",
        dimensions: { NatGatewayId: gateway.id },
        statistic: "Sum",
        period: 300,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [topic],
        okActions: [topic],
    };
    new aws.cloudwatch.MetricAlarm(
        `${name}-${prefix}gateway-port-allocation`,
        {
            ...common,
            alarmDescription: NAT_MESSAGES.gatewayPortAllocation,
            metricName: "ErrorPortAllocation",
            evaluationPeriods: 1,
            tags: tags(`${prefix}gateway-port-allocation`),
        },
        { parent: component },
    );
    new aws.cloudwatch.MetricAlarm(
        `${name}-${prefix}gateway-packets-dropped`,
        {
            ...common,
            alarmDescription: NAT_MESSAGES.gatewayPacketsDropped,
            metricName: "PacketsDropCount",
            evaluationPeriods: 3,
            datapointsToAlarm: 2,
            tags: tags(`${prefix}gateway-packets-dropped`),
        },
        { parent: component },
    );
}
