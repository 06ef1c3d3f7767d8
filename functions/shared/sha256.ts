// SHA-256 and HMAC-SHA-256 from node:crypto behind the interface @smithy/signature-v4 expects
// (a constructor taking an optional secret, update(), async digest()), so no hashing library is bundled.
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytes = (d: SourceData): string | Uint8Array =>
    typeof d === "string"
        ? d
        : d instanceof ArrayBuffer
          ? new Uint8Array(d)
          : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

export class Sha256 {
    private readonly h: Hash | Hmac;
    constructor(secret?: SourceData) {
        this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
    }
    update(data: SourceData): void {
        this.h.update(bytes(data));
    }
    /** Asynchronous only because the interface is: a failure (a second digest) rejects, as it would from an async method. */
    digest(): Promise<Uint8Array> {
        return new Promise((resolve) => resolve(new Uint8Array(this.h.digest())));
    }
}
