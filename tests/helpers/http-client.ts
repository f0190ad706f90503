/** A cookie-keeping HTTP client that behaves like a same-origin browser form (sends Origin on writes). */
export class HttpClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(pathname: string, init: RequestInit & { origin?: string | null } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", this.cookieHeader());
    const method = (init.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "HEAD" && init.origin !== null) headers.set("Origin", init.origin ?? this.baseUrl);
    headers.set("Accept", headers.get("Accept") ?? "text/html");
    const response = await fetch(new URL(pathname, this.baseUrl), { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim())) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  form(pathname: string, fields: Record<string, string>, init: { origin?: string | null } = {}): Promise<Response> {
    return this.request(pathname, { method: "POST", body: new URLSearchParams(fields), ...init });
  }

  signIn(email: string, password: string, redirectTo?: string): Promise<Response> {
    return this.form("/sign-in", { email, password, ...(redirectTo ? { redirectTo } : {}) });
  }
}
