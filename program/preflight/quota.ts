// The region's Elastic IP quota, before anything is created: an address past it fails its create
// mid-deployment (AddressLimitExceeded), with the NAT half built.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lookupCause } from "../../components/index";
import { ConfigError, type AppConfig } from "../config/config";
import { PREFLIGHT_MESSAGES } from "./messages";

/** Service Quotas' code for "EC2-VPC Elastic IPs" (5 per region by default). */
export const EIP_QUOTA = { serviceCode: "ec2", quotaCode: "L-0263D0A3" } as const;

/**
 * Refuses when the addresses still to be allocated do not fit: the addresses the region already
 * holds (this stack's included) plus `toAllocate` against the quota, read from Service Quotas
 * (servicequotas:GetServiceQuota; Service Quotas User Guide, and the EC2 User Guide's "Elastic IP
 * address quota", read 2026-12-07). When the quota cannot be read (permission denied, or a
 * partition without Service Quotas) it warns and goes on.
 */
export async function checkAddressQuota(cfg: AppConfig, toAllocate: number): Promise<void> {
    if (toAllocate === 0) return;
    let quota: number;
    try {
        quota = (await aws.servicequotas.getServiceQuota({ ...EIP_QUOTA })).value;
    } catch (e) {
        void pulumi.log.warn(PREFLIGHT_MESSAGES.quotaUnknown(cfg.region, toAllocate, lookupCause(e)));
        return;
    }
    const held = (await aws.ec2.getEips({})).allocationIds.length;
    if (held + toAllocate > quota)
        throw new ConfigError([PREFLIGHT_MESSAGES.quotaExceeded(cfg.region, quota, held, toAllocate)]);
}
