// The aligo-sms program: reads and checks the whole configuration, then wires the components.
// Pulumi calls the exported function; everything that can fail on bad input fails before the
// first resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { readConfig } from "./components/config/read";
import { estimateMonthlyCost } from "./components/cost/estimate";
import { SmsFunctions } from "./components/functions/functions";
import { Nat } from "./components/nat/nat";
import { Network } from "./components/network/network";
import { preflight } from "./components/preflight";

export = async () => {
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

    const nat = new Nat("nat", {
        strategy: cfg.nat,
        vpcId: network.vpcId,
        publicSubnetId: network.publicSubnetIds[0],
        privateRouteTableIds: network.privateRouteTableIds,
        privateSubnetCidrs: network.privateSubnetCidrs,
        internetGateway: network.internetGateway,
        instance: facts.image && {
            instanceType: cfg.natInstanceType,
            image: facts.image,
            keyName: cfg.natKeyName,
            sshCidr: cfg.natSshCidr,
        },
        region: cfg.region,
        byoEgress: cfg.egressIpAllocationIds && { allocationIds: cfg.egressIpAllocationIds, publicIps: facts.byoPublicIps! },
        tags,
    });

    const functions = new SmsFunctions("functions", {
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        region: cfg.region,
        aligo: { apiKey: cfg.aligoApiKey, userId: cfg.aligoUserId, sender: cfg.aligoSender },
        egressIps: nat.egressIps,
        architecture: cfg.lambdaArchitecture,
        memoryMb: cfg.lambdaMemoryMb,
        timeoutSeconds: cfg.lambdaTimeoutSeconds,
        logRetentionDays: cfg.logRetentionDays,
        warmer: { enabled: cfg.warmerEnabled, schedule: cfg.warmerSchedule, concurrency: cfg.warmerConcurrency },
        tags,
    });

    const cost = estimateMonthlyCost(cfg, cfg.nat);
    if (cost.unknownRegion || !cost.complete) {
        void pulumi.log.warn(`estimatedMonthlyCostUsd is not exported: ${cost.unknownRegion ?? cost.lines.filter((l) => l.usd === undefined).map((l) => l.quantity).join("; ")}`);
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
        /** Idle monthly cost of the active strategy (no NAT data), from components/cost/prices.ts. */
        estimatedMonthlyCostUsd: cost.complete ? cost.totalUsd : undefined,
    };
};
