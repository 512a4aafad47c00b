/**
 * A small line of values 0–100 (a health trend) as SVG, labelled for assistive technology with the
 * first and last values.
 */
export function Sparkline({ values, label, width = 120, height = 28 }: { values: readonly number[]; label: string; width?: number; height?: number }) {
  if (values.length === 0) return <span className="muted">—</span>;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const y = (v: number) => (height - 2 - ((Math.max(0, Math.min(100, v)) / 100) * (height - 4))).toFixed(1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${y(v)}`).join(' ');
  const last = values[values.length - 1] ?? 0;
  return (
    <svg className="health-sparkline" role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width={width} height={height} data-values={values.join(',')}>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
      <circle cx={((values.length - 1) * step).toFixed(1)} cy={y(last)} r="2.2" fill="currentColor" />
    </svg>
  );
}
