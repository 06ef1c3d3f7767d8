// Runs once before the suite's workers start: builds both functions' bundles into the folder the
// workers read them from (vitest.config.mts gives them the same ALIGO_SMS_BUNDLE_CACHE), so no
// worker bundles again what another already built; and infers the component package's schema once
// (testing/package-schema.ts).
import { BUNDLE_CACHE_ENV, bundleFunction } from "../program/functions/bundle";
import { TEST_BUNDLE_CACHE } from "./cache";
import { inferPackageSchema } from "./package-schema";

export default async function setup(): Promise<void> {
    process.env[BUNDLE_CACHE_ENV] = TEST_BUNDLE_CACHE;
    bundleFunction("sms");
    bundleFunction("warmer");
    await inferPackageSchema();
}
