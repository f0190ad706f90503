/** Rows per period as plain SVG bars: readable without scripts, no chart library for one histogram. */
export function CoverageChart({ coverage, label }: { coverage: { period: string; rows: number }[]; label: string }) {
  if (coverage.length === 0) return null;
  const width = 720;
  const height = 120;
  const max = Math.max(...coverage.map((c) => c.rows));
  // Bars stay narrow when there are few periods, so one period does not fill the chart.
  const bar = Math.min(width / coverage.length, 48);
  return (
    <figure className="coverage">
      <svg viewBox={`0 0 ${width} ${height + 20}`} role="img" aria-label={label} width="100%">
        {coverage.map((c, i) => {
          const h = max ? Math.max(1, (c.rows / max) * height) : 0;
          return (
            <rect key={c.period} x={i * bar + 1} y={height - h} width={Math.max(1, bar - 2)} height={h} fill="#0b6e4f">
              <title>{`${c.period}: ${c.rows}`}</title>
            </rect>
          );
        })}
        <text x="0" y={height + 15} fontSize="11" fill="#5b6577">
          {coverage[0].period}
        </text>
        {coverage.length > 1 && (
          <text x={coverage.length * bar} y={height + 15} fontSize="11" fill="#5b6577" textAnchor="end">
            {coverage[coverage.length - 1].period}
          </text>
        )}
      </svg>
    </figure>
  );
}
