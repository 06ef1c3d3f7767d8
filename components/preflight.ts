// Look-ups that must succeed before the first resource is registered: the region's AZs, the NAT
// image, bring-your-own Elastic IPs, and whether a single shared address is free for the NAT kind
// that is switched on. Each failure becomes a ConfigError that names the key.
import * as aws from "@pulumi/aws";
import { ConfigError, type AppConfig } from "./config/config";
import { IMAGE_FAMILIES, NAT_IMAGE_FAMILIES, imageSelector, instanceArchitecture, profileFor, type ImageProfile } from "./nat/images";
import { EGRESS_EIP_ROLE } from "./nat/nat";
import { egressPlan } from "./nat/plan";
import { childTags } from "./tags";

export interface Facts {
    /** The first `azCount` AZs of the region that need no opt-in, in name order. */
    readonly availabilityZones: string[];
    /** The NAT instance image; only looked up when nat is "instance". */
    readonly image?: ImageProfile;
    /** Public addresses of bring-your-own Elastic IPs, in the order given. */
    readonly byoPublicIps?: string[];
}

/** The name of the NAT component the program creates (its children's Name tags start with it). */
export const NAT_COMPONENT_NAME = "nat";

export async function preflight(cfg: AppConfig): Promise<Facts> {
    const [availabilityZones, image, byoPublicIps] = await Promise.all([
        lookupZones(cfg),
        cfg.nat === "instance" ? lookupImage(cfg) : Promise.resolve(undefined),
        cfg.egressIpAllocationIds ? lookupEgress(cfg, cfg.egressIpAllocationIds) : Promise.resolve(undefined),
        !cfg.egressIpAllocationIds && !cfg.egressIpStandby ? checkOwnSharedAddress(cfg) : Promise.resolve(),
    ]);
    return { availabilityZones, image, byoPublicIps };
}

async function lookupZones(cfg: AppConfig): Promise<string[]> {
    const zones = await aws.getAvailabilityZones({
        state: "available",
        filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    const names = [...zones.names].sort();
    if (names.length < cfg.azCount) {
        throw new ConfigError([
            `azCount: ${cfg.azCount} but ${cfg.region} has ${names.length} available zone${names.length === 1 ? "" : "s"} (${names.join(", ")}); set azCount to at most ${names.length}`,
        ]);
    }
    return names.slice(0, cfg.azCount);
}

async function lookupImage(cfg: AppConfig): Promise<ImageProfile> {
    const image = cfg.natImage;
    const selector = imageSelector(image, cfg.natArchitecture);
    if (image.kind === "family") {
        const facts = IMAGE_FAMILIES[image.family];
        const pattern = facts.namePattern(cfg.natArchitecture);
        let found: aws.ec2.GetAmiResult;
        try {
            found = await aws.ec2.getAmi({
                owners: facts.owners,
                mostRecent: true,
                // AWS deprecates public AMIs two years after creation, and DescribeImages then hides
                // them unless asked (EC2 User Guide, "Deprecate an AMI"): without this a family whose
                // newest image is older than that finds nothing (reported publicly for fck-nat and
                // SST's NAT). mostRecent still picks the newest by creation date
                // (terraform-provider-aws ec2_ami_data_source.go sorts on CreationDate). Read 2026-11-25.
                includeDeprecated: true,
                filters: [
                    { name: "name", values: [pattern] },
                    { name: "architecture", values: [cfg.natArchitecture] },
                    { name: "virtualization-type", values: ["hvm"] },
                    { name: "root-device-type", values: ["ebs"] },
                ],
            });
        } catch (e) {
            const others = NAT_IMAGE_FAMILIES.filter((f) => f !== image.family && IMAGE_FAMILIES[f].architectures.includes(cfg.natArchitecture));
            throw new ConfigError([
                `natImage: no ${JSON.stringify(image.family)} image for ${cfg.natArchitecture} found in ${cfg.region} ` +
                    `(owner ${facts.owners.join(",")}, name ${pattern}, deprecated images included): ${firstLine(e)}. ` +
                    `Choose another image: ${others.map((f) => `\`pulumi config set natImage ${f}\``).join(", ")}, ` +
                    `or pin one you know exists in ${cfg.region} with \`pulumi config set natImage ami-…\``,
            ]);
        }
        return profileFor(found, selector);
    }
    let found: aws.ec2.GetAmiResult;
    try {
        found = await aws.ec2.getAmi({ includeDeprecated: true, filters: [{ name: "image-id", values: [image.id] }] });
    } catch (e) {
        throw new ConfigError([`natImage: ${JSON.stringify(image.id)} was not found in ${cfg.region} (${firstLine(e)}); AMI ids differ per region`]);
    }
    const profile = profileFor(found, selector);
    const typeArch = instanceArchitecture(cfg.natInstanceType);
    if (profile.architecture !== typeArch) {
        throw new ConfigError([
            `natImage: ${JSON.stringify(image.id)} (${found.name}) is ${profile.architecture}, but natInstanceType ${JSON.stringify(cfg.natInstanceType)} is ${typeArch}; the instance could not boot`,
        ]);
    }
    return profile;
}

