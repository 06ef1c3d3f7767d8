// The NAT's addresses before anything is created: your own (egressIpAllocationIds) must be free or
// this NAT's; the program's own (found by their Name tags) decide which zones' NATs may carry
// traffic in this deployment and whether one shared address can move; and the region's Elastic IP
// quota must hold the addresses still to be allocated.
import * as aws from "@pulumi/aws";
import {
    NatStrategy,
    addressHolding,
    describeProblems,
    givenAddressProblems,
    heldSwitchProblem,
    holderKind,
} from "../../components/index";
import { ConfigError, type AppConfig } from "../config/config";
import { NAT_CONFIG_NAMES } from "../config/nat";
import { cause } from "./image";
import { PREFLIGHT_MESSAGES } from "./messages";
import { addressName, natName } from "./names";

/** How this program deploys with another strategy (for the messages that say how to switch). */
export const deployWith = (nat: NatStrategy) => `\`pulumi config set nat ${nat} && pulumi up\``;

/** An address of the stack's own, as EC2 reports it now, with its Name tag. */
export interface OwnAddress {
    name: string;
    eip: aws.ec2.GetElasticIpResult;
}

/** The stack's own NAT addresses (allocated by the program in earlier deployments), by Name tag. */
export async function ownAddresses(): Promise<Map<string, OwnAddress>> {
    const found = await aws.ec2.getEips({ filters: [{ name: "tag:Name", values: [natName("*eip")] }] });
    const own = await Promise.all(found.allocationIds.map((id) => aws.ec2.getElasticIp({ id })));
    return new Map(own.map((eip) => [eip.tags?.Name ?? "", { name: eip.tags?.Name ?? "", eip }]));
}

/**
 * Your own addresses, checked by the Nat component's own rule (givenAddressProblems), which the
 * component applies again at deploy time before it binds one: here it stops the program before
 * anything is created.
 */
export async function lookupEgress(cfg: AppConfig, ids: string[]): Promise<string[]> {
    const holdings = await Promise.all(
        ids.map(async (id) => {
            let eip: aws.ec2.GetElasticIpResult;
            try {
                eip = await aws.ec2.getElasticIp({ id });
            } catch (e) {
                throw new ConfigError([
                    `egressIpAllocationIds: ${JSON.stringify(id)} was not found in ${cfg.region}${cause(e)}`,
                ]);
            }
            return addressHolding(eip);
        }),
    );
    const problems = givenAddressProblems(holdings, cfg.nat, natName("instance"), NAT_CONFIG_NAMES, deployWith);
    if (problems.length > 0) throw new ConfigError(describeProblems(problems));
    return holdings.map((h) => h.publicIp);
}

/** How many NATs the configuration has: one per zone with natPerAz, else one. */
export const natZoneCount = (cfg: AppConfig): number => (cfg.natPerAz ? cfg.azCount : 1);

/**
 * The program's own addresses, found by their Name tags (absent before the first deployment):
 * - with `egressIpStandby: false`, each zone's one address (tagged as the egress address, or, zone
 *   0's, still as the instance's from when the standby was on) must not be held by the other NAT kind;
 * - turning the standby on while `nat` is `gateway` would move the gateway at once to a new address
 *   nobody has registered with Aligo: refuse, and say how to do it in order.
 */
export async function checkOwnAddresses(cfg: AppConfig, own: Map<string, OwnAddress>): Promise<void> {
    if (!cfg.egressIpStandby) {
        for (let z = 0; z < natZoneCount(cfg); z++) {
            const names = [addressName(z, NatStrategy.Instance, false), ...(z === 0 ? [natName("instance-eip")] : [])];
            for (const address of names.map((n) => own.get(n)).filter((a) => a !== undefined)) {
                const held = heldSwitchProblem(
                    await addressHolding(address.eip),
                    cfg.nat,
                    "the stack's one Elastic IP, egressIpStandby false",
                    "set egressIpStandby true to keep a second address for it (register it with Aligo too)",
                    NAT_CONFIG_NAMES,
                    deployWith,
                );
                if (held) throw new ConfigError(describeProblems([held]));
            }
        }
        return;
    }
    if (cfg.nat !== "gateway") return;
    const single = own.get(natName("egress-eip"));
    if (!single) return;
    const holding = await addressHolding(single.eip);
    if (holderKind(holding) === NatStrategy.Gateway)
        throw new ConfigError([PREFLIGHT_MESSAGES.standbyOnUnderGateway(holding.publicIp)]);
}

/**
 * With natPerAz, the zones (indexes) whose NAT must not carry traffic yet: the address it binds did
 * not exist before this deployment, so it was never in egressIps and nobody registered it. Those
 * zones route through zone 0's NAT until the next `pulumi up`. A first deployment (no address of
 * the stack exists) is exempt: nothing is registered yet, and every zone routes to its own NAT.
 */
export function pendingZones(cfg: AppConfig, own: Map<string, OwnAddress>): number[] {
    if (!cfg.natPerAz || cfg.nat === "none" || own.size === 0) return [];
    const pending: number[] = [];
    for (let z = 1; z < cfg.azCount; z++) {
        if (!own.has(addressName(z, cfg.nat, cfg.egressIpStandby))) pending.push(z);
    }
    return pending;
}

/** How many addresses this deployment allocates that the stack does not hold yet. */
export function addressesToAllocate(cfg: AppConfig, own: Map<string, OwnAddress>): number {
    if (cfg.egressIpAllocationIds) return 0;
    let needed = 0;
    for (let z = 0; z < natZoneCount(cfg); z++) {
        const kinds = cfg.egressIpStandby ? [NatStrategy.Gateway, NatStrategy.Instance] : [NatStrategy.Instance];
        for (const kind of kinds) {
            const name = addressName(z, kind, cfg.egressIpStandby);
            const legacy = z === 0 && !cfg.egressIpStandby && own.has(natName("instance-eip"));
            if (!own.has(name) && !legacy) needed++;
        }
    }
    return needed;
}
