// The aligo-sms program: reads and checks the whole configuration, then wires the components.
// Pulumi calls the exported function; everything that can fail on bad input fails before the
// first resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { AlarmTopic, metricsNamespace } from "./program/alarms";
import { alarmsWanted } from "./program/config/alarms";
import { warmerActive } from "./program/config/config";
import { readConfig } from "./program/config/read";
import { estimateMonthlyCost } from "./program/cost/estimate";
import { SmsFunctions } from "./program/functions/functions";
import { imageArgument } from "./components/images";
import { Nat, REQUIRED_PULUMI_VERSION } from "./components/nat";
import { Network } from "./components/network";
import { NAT_COMPONENT_NAME, preflight } from "./program/preflight";

export = async () => {
    // Checked before anything else, so an old CLI stops the program at once (the Nat component
    // checks it too, for its other users).
    await pulumi.runtime.requirePulumiVersion(REQUIRED_PULUMI_VERSION);
    const cfg = readConfig();
    const facts = await preflight(cfg);
    const tags = { "aligo-sms:stack": pulumi.getStack() };

    const network = new Network("network", {
        vpcCidr: cfg.vpcCidr,
        availabilityZones: facts.availabilityZones,
        publicSubnetCidrs: cfg.publicSubnetCidrs,
        privateSubnetCidrs: cfg.privateSubnetCidrs,
        tags,
    });

    // Alarms only when someone hears them (alarmEmail or alarmTopicArn).
    const alarmTopic = alarmsWanted(cfg)
        ? new AlarmTopic("alarms", { email: cfg.alarmEmail, topicArn: cfg.alarmTopicArn, tags })
        : undefined;

    const nat = new Nat(NAT_COMPONENT_NAME, {
        strategy: cfg.nat,
        vpcId: network.vpcId,
        publicSubnetId: network.publicSubnetId(0),
        internetGatewayId: network.internetGatewayId,
        privateRouteTableIds: cfg.privateSubnetCidrs.map((_, i) => network.privateRouteTableId(i)),
        privateSubnetCidrs: network.privateSubnetCidrs,
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
        awsProfile: cfg.awsProfile,
        alarmTopicArn: alarmTopic?.topicArn,
        tags,
    });

    const functions = new SmsFunctions("functions", {
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        profile: cfg.awsProfile,
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
    });

    const cost = estimateMonthlyCost(cfg, cfg.nat);
    if (cost.unknownRegion || !cost.complete) {
        void pulumi.log.warn(
            `estimatedMonthlyCostUsd is not exported: ${
                cost.unknownRegion ??
                cost.lines
                    .filter((l) => l.usd === undefined)
                    .map((l) => l.quantity)
                    .join("; ")
            }`,
        );
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
};
