import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES } from "../src/config.ts";

// Operators configure Firebreak from .env.example and the README: every variable the code reads is there.
describe("configuration documentation", () => {
  const envExample = readFileSync(new URL("../.env.example", import.meta.url), "utf8");
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

  it.each(CONFIG_VARIABLES)("%s is in .env.example and in the README's configuration table", (name) => {
    expect(envExample).toMatch(new RegExp(`^#? ?${name}=`, "m"));
    expect(readme).toContain(`| \`${name}\``);
  });
});
