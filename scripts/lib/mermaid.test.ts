// The plan's diagrams parse with Mermaid's own parser (the one GitHub renders with). Mermaid wants a
// DOM, so it gets a jsdom window; the plan itself (esbuild) runs in plain Node.
import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { planStack, type PlanOptions } from "./plan";

let parse: (text: string) => Promise<unknown>;
/** The flowchart as Mermaid's parser reads it: subgraphs with their nodes, edges with their labels and strokes. */
let read: (text: string) => Promise<{
    subgraphs: { id: string; nodes: string[] }[];
    edges: { start: string; end: string; text: string; stroke?: string }[];
    /** Each node's label as the page shows it (Mermaid's entity codes turned into HTML entities). */
    labels: Map<string, string>;
}>;

/** Mermaid keeps `#lt;` and the like as ﬂ°lt¶ß until it renders them as `&lt;` (its decodeEntities). */
const asRendered = (text: string) => text.replace(/ﬂ°°/g, "&#").replace(/ﬂ°/g, "&").replace(/¶ß/g, ";");

const diagrams = new Map<string, Promise<string>>();
/** The plan's diagram for these options, planned once in this file (several tests read the same one). */
function diagram(opts: PlanOptions): Promise<string> {
    const key = JSON.stringify(opts);
    if (!diagrams.has(key))
        diagrams.set(
            key,
            planStack(opts).then((p) => p.mermaid),
        );
    return diagrams.get(key)!;
}

beforeAll(async () => {
    const { window } = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
    Object.assign(globalThis, {
        window,
        document: window.document,
        DOMParser: window.DOMParser,
        Element: window.Element,
    });
    const mermaid = (await import("mermaid")).default;
    mermaid.initialize({ startOnLoad: false });
    parse = (text) => mermaid.parse(text);
    read = async (text) => {
        const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
        const db = diagram.db as unknown as {
            getSubGraphs(): { id: string; nodes: string[] }[];
            getEdges(): { start: string; end: string; text: string; stroke?: string }[];
            getVertices(): Map<string, { text?: string }>;
        };
        const labels = new Map([...db.getVertices()].map(([id, v]) => [id, asRendered(v.text ?? "")]));
        return { subgraphs: db.getSubGraphs(), edges: db.getEdges(), labels };
    };
});

describe("plan --mermaid", () => {
    it.each([
        ["dev", undefined],
        ["prod", undefined],
        ["prod", "none"],
        ["dev", "gateway"],
    ] as const)("stack %s nat %s: a valid flowchart", async (stack, nat) => {
        const text = await diagram({ stack, nat });
        await expect(parse(text)).resolves.toMatchObject({ diagramType: "flowchart-v2" });
    });

    it("as the parser reads it: the NAT inside its public subnet; under nat=none no traffic to Aligo and the schedule disabled; the warmer runs in the subnets", async () => {
        const gateway = await read(await diagram({ stack: "prod" }));
        expect(gateway.subgraphs.find((g) => g.id === "network_public_0")?.nodes).toEqual(["nat_gateway"]);
        const edge = (d: typeof gateway, start: string, end: string) =>
            d.edges.filter((e) => e.start === start && e.end === end).map((e) => `${e.text} (${e.stroke})`);
        expect(edge(gateway, "network_igw", "aligo")).toEqual(["HTTPS, from nat-gateway-eip (thick)"]);
        expect(edge(gateway, "functions_warmer", "network_private_0")).toEqual(["runs in (normal)"]);
        expect(edge(gateway, "functions_sms", "network_private_0")).toEqual(["sends from (normal)"]);
        // Each Elastic IP's address is shown as what it is: a placeholder until AWS assigns it.
        expect(gateway.labels.get("nat_gateway_eip")).toBe(
            "Elastic IP nat-gateway-eip<br>&lt;address of nat-gateway-eip at deploy&gt;<br>active: traffic leaves from it (NAT gateway)",
        );
        expect(edge(gateway, "functions_warmer_schedule", "functions_warmer")).toEqual([" (normal)"]);

        const instance = await read(await diagram({ stack: "dev" }));
        expect(instance.subgraphs.find((g) => g.id === "network_public_0")?.nodes).toEqual([
            expect.stringMatching(/^nat_instance_[0-9a-f]{8}$/),
        ]);

        const none = await read(await diagram({ stack: "prod", nat: "none" }));
        expect(edge(none, "network_igw", "aligo")).toEqual(["no traffic (nat=none) (dotted)"]);
        expect(edge(none, "functions_warmer_schedule", "functions_warmer")).toEqual(["(disabled) (dotted)"]);
        expect(edge(none, "functions_warmer", "functions_sms")).toEqual(["warm-up pings (disabled) (dotted)"]);
        expect(none.subgraphs.some((g) => g.id === "network_public_0")).toBe(false); // no NAT to hold
    }, 120_000); // three plans

    it("the parser does reject a broken flowchart (so the check above can fail)", async () => {
        await expect(parse("flowchart LR\n  a -->|x| \n")).rejects.toThrow();
    });
});
