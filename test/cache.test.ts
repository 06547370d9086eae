import { expect, test } from "vitest";
import { RecentlyUsed } from "../src/cache.js";

test("RecentlyUsed forgets the entry used longest ago, so an entry in steady use (a cluster's CA) stays", () => {
  const cache = new RecentlyUsed<string, number>(3);
  cache.set("ca", 0);
  for (let node = 1; node <= 10; node++) {
    expect(cache.get("ca")).toBe(0);
    cache.set(`leaf-${node}`, node);
  }
  expect(cache.get("ca")).toBe(0);
  // Only the two most recent one-off entries are left beside it.
  expect(["leaf-8", "leaf-9", "leaf-10"].map((key) => cache.get(key))).toEqual([undefined, 9, 10]);
  // Setting a key again replaces it without growing past the bound.
  cache.set("leaf-10", 100);
  expect(cache.get("leaf-10")).toBe(100);
  expect(cache.get("ca")).toBe(0);
});

test("obtain makes a value once and keeps it (null too); what throws is not kept", () => {
  const cache = new RecentlyUsed<string, number | null>(2);
  let made = 0;
  const make = (value: number | null) => () => {
    made++;
    return value;
  };
  expect(cache.obtain("a", make(1))).toBe(1);
  expect(cache.obtain("a", make(2))).toBe(1);
  expect(cache.obtain("none", make(null))).toBeNull();
  expect(cache.obtain("none", make(3))).toBeNull();
  expect(made).toBe(2);
  expect(() =>
    cache.obtain("bad", () => {
      throw new Error("refused");
    }),
  ).toThrow("refused");
  expect(cache.obtain("bad", make(4))).toBe(4);
});
