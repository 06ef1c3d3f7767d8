import { describe, expect, it } from "vitest";
import { echo, maskPhones } from "./echo";

describe("maskPhones", () => {
    it.each([
        ["010-1234-5678", "010****5678"],
        ["call 01012345678 now", "call 010****5678 now"],
        ["+82 10 1234 5678", "821****5678"],
        ["02-123-4567", "021****4567"],
        ["a,01011112222,01033334444", "a,010****2222,010****4444"],
        // Two numbers side by side are two numbers, not one long run.
        ["01011112222 01033334444", "010****2222 010****4444"],
        ["010 1111 2222 010 3333 4444", "010****2222 010****4444"],
        // Country code forms and other separators.
        ["+82 (0)10-1234-5678", "820****5678"],
        ["0082-10-1234-5678", "008****5678"],
        ["821012345678", "821****5678"],
        ["010_1234_5678", "010****5678"],
        ["010/1234/5678", "010****5678"],
        ["070-1234-5678", "070****5678"],
        ["031-123-4567", "031****4567"],
        ["(02) 1234 5678", "(021****5678"],
        // Not phone numbers: dates, message ids, addresses, short codes.
        ["2027-02-30T09:00:00+09:00", "2027-02-30T09:00:00+09:00"],
        ["mid 583009869", "mid 583009869"],
        ["203.0.113.77", "203.0.113.77"],
        ["1588-1234", "1588-1234"],
        ["20261125", "20261125"],
        ["0.0123456789", "0.0123456789"],
        ["id 10123456789012", "id 10123456789012"],
    ])("%s → %s", (input, masked) => expect(maskPhones(input)).toBe(masked));
});

describe("echo", () => {
    it.each<[unknown, string]>([
        ["abc", '"abc"'],
        [42, "42"],
        [null, "null"],
        [undefined, "undefined"],
        [["20261101"], '["20261101"]'],
        ["x".repeat(100), `"${"x".repeat(39)}… (102 characters)`],
        [{ receiver: "010-1234-5678" }, '{"receiver":"010****5678"}'],
        [10n, "[object BigInt]"],
    ])("%s → %s", (value, quoted) => expect(echo(value)).toBe(quoted));

    it("masks before it cuts, so half a number never shows", () => {
        const text = echo(`${"y".repeat(30)}01012345678`);
        expect(text).not.toMatch(/0101234/);
    });
});
