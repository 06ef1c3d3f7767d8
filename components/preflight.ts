// Look-ups that must succeed before the first resource is registered: the region's AZs, the NAT
// image, and bring-your-own Elastic IPs. Each failure becomes a ConfigError that names the key.
import * as aws from "@pulumi/aws";
import { ConfigError, type AppConfig } from "./config/config";
import { IMAGE_FAMILIES, instanceArchitecture, profileFor, type ImageProfile } from "./nat/images";
import { egressPlan } from "./nat/plan";

export interface Facts {
    /** The first `azCount` AZs of the region that need no opt-in, in name order. */
    readonly availabilityZones: string[];
    /** The NAT instance image; only looked up when nat is "instance". */
    readonly image?: ImageProfile;
    /** Public addresses of bring-your-own Elastic IPs, in the order given. */
    readonly byoPublicIps?: string[];
}

export async function preflight(cfg: AppConfig): Promise<Facts> {
    const [availabilityZones, image, byoPublicIps] = await Promise.all([
        lookupZones(cfg),
        cfg.nat === "instance" ? lookupImage(cfg) : Promise.resolve(undefined),
        cfg.egressIpAllocationIds ? lookupEgress(cfg, cfg.egressIpAllocationIds) : Promise.resolve(undefined),
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
    if (image.kind === "family") {
        const facts = IMAGE_FAMILIES[image.family];
        const pattern = facts.namePattern(cfg.natArchitecture);
        let found: aws.ec2.GetAmiResult;
        try {
            found = await aws.ec2.getAmi({
                owners: facts.owners,
                mostRecent: true,
                includeDeprecated: facts.includeDeprecated,
                filters: [
                    { name: "name", values: [pattern] },
                    { name: "architecture", values: [cfg.natArchitecture] },
                    { name: "virtualization-type", values: ["hvm"] },
                    { name: "root-device-type", values: ["ebs"] },
                ],
            });
        } catch (e) {
            throw new ConfigError([
                `natImage: no ${JSON.stringify(image.family)} image found in ${cfg.region} (owner ${facts.owners.join(",")}, name ${pattern}, ` +
                    `${cfg.natArchitecture}${facts.includeDeprecated ? ", deprecated included" : ""}): ${firstLine(e)}. ` +
                    `Pin one with \`pulumi config set natImage ami-…\` or choose another natImage`,
            ]);
        }
        return profileFor(found);
    }
    let found: aws.ec2.GetAmiResult;
    try {
        found = await aws.ec2.getAmi({ includeDeprecated: true, filters: [{ name: "image-id", values: [image.id] }] });
    } catch (e) {
        throw new ConfigError([`natImage: ${JSON.stringify(image.id)} was not found in ${cfg.region} (${firstLine(e)}); AMI ids differ per region`]);
    }
    const profile = profileFor(found);
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
        // One address for both strategies: it cannot move from the old NAT to the new one inside
        // one deployment, because Pulumi creates the new NAT before deleting the old.
        const eip = eips[0];
        const heldByGateway = eip.networkInterfaceId
            ? (await aws.ec2.getNetworkInterface({ id: eip.networkInterfaceId })).interfaceType === "nat_gateway"
            : false;
        const heldByInstance = Boolean(eip.instanceId);
        if ((cfg.nat === "instance" && heldByGateway) || (cfg.nat === "gateway" && heldByInstance)) {
            const from = heldByGateway ? "gateway" : "instance";
            throw new ConfigError([
                `nat: ${JSON.stringify(cfg.nat)} cannot take over ${eip.publicIp} (egressIpAllocationIds ${JSON.stringify(ids[0])}) in one \`pulumi up\` while the NAT ${from} holds it. ` +
                    `Switch in two steps: \`pulumi config set nat none && pulumi up\`, then \`pulumi config set nat ${cfg.nat} && pulumi up\` ` +
                    `(outbound traffic stops in between), or add a second allocation id for the ${cfg.nat}`,
            ]);
        }
    }
    return eips.map((e) => e.publicIp);
}

function firstLine(e: unknown): string {
    return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}
