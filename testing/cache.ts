// Where the test suite keeps what it computes once per run (inside node_modules, so `npm ci`
// starts it afresh). No imports beyond node: vitest.config.mts reads this before anything runs.
import { join } from "node:path";

export const TEST_CACHE_DIR = join(__dirname, "..", "node_modules", ".cache", "aligo-sms");
/** The function bundles (program/functions/bundle.ts reads ALIGO_SMS_BUNDLE_CACHE). */
export const TEST_BUNDLE_CACHE = join(TEST_CACHE_DIR, "bundles");
/** The component package's inferred schema (testing/package-schema.ts). */
export const TEST_SCHEMA_CACHE = join(TEST_CACHE_DIR, "schema");
