// Runs once before the suite's workers start: builds both functions' bundles into the folder the
// workers read them from (vitest.config.mts gives them the same ALIGO_SMS_BUNDLE_CACHE), so no
// worker bundles again what another already built.
import { join } from "node:path";
import { BUNDLE_CACHE_ENV, bundleFunction } from "../program/functions/bundle";

/** Where the suite keeps the bundles: inside node_modules, so `npm ci` starts it afresh. */
export const TEST_BUNDLE_CACHE = join(__dirname, "..", "node_modules", ".cache", "aligo-sms", "bundles");

export default function setup(): void {
    process.env[BUNDLE_CACHE_ENV] = TEST_BUNDLE_CACHE;
    bundleFunction("sms");
    bundleFunction("warmer");
}
