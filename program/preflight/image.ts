// Look-ups that must succeed before the first resource is registered: the region's AZs, the NAT
// image, bring-your-own Elastic IPs, whether one shared address is free for the NAT kind that is
// switched on, and a NAT instance from an earlier version to adopt. Each failure becomes a
// ConfigError that names the key.
import * as aws from "@pulumi/aws";
import { ConfigError, type AppConfig } from "./config/config";
import {
    amiQuery,
    familyOfImageName,
    imageLookupFailed,
    imageSelector,
    pinnedArchitectureProblem,
    profileFor,
    type ImageProfile,
    EGRESS_EIP_ROLE,
    addressHolding,
    type NatAdoptedInstance,
    NatStrategy,
    describeProblems,
    givenAddressProblems,
    heldSwitchProblem,
    holderKind,
    type AddressHolding,
    lookupCause,
    childTags,
} from "../components";
import { NAT_CONFIG_NAMES } from "./config/nat";

export interface Facts {
    /** The first `azCount` AZs of the region that need no opt-in, in name order. */
    readonly availabilityZones: string[];
    /** A NAT instance made by an earlier version that matches the settings, to adopt as it is. */
    readonly adopt?: NatAdoptedInstance;
}

/** The name of the NAT component the program creates (its children's Name tags start with it). */
export const NAT_COMPONENT_NAME = "nat";

/** The Name tag the NAT component gives a child, as the program names the component. */
const natName = (role: string) => childTags(NAT_COMPONENT_NAME, undefined)(role).Name;

export async function preflight(cfg: AppConfig): Promise<Facts> {
    // The Nat component looks the image and your addresses up itself, at deploy time; looking them
    // up here too makes a missing image or a foreign holder an error before anything is created.
    const [availabilityZones, , , adopt] = await Promise.all([
        lookupZones(cfg),
        cfg.nat === "instance" ? lookupImage(cfg) : Promise.resolve(undefined),
        cfg.egressIpAllocationIds ? lookupEgress(cfg, cfg.egressIpAllocationIds) : Promise.resolve(undefined),
        cfg.nat === "instance" ? findAdoptableInstance(cfg) : Promise.resolve(undefined),
        cfg.egressIpAllocationIds ? Promise.resolve() : checkOwnAddresses(cfg),
    ]);
    return { availabilityZones, adopt };
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
    let found: aws.ec2.GetAmiResult;
    try {
        found = await aws.ec2.getAmi(amiQuery(image, cfg.natArchitecture));
    } catch (e) {
        throw new ConfigError([
            `natImage: ${imageLookupFailed(image, cfg.natArchitecture, cfg.region, lookupCause(e), (v) => `\`pulumi config set natImage ${v}\``)}`,
        ]);
    }
    const profile = profileFor(found, selector);
    if (image.kind === "family") return profile;
    const problem = pinnedArchitectureProblem(
        profile,
        found.name,
        cfg.natArchitecture,
        `natInstanceType ${JSON.stringify(cfg.natInstanceType)}`,
    );
    if (problem) throw new ConfigError([`natImage: ${problem}`]);
    return profile;
}

/** How this program deploys with another strategy (for the messages that say how to switch). */
const deployWith = (nat: NatStrategy) => `\`pulumi config set nat ${nat} && pulumi up\``;

/** Who holds an address now (the Nat component's look-up). */
async function holdingOf(id: string): Promise<AddressHolding> {
    return addressHolding(await aws.ec2.getElasticIp({ id }));
}

/**
 * Your own addresses, checked by the Nat component's own rule (givenAddressProblems), which the
 * component applies again at deploy time before it binds one: here it stops the program before
 * anything is created.
 */
async function lookupEgress(cfg: AppConfig, ids: string[]): Promise<string[]> {
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

/**
 * The program's own addresses, found by their Name tags (absent before the first deployment):
 * - with `egressIpStandby: false`, the one address (tagged as the egress address, or still as the
 *   instance's from when the standby was on) must not be held by the other NAT kind;
 * - turning the standby on while `nat` is `gateway` would move the gateway at once to a new address
 *   nobody has registered with Aligo: refuse, and say how to do it in order.
 */
async function checkOwnAddresses(cfg: AppConfig): Promise<void> {
    if (!cfg.egressIpStandby) {
        const found = await aws.ec2.getEips({
            filters: [{ name: "tag:Name", values: [natName(EGRESS_EIP_ROLE), natName("instance-eip")] }],
        });
        for (const id of found.allocationIds) {
            const held = heldSwitchProblem(
                await holdingOf(id),
                cfg.nat,
                "the stack's one Elastic IP, egressIpStandby false",
                "set egressIpStandby true to keep a second address for it (register it with Aligo too)",
                NAT_CONFIG_NAMES,
                deployWith,
            );
            if (held) throw new ConfigError(describeProblems([held]));
        }
        return;
    }
    if (cfg.nat !== "gateway") return;
    const single = await aws.ec2.getEips({ tags: { Name: natName(EGRESS_EIP_ROLE) } });
    if (single.allocationIds.length === 0) return;
    const eip = await holdingOf(single.allocationIds[0]);
    if (holderKind(eip) === NatStrategy.Gateway) {
        throw new ConfigError([
            `egressIpStandby: true would move the NAT gateway from ${eip.publicIp} to a new address at once, before you could register that address with Aligo (-101 until you do). ` +
                `Do it in order: \`pulumi config set nat instance && pulumi config set egressIpStandby true && pulumi up\` ` +
                `(the instance keeps ${eip.publicIp}), register every address in \`pulumi stack output egressIps\` with Aligo, then \`pulumi config set nat gateway && pulumi up\``,
        ]);
    }
}

/**
 * A NAT instance made by an earlier version (logical name `nat-instance`, Name tag
 * `<project>-<stack>-nat-instance`) is adopted as the current generation when it is built from
 * what the settings ask for (same image choice, type and key pair, no natImageRefresh): it keeps
 * its image and nothing is replaced. Otherwise the new generation is built beside it, takes over
 * when ready, and the old one is deleted at the end.
 */
async function findAdoptableInstance(cfg: AppConfig): Promise<NatAdoptedInstance | undefined> {
    if (cfg.natImageRefresh !== "") return undefined;
    const found = await aws.ec2.getInstances({
        instanceTags: { Name: natName("instance") },
        instanceStateNames: ["pending", "running", "stopping", "stopped"],
    });
    if (found.ids.length !== 1) return undefined;
    const old = await aws.ec2.getInstance({ instanceId: found.ids[0] });
    if (old.instanceType !== cfg.natInstanceType || (old.keyName || undefined) !== cfg.natKeyName) return undefined;
    let image: aws.ec2.GetAmiResult;
    try {
        image = await aws.ec2.getAmi({ includeDeprecated: true, filters: [{ name: "image-id", values: [old.ami] }] });
    } catch {
        return undefined; // its image is gone (deregistered): build a new generation
    }
    const arch = image.architecture === "arm64" ? "arm64" : "x86_64";
    const family = familyOfImageName(image.name);
    const selector =
        cfg.natImage.kind === "ami"
            ? image.id
            : family === "custom"
              ? image.id
              : imageSelector({ kind: "family", family }, arch);
    if (selector !== imageSelector(cfg.natImage, cfg.natArchitecture)) return undefined;
    return { amiId: image.id, amiName: image.name };
}

/** A failed look-up's own words, in brackets after a space, or nothing when it says nothing. */
function cause(e: unknown): string {
    const c = lookupCause(e);
    return c ? ` (${c})` : "";
}
