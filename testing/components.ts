// Runs one component (or a few) from hand-written arguments under Pulumi's mocks, with the fake
// AWS account: no stack file, no program, no config.
import * as pulumi from "@pulumi/pulumi";
import { FakeAws, type World } from "./fake-aws";
import { runMockProgram, type MockRun, type Recorded } from "./mock-program";
import { defaultWorld } from "./world";

export interface ComponentRun extends MockRun {
    fake: FakeAws;
    byName(name: string): Recorded;
    ofType(type: string): Recorded[];
}

export async function runComponents(build: () => Record<string, any> | void | Promise<Record<string, any> | void>, world: Partial<World> = {}): Promise<ComponentRun> {
    const fake = new FakeAws({ ...defaultWorld(), ...world });
    const run = await runMockProgram({
        project: "consumer",
        stack: "test",
        config: { "aws:region": world.region ?? "ap-northeast-2" },
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
export async function runRefused(build: () => unknown): Promise<{ error?: pulumi.InputPropertiesError; thrown: unknown; custom: Recorded[] }> {
    let thrown: unknown;
    const r = await runComponents(async () => {
        try {
            await build();
        } catch (e) {
            thrown = e;
        }
    });
    return { error: pulumi.InputPropertiesError.isInstance(thrown) ? thrown : undefined, thrown, custom: r.resources.filter((x) => x.custom) };
}
