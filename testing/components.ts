// Runs one component (or a few) from hand-written arguments under Pulumi's mocks, with the fake
// AWS account: no stack file, no program, no config.
import * as pulumi from "@pulumi/pulumi";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { NatArgs, NatStrategy } from "../components/index";
import { OfflineAccount, type World } from "../offline/account";
import { runMockProgram, type MockRun, type Recorded } from "../offline/engine";
import { defaultWorld } from "./world";

export interface ComponentRun extends MockRun {
    fake: OfflineAccount;
    byName(name: string): Recorded;
    ofType(type: string): Recorded[];
}

type Build = () => Record<string, any> | void | Promise<Record<string, any> | void>;

export function runComponents(build: Build, world: Partial<World> = {}): Promise<ComponentRun> {
    return runComponentsOn(new OfflineAccount({ ...defaultWorld(), ...world }), build);
}

/**
 * A documentation example (a TypeScript program importing "@pulumi/aligo-sms") run under the mocks,
 * the package's index in the import's place; with what the example exported.
 */
export async function runDocExample(code: string): Promise<{ run: ComponentRun; exported: Record<string, unknown> }> {
    const dir = mkdtempSync(join(tmpdir(), "aligo-example-"));
    try {
        const file = join(dir, "example.ts");
        const index = join(__dirname, "..", "components", "index");
        writeFileSync(file, code.replace('"@pulumi/aligo-sms"', JSON.stringify(index)));
        let exported: Record<string, unknown> = {};
        const run = await runComponents(async () => {
            exported = (await import(file)) as Record<string, unknown>;
        });
        return { run, exported };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * What the package's TypeScript examples (docs/components.md, docs/components-reference.md) build,
 * checked on their run: a NAT instance of t4g.nano whose two private routes go to its interface,
 * and the addresses exported.
 */
export function expectInstanceExample(run: ComponentRun, exported: Record<string, unknown>): void {
    expect(run.error).toBeUndefined();
    expect(run.ofType("aws:ec2/instance:Instance")[0].inputs).toMatchObject({ instanceType: "t4g.nano" });
    expect(
        run
            .ofType("aws:ec2/route:Route")
            .filter((x) => x.inputs.networkInterfaceId)
            .map((x) => x.name),
    ).toEqual(["egress-private-0-default", "egress-private-1-default"]);
    expect(Object.keys(exported)).toContain("egressIps");
}

/** Hand-written arguments for a Nat on its own: made-up ids of a VPC with two private subnets. */
export const handWrittenNatArgs = (strategy: NatStrategy): NatArgs => ({
    strategy,
    vpcId: "vpc-0123456789abcdef0",
    publicSubnetId: "subnet-0aaaaaaaaaaaaaaa1",
    internetGatewayId: "igw-0123456789abcdef0",
    privateRouteTableIds: ["rtb-0aaaaaaaaaaaaaaa1", "rtb-0aaaaaaaaaaaaaaa2"],
    privateSubnetCidrs: ["10.42.128.0/24", "10.42.129.0/24"],
});

/** Runs `build` against a fake account of the test's own (one that keeps its stashes between runs: a later deployment). */
export async function runComponentsOn(fake: OfflineAccount, build: Build): Promise<ComponentRun> {
    const run = await runMockProgram({
        project: "consumer",
        stack: "test",
        config: { "aws:region": fake.world.region ?? "ap-northeast-2" },
        secretKeys: [],
        mocks: fake,
        program: async () => (await build()) ?? {},
    });
    const byName = (name: string) => {
        const r = run.resources.find((x) => x.name === name);
        if (!r) throw new Error(`no resource named ${name}; have: ${run.resources.map((x) => x.name).join(", ")}`);
        return r;
    };
    return { ...run, fake, byName, ofType: (type) => run.resources.filter((r) => r.type === type) };
}

/**
 * Builds something that must be refused: returns the error it threw (Pulumi's input-property error,
 * or undefined when nothing was thrown) and the resources registered anyway (there should be none).
 */
export async function runRefused(
    build: () => unknown,
): Promise<{ error?: pulumi.InputPropertiesError; thrown: unknown; custom: Recorded[] }> {
    let thrown: unknown;
    const r = await runComponents(async () => {
        try {
            await build();
        } catch (e) {
            thrown = e;
        }
    });
    return {
        error: pulumi.InputPropertiesError.isInstance(thrown) ? thrown : undefined,
        thrown,
        custom: r.resources.filter((x) => x.custom),
    };
}

/**
 * Builds something that must be refused at deploy time, once its look-ups or inputs have resolved.
 * The refusal is thrown in a resource's own inputs, which the Pulumi language host reports as the
 * deployment's error (an unhandled rejection, printed as a ResourceError on the component); that
 * resource, and everything that waits for it, is never registered. Such a run never finishes its
 * RPCs, so it cannot go through runComponents (which waits for them): it runs the mocks itself,
 * records what reaches the fake, and takes the rejection from the process while vitest's own
 * handlers are set aside. Returns the errors (each must be a ResourceError) and the types and names
 * registered.
 */
export async function refusedAtDeploy(
    build: () => unknown,
    world: Partial<World> = {},
): Promise<{ errors: string[]; registered: string[]; names: string[] }> {
    const fake = new OfflineAccount({ ...defaultWorld(), ...world });
    const registered: string[] = [];
    const names: string[] = [];
    const newResource = fake.newResource.bind(fake);
    fake.newResource = (a) => {
        registered.push(a.type);
        names.push(a.name);
        return newResource(a);
    };
    const vitestHandlers = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const caught = new Set<unknown>();
    process.on("unhandledRejection", (e) => caught.add(e));
    try {
        pulumi.runtime.setAllConfig({ "aws:region": world.region ?? "ap-northeast-2" }, []);
        await pulumi.runtime.setMocks(fake, "consumer", "test", false);
        build();
        for (let i = 0; i < 150 && caught.size === 0; i++) await new Promise((r) => setTimeout(r, 20));
        // Whatever else would be registered, has been by now.
        await new Promise((r) => setTimeout(r, 300));
    } finally {
        process.removeAllListeners("unhandledRejection");
        for (const h of vitestHandlers) process.on("unhandledRejection", h);
    }
    const errors = [...caught].map((e) => {
        if (!pulumi.ResourceError.isInstance(e))
            throw new Error(`refused with something other than a ResourceError: ${String(e)}`);
        return e.message;
    });
    return { errors, registered, names };
}
