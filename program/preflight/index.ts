// Look-ups that must succeed before the first resource is registered: the zones (kept ones first),
// the NAT image, your own Elastic IPs and the program's own, which zones' NATs may carry traffic
// yet, the Elastic IP quota, and a NAT instance from an earlier version to adopt. Each failure
// becomes a ConfigError that names the key.
import * as pulumi from "@pulumi/pulumi";
import type { NatAdoptedInstance } from "../../components/index";
import type { AppConfig } from "../config/config";
import { addressesToAllocate, checkOwnAddresses, lookupEgress, ownAddresses, pendingZones } from "./addresses";
import { findAdoptableInstance, lookupImage } from "./image";
import { PREFLIGHT_MESSAGES } from "./messages";
import { checkAddressQuota } from "./quota";
import { lookupZones } from "./zones";

export { NAT_COMPONENT_NAME, NETWORK_COMPONENT_NAME } from "./names";

export interface Facts {
    /** One zone per subnet pair: the zones existing subnets are in, then the first free available ones, in name order. */
    readonly availabilityZones: string[];
    /** A NAT instance made by an earlier version that matches the settings, to adopt as it is. */
    readonly adopt?: NatAdoptedInstance;
    /** With natPerAz: zones (indexes) whose NAT's address is new in this deployment, routed through zone 0's NAT until the next one. */
    readonly pendingZones: number[];
}

export async function preflight(cfg: AppConfig): Promise<Facts> {
    // The Nat component looks the image and your addresses up itself, at deploy time; looking them
    // up here too makes a missing image or a foreign holder an error before anything is created.
    const [availabilityZones, , , adopt, own] = await Promise.all([
        lookupZones(cfg),
        cfg.nat === "instance" ? lookupImage(cfg) : Promise.resolve(undefined),
        cfg.egressIpAllocationIds ? lookupEgress(cfg, cfg.egressIpAllocationIds) : Promise.resolve(undefined),
        cfg.nat === "instance" ? findAdoptableInstance(cfg) : Promise.resolve(undefined),
        ownAddresses(),
    ]);
    if (!cfg.egressIpAllocationIds) await checkOwnAddresses(cfg, own);
    await checkAddressQuota(cfg, addressesToAllocate(cfg, own));
    const pending = pendingZones(cfg, own);
    if (pending.length > 0)
        void pulumi.log.warn(
            PREFLIGHT_MESSAGES.pendingZones(
                pending.map((z) => availabilityZones[z]),
                availabilityZones[0],
            ),
        );
    return { availabilityZones, adopt, pendingZones: pending };
}
