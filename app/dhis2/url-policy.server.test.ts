import { describe, expect, it } from "vitest";
import { dhis2UrlProblem, isPrivateAddress } from "./url-policy.server.ts";

describe("which DHIS2 URLs the server fetches", () => {
  it("knows internal addresses, IPv4 and IPv6", () => {
    for (const a of ["127.0.0.1", "10.2.3.4", "172.31.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0"])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ["::1", "fd00::1", "fe80::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1"])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ["8.8.8.8", "172.32.0.1", "41.202.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"])
      expect(isPrivateAddress(a), a).toBe(false);
  });

  it("refuses a host resolving to an internal address unless listed, and names the setting", async () => {
    const dns = async (host: string) => ({ "play.dhis2.org": ["104.18.1.1"], "dhis2.moh.local": ["10.1.1.5"] })[host] ?? [];
    expect(await dhis2UrlProblem("https://play.dhis2.org/40", [], dns)).toBeNull();
    expect(await dhis2UrlProblem("http://dhis2.moh.local/", [], dns)).toMatch(
      /"dhis2\.moh\.local" is on an internal address \(10\.1\.1\.5\).*HARMONY_DHIS2_PRIVATE_HOSTS/,
    );
    expect(await dhis2UrlProblem("http://dhis2.moh.local/", ["dhis2.moh.local"], dns)).toBeNull();
    expect(await dhis2UrlProblem("http://169.254.169.254/latest/meta-data", [], dns)).toMatch(/internal address/);
    expect(await dhis2UrlProblem("http://[::1]:8080/", [], dns)).toMatch(/internal address \(::1\)/);
    expect(await dhis2UrlProblem("http://127.0.0.1:9/", ["*"], dns)).toBeNull();
    // One internal answer among public ones is enough to refuse.
    expect(await dhis2UrlProblem("http://mixed.example/", [], async () => ["8.8.8.8", "127.0.0.1"])).toMatch(/127\.0\.0\.1/);
    expect(
      await dhis2UrlProblem("http://nowhere.invalid/", [], async () => {
        throw new Error("ENOTFOUND");
      }),
    ).toMatch(/could not be found/);
  });

  it("resolves real names: localhost is internal", async () => {
    expect(await dhis2UrlProblem("http://localhost:8080/", [])).toMatch(/internal address/);
  });
});
