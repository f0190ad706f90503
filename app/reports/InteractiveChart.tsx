/**
 * A report chart: the stored, sanitized SVG is rendered on the server and is the whole chart without JavaScript (and in
 * print). With scripts, when the chart first comes near the viewport, Vega is loaded with a dynamic import and the tile's spec and rows are fetched from its JSON route; once the live view has drawn, it
 * replaces the static SVG. Any failure leaves the static chart in place.
 */
import { useEffect, useRef, useState } from "react";

type Phase = "static" | "loading" | "live" | "failed";

export function InteractiveChart({ svg, dataHref, live }: { svg: string; dataHref: string; live: boolean }) {
  const figure = useRef<HTMLElement>(null);
  const target = useRef<HTMLDivElement>(null);
  const [phase, setPhase] = useState<Phase>("static");

  useEffect(() => {
    const element = figure.current;
    const mount = target.current;
    if (!live || !element || !mount) return;
    const abort = new AbortController();
    let chart: { finalize(): void } | undefined;
    const start = () => {
      observer?.disconnect();
      setPhase("loading");
      import("./live-chart.client.ts")
        .then(({ mountLiveChart }) => mountLiveChart(mount, dataHref, abort.signal))
        .then((view) => {
          if (abort.signal.aborted) return view.finalize();
          chart = view;
          setPhase("live");
        })
        .catch((error: unknown) => {
          if (abort.signal.aborted) return;
          console.warn(`report chart stays static: ${error instanceof Error ? error.message : String(error)}`);
          mount.replaceChildren();
          setPhase("failed");
        });
    };
    const observer =
      typeof IntersectionObserver === "function"
        ? new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && start(), { rootMargin: "200px" })
        : undefined;
    if (observer) observer.observe(element);
    else start();
    return () => {
      abort.abort();
      observer?.disconnect();
      chart?.finalize();
    };
  }, [dataHref, live]);

  return (
    <figure className="report-chart" ref={figure} data-chart={phase}>
      {phase !== "live" && (
        // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized at publish time (app/charts/sanitize-svg.ts).
        <div className="report-chart-static" dangerouslySetInnerHTML={{ __html: svg }} />
      )}
      <div className="report-chart-live" ref={target} />
    </figure>
  );
}
