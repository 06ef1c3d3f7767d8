// The Aligo account: API key (a secret; never echoed), user id and sending number.
import { quote } from "../../components/index";
import type { RawReader } from "./reader";

export interface AligoConfig {
    readonly aligoUserId: string;
    /** The sending number, digits only. */
    readonly aligoSender: string;
}

export function parseAligoConfig(r: RawReader, apiKey: string | undefined): AligoConfig | undefined {
    if (apiKey === undefined || apiKey === "") {
        r.fail(
            `aligoApiKey: is not set; run \`pulumi config set --secret aligoApiKey\` (it asks for the key, from the Aligo console)`,
        );
    } else if (/\s/.test(apiKey)) {
        // Never echo a secret: say what is wrong with it instead.
        r.fail(
            `aligoApiKey: contains whitespace (a pasted newline or space?); set it again with \`pulumi config set --secret aligoApiKey\``,
        );
    }
    let userId = r.need(
        "aligoUserId",
        "your Aligo login id; run `pulumi config set aligoUserId` (it asks for the value)",
    );
    if (userId !== undefined && !/^[A-Za-z0-9._@-]{1,64}$/.test(userId)) {
        userId = r.fail(`aligoUserId: ${quote(userId)} is not an Aligo user id (letters, digits, . _ @ -)`);
    }
    const senderRaw = r.need("aligoSender", "the sending number registered in the Aligo console, e.g. 02-1234-5678");
    let sender: string | undefined;
    if (senderRaw !== undefined) {
        const digits = senderRaw.replace(/[-\s]/g, "");
        if (/^\d{8,12}$/.test(digits)) sender = digits;
        else
            r.fail(
                `aligoSender: ${quote(senderRaw)} is not a phone number (8–12 digits, hyphens allowed, e.g. 02-1234-5678, 1588-1234, 010-1234-5678)`,
            );
    }
    if (userId === undefined || sender === undefined) return undefined;
    return { aligoUserId: userId, aligoSender: sender };
}
