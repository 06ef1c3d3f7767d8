// The NAT instance's image: looked up (a family's newest for the CPU, or a pinned id), and what it
// asks of the instance (IMDS mode, user data).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lookupCause } from "../errors";
import {
    IMAGE_FAMILIES,
    al2023UserData,
    amiQuery,
    imageLookupFailed,
    pinnedArchitectureProblem,
    profileFor,
} from "../images";
import type { ResolvedInstance } from "./args";
import { NAT_ARG_NAMES } from "./args";

/** An image found (or kept): its id and name. */
export interface FoundImage {
    id: string;
    name: string;
}

/** What the instance is built with, from its image: known at once for a family, after the look-up for a pinned id. */
export interface ImageSettings {
    found: pulumi.Output<FoundImage>;
    /** Whether the IMDS mode and user data are known before the look-up (a family) or follow from it (a pinned id). */
    known: boolean;
    httpTokens: pulumi.Input<string>;
    userData: pulumi.Input<string | undefined>;
}

export const nameOf = (image: FoundImage): string => image.name;

/**
 * The image to look up and what it asks of the instance. For a family, the IMDS mode and user data
 * follow from the family and are known at once; for a pinned AMI they follow from its name, known
 * after the look-up (which also checks the image's CPU against the instance type's).
 */
export function natImageSettings(settings: ResolvedInstance, owner: pulumi.Resource): ImageSettings {
    const { image, architecture } = settings;
    const found = lookUp(settings, owner);
    if (image.kind === "family") {
        const facts = IMAGE_FAMILIES[image.family];
        return {
            found: found.apply((f) => ({ id: f.id, name: f.name })),
            known: true,
            httpTokens: facts.imdsv2Only ? "required" : "optional",
            userData: facts.needsUserData ? al2023UserData() : undefined,
        };
    }
    const profile = found.apply((f) => {
        const p = profileFor(f, image.id);
        const problem = pinnedArchitectureProblem(p, f.name, architecture);
        if (problem) throw new pulumi.ResourceError(`${NAT_ARG_NAMES.image}: ${problem}`, owner, true);
        return p;
    });
    return {
        found: profile.apply((p) => ({ id: p.amiId, name: p.name })),
        known: false,
        httpTokens: profile.apply((p) => p.httpTokens),
        userData: profile.apply((p) => p.userData),
    };
}

/**
 * The look-up. One that finds nothing is told in plain words on the component (the family, CPU and
 * region, and what to choose instead), not as the provider's "Your query returned no results".
 */
function lookUp(settings: ResolvedInstance, owner: pulumi.Resource) {
    const { image, architecture } = settings;
    const choose = (v: string) => `${NAT_ARG_NAMES.image} ${JSON.stringify(v)}`;
    return pulumi.output(
        aws.ec2.getAmi(amiQuery(image, architecture), { parent: owner }).catch(async (e: unknown) => {
            const region = await aws.getRegion({}, { parent: owner }).then(
                (r) => r.region,
                () => "the provider's region",
            );
            const why = imageLookupFailed(image, architecture, region, lookupCause(e), choose);
            throw new pulumi.ResourceError(`${NAT_ARG_NAMES.image}: ${why}`, owner, true);
        }),
    );
}
