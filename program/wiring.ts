// How the program's configuration becomes the components' arguments and the stack's outputs: plain
// mappings, so index.ts only reads the configuration and wires the components.
import { imageArgument, type Nat, type NatArgs, type Network, type NetworkArgs } from "../components/index";
import type { AlarmTopic } from "./alarms";
import { metricsNamespace } from "./alarms";
import { warmerActive } from "./config/config";
import type { StackConfig } from "./config/read";
import { estimateMonthlyCost } from "./cost/estimate";
import type { SmsFunctions, SmsFunctionsArgs } from "./functions/functions";
import type { Facts } from "./preflight";

type Tags = Record<string, string>;

export function networkArgs(cfg: StackConfig, facts: Facts, tags: Tags): NetworkArgs {
    return {
        vpcCidr: cfg.vpcCidr,
        availabilityZones: facts.availabilityZones,
        publicSubnetCidrs: cfg.publicSubnetCidrs,
        privateSubnetCidrs: cfg.privateSubnetCidrs,
        tags,
    };
}

export function natArgs(
    cfg: StackConfig,
    facts: Facts,
    network: Network,
    alarmTopic: AlarmTopic | undefined,
    tags: Tags,
): NatArgs {
    return {
        strategy: cfg.nat,
        vpcId: network.vpcId,
        publicSubnetId: network.publicSubnetId(0),
        internetGatewayId: network.internetGatewayId,
        privateRouteTableIds: cfg.privateSubnetCidrs.map((_, i) => network.privateRouteTableId(i)),
        privateSubnetCidrs: network.privateSubnetCidrs,
        perAz: cfg.natPerAz,
        publicSubnetIds: cfg.natPerAz ? cfg.publicSubnetCidrs.map((_, i) => network.publicSubnetId(i)) : undefined,
        pendingZones: facts.pendingZones,
        instance: {
            instanceType: cfg.natInstanceType,
            image: imageArgument(cfg.natImage),
            imageRefresh: cfg.natImageRefresh,
            adopt: facts.adopt,
            keyName: cfg.natKeyName,
            sshCidr: cfg.natSshCidr,
        },
        egressIpAllocationIds: cfg.egressIpAllocationIds,
        egressIpStandby: cfg.egressIpStandby,
        awsIdentity: cfg.awsIdentity,
        alarmTopicArn: alarmTopic?.topicArn,
        tags,
    };
}

export function functionsArgs(
    cfg: StackConfig,
    network: Network,
    nat: Nat,
    alarmTopic: AlarmTopic | undefined,
    tags: Tags,
): SmsFunctionsArgs {
    return {
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        identity: cfg.awsIdentity,
        aligo: { apiKey: cfg.aligoApiKey, userId: cfg.aligoUserId, sender: cfg.aligoSender },
        egressIps: nat.egressIps,
        architecture: cfg.lambdaArchitecture,
        memoryMb: cfg.lambdaMemoryMb,
        timeoutSeconds: cfg.lambdaTimeoutSeconds,
        logRetentionDays: cfg.logRetentionDays,
        warmer: { enabled: warmerActive(cfg), schedule: cfg.warmerSchedule, concurrency: cfg.warmerConcurrency },
        alarms: alarmTopic && {
            topicArn: alarmTopic.topicArn,
            namespace: metricsNamespace(),
            balanceBelow: cfg.aligoBalanceAlarmBelow,
        },
        tags,
    };
}

/** What the stack exports; the cost estimate only when every price of it is known (and says why not, once). */
export function stackOutputs(
    cfg: StackConfig,
    parts: { network: Network; nat: Nat; functions: SmsFunctions; alarmTopic?: AlarmTopic },
    warn: (message: string) => void,
): Record<string, unknown> {
    const { network, nat, functions, alarmTopic } = parts;
    const cost = estimateMonthlyCost(cfg, cfg.nat);
    if (cost.unknownRegion || !cost.complete) {
        const missing = cost.lines.filter((l) => l.usd === undefined).map((l) => l.quantity);
        warn(`estimatedMonthlyCostUsd is not exported: ${cost.unknownRegion ?? missing.join("; ")}`);
    }
    return {
        natStrategy: cfg.nat,
        egressIp: nat.egressIp,
        egressIps: nat.egressIps,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        smsFunctionName: functions.smsFunctionName,
        smsFunctionArn: functions.smsFunctionArn,
        warmerFunctionName: functions.warmerFunctionName,
        /** Where the alarms go; absent when there are none. */
        alarmTopicArn: alarmTopic?.topicArn,
        /** Idle monthly cost of the active strategy (no NAT data), from program/cost/prices.ts. */
        estimatedMonthlyCostUsd: cost.complete ? cost.totalUsd : undefined,
    };
}
