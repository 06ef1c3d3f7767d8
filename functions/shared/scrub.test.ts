// The scrubber on its own: every form a quoted request gives our secrets is replaced, in text and in
// parsed JSON, and text without them is left as it is.
import { describe, expect, it } from "vitest";
import { Scrubber } from "./scrub";

/** A key with the characters that change form when encoded (+, /, =), and a user id. */
const KEY = "aB3+x/Yz9=QwErTy";
const USER = "acme01";
const scrubber = new Scrubber([
    { value: KEY, label: "[key]" },
    { value: USER, label: "[user id]" },
]);

describe("every form of a secret in a text", () => {
    it.each<[string, string]>([
        ["as it is", `key=${KEY}&user_id=${USER}`],
        ["form-encoded, as our request is sent", new URLSearchParams({ key: KEY, user_id: USER }).toString()],
        ["percent-encoded", `key=${encodeURIComponent(KEY)}&user_id=${USER}`],
        ["percent-encoded, lower-case hex", `key=${encodeURIComponent(KEY).toLowerCase()}`],
        ["upper-cased by the upstream", `KEY=${KEY.toUpperCase()}&USER_ID=${USER.toUpperCase()}`],
        ["JSON-escaped with \\/ (as PHP writes it)", JSON.stringify({ key: KEY }).replace(/\//g, "\\/")],
        ["in an HTML page", `<p>key=${KEY}&amp;user_id=${USER}</p>`],
        ["twice in a row, glued to letters", `x${KEY}${KEY}y${USER}z`],
    ])("%s", (_label, text) => {
        const out = scrubber.text(text);
        expect(out).toContain("[key]");
        for (const part of ["aB3", "9=QwErTy", "QwErTy", "acme01"])
            expect(out.toLowerCase()).not.toContain(part.toLowerCase());
    });

    it("a text without them is handed back as it is", () => {
        const text = "인증오류입니다. user_id=someone-else";
        expect(scrubber.text(text)).toBe(text);
        expect(scrubber.holds(text)).toBe(false);
    });

    it("no secrets: nothing is replaced", () => {
        const none = new Scrubber([{ value: "", label: "[key]" }]);
        expect(none.text("key=&x")).toBe("key=&x");
        expect(none.inAnswer('{"a":"\\u0041"}', { a: "A" })).toBe(false);
    });
});

describe("parsed JSON", () => {
    it("strings, keys, numbers and booleans that hold a secret, at any depth", () => {
        const numeric = new Scrubber([{ value: "123456", label: "[user id]" }]);
        expect(numeric.value({ list: [{ id: 123456, note: "id 123456" }], [`u123456`]: true, n: 7 })).toEqual({
            list: [{ id: "[user id]", note: "id [user id]" }],
            "u[user id]": true,
            n: 7,
        });
    });

    it('a key "__proto__" stays a key (JSON.parse made it one)', () => {
        const data = JSON.parse(`{"__proto__": {"k": "${USER}"}}`) as unknown;
        expect(JSON.stringify(scrubber.value(data))).toBe('{"__proto__":{"k":"[user id]"}}');
    });

    it.each<[string, string, boolean]>([
        ["the raw text holds it", `{"request":"key=${KEY}"}`, true],
        // Every character \u-escaped: the raw text never shows the key, its data does.
        [
            "only its escapes spell it",
            `{"request":"${[...USER].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"}`,
            true,
        ],
        ["neither", '{"result_code":1,"message":"\\uc131\\uacf5"}', false],
    ])("inAnswer: %s → %s", (_label, raw, expected) => {
        expect(scrubber.inAnswer(raw, JSON.parse(raw))).toBe(expected);
    });
});
