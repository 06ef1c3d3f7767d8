// ESLint flat config: typescript-eslint's type-checked recommended rules over every TypeScript file
// (one TypeScript program, the root tsconfig.json, which includes them all), formatting left to
// prettier (eslint-config-prettier turns off the rules it owns).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "**/node_modules/", "bin/", ".e2e-cache/", "e2e/**/sdks/"] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname },
        },
        linterOptions: { reportUnusedDisableDirectives: "error" },
        rules: {
            // Unused arguments named _x are deliberate (a provider method's fixed signature).
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    {
        // A function fits on a screen: the constructors wire and delegate.
        files: ["components/**/*.ts", "program/**/*.ts", "functions/**/*.ts", "index.ts"],
        ignores: ["**/*.test.ts"],
        rules: { "max-lines-per-function": ["error", { max: 80, skipBlankLines: false, skipComments: false }] },
    },
    {
        // Tests read what the mocked engine recorded: resource inputs and outputs are untyped JSON
        // (Record<string, any>) by nature, so the rules against `any` would only add casts there.
        files: ["**/*.test.ts", "test/**/*.ts", "testing/**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-return": "off",
        },
    },
    {
        files: ["**/*.mjs", "**/*.js"],
        ...tseslint.configs.disableTypeChecked,
        languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
    },
    prettier,
);
