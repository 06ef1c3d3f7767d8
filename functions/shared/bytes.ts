// Message length as Korean carriers count it: EUC-KR bytes. ASCII is 1 byte, Hangul and other
// CJK 2. Characters outside the Basic Multilingual Plane (emoji) cannot be encoded and arrive as a
// single "?", so they count 1. Other BMP symbols are counted 2 whether or not EUC-KR has them: at
// worst a message becomes LMS one byte early, never an SMS that gets cut off.

export function eucKrBytes(text: string): number {
    let n = 0;
    for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        n += cp < 0x80 || cp > 0xffff ? 1 : 2;
    }
    return n;
}

/** Longest SMS; above it the message is an LMS. */
export const SMS_MAX_BYTES = 90;
/** Longest LMS/MMS body. */
export const LMS_MAX_BYTES = 2000;
/** Longest LMS/MMS title. */
export const TITLE_MAX_BYTES = 44;