async function lookupEgress(cfg: AppConfig, ids: string[]): Promise<string[]> {
    const eips = await Promise.all(
        ids.map(async (id) => {
            try {
                return await aws.ec2.getElasticIp({ id });
            } catch (e) {
                throw new ConfigError([`egressIpAllocationIds: ${JSON.stringify(id)} was not found in ${cfg.region} (${firstLine(e)})`]);
            }
        }),
    );
    const plan = egressPlan(ids);
    if (plan.kind === "byo" && plan.shared) {
        await refuseSwitchOfHeldAddress(cfg, eips[0], `egressIpAllocationIds ${JSON.stringify(ids[0])}`, `add a second allocation id for the ${cfg.nat}`);
    }
    return eips.map((e) => e.publicIp);
}

/**
 * With `egressIpStandby: false` the program allocates one address for both NAT kinds. Find it by
 * its Name tag (absent before the first deployment) and refuse a one-step switch it cannot make.
 */
async function checkOwnSharedAddress(cfg: AppConfig): Promise<void> {
    const name = childTags(NAT_COMPONENT_NAME, undefined)(EGRESS_EIP_ROLE).Name;
    const found = await aws.ec2.getEips({ tags: { Name: name } });
    if (found.allocationIds.length !== 1) return;
    const eip = await aws.ec2.getElasticIp({ id: found.allocationIds[0] });
    await refuseSwitchOfHeldAddress(cfg, eip, "the stack's one Elastic IP, egressIpStandby false", "set egressIpStandby true to keep a second address for it (register it with Aligo too)");
}

/**
 * One address for both NAT kinds cannot move from the old NAT to the new one inside one
 * deployment, because Pulumi creates the new NAT before deleting the old: stop before anything is
 * created and say how to switch.
 */
async function refuseSwitchOfHeldAddress(cfg: AppConfig, eip: aws.ec2.GetElasticIpResult, what: string, alternative: string): Promise<void> {
    const heldByGateway = eip.networkInterfaceId
        ? (await aws.ec2.getNetworkInterface({ id: eip.networkInterfaceId })).interfaceType === "nat_gateway"
        : false;
    const heldByInstance = Boolean(eip.instanceId);
    if ((cfg.nat === "instance" && heldByGateway) || (cfg.nat === "gateway" && heldByInstance)) {
        const from = heldByGateway ? "gateway" : "instance";
        throw new ConfigError([
            `nat: ${JSON.stringify(cfg.nat)} cannot take over ${eip.publicIp} (${what}) in one \`pulumi up\` while the NAT ${from} holds it. ` +
                `Switch in two steps: \`pulumi config set nat none && pulumi up\`, then \`pulumi config set nat ${cfg.nat} && pulumi up\` ` +
                `(outbound traffic stops in between), or ${alternative}`,
        ]);
    }
}

function firstLine(e: unknown): string {
    return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}
