// The plan's diagrams parse with Mermaid's own parser (the one GitHub renders with). Mermaid wants a
// DOM, so it gets a jsdom window; the plan itself (esbuild) runs in plain Node.
import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { planStack } from "./plan";

let parse: (text: string) => Promise<unknown>;

beforeAll(async () => {
    const { window } = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
    Object.assign(globalThis, { window, document: window.document, DOMParser: window.DOMParser, Element: window.Element });
    const mermaid = (await import("mermaid")).default;
    mermaid.initialize({ startOnLoad: false });
    parse = (text) => mermaid.parse(text);
});

describe("plan --mermaid", () => {
    it.each([["dev", undefined], ["prod", undefined], ["prod", "none"], ["dev", "gateway"]] as const)("stack %s nat %s: a valid flowchart", async (stack, nat) => {
        const { mermaid: text } = await planStack({ stack, nat });
        await expect(parse(text)).resolves.toMatchObject({ diagramType: "flowchart-v2" });
    });

    it("the parser does reject a broken flowchart (so the check above can fail)", async () => {
        await expect(parse("flowchart LR\n  a -->|x| \n")).rejects.toThrow();
    });
});
