// The NAT instance's image, looked up before anything is created, and a NAT instance from an
// earlier version to adopt.
import * as aws from "@pulumi/aws";
import {
    amiQuery,
    familyOfImageName,
    imageLookupFailed,
    imageSelector,
    lookupCause,
    pinnedArchitectureProblem,
    profileFor,
    type ImageProfile,
    type NatAdoptedInstance,
} from "../../components/index";
import { ConfigError, type AppConfig } from "../config/config";
import { natName } from "./names";

export async function lookupImage(cfg: AppConfig): Promise<ImageProfile> {
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

/**
 * A NAT instance made by an earlier version (logical name `nat-instance`, Name tag
 * `<project>-<stack>-nat-instance`) is adopted as the current generation when it is built from
 * what the settings ask for (same image choice, type and key pair, no natImageRefresh): it keeps
 * its image and nothing is replaced. Otherwise the new generation is built beside it, takes over
 * when ready, and the old one is deleted at the end.
 */
export async function findAdoptableInstance(cfg: AppConfig): Promise<NatAdoptedInstance | undefined> {
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
export function cause(e: unknown): string {
    const c = lookupCause(e);
    return c ? ` (${c})` : "";
}
