/** Dependency-free SVG charts (the console's first load stays small); each has a data table for screen readers. */
export interface Series {
  label: string;
  color: string;
  values: number[];
}

const W = 640;
const H = 200;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

function niceMax(max: number): number {
  if (max <= 4) return 4;
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
}

export function LineChart({ title, labels, series, bars = false }: { title: string; labels: string[]; series: Series[]; bars?: boolean }) {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const n = Math.max(labels.length, 1);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n === 1 ? innerW / 2 : (i * innerW) / (n - 1));
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const ticks = [0, max / 4, max / 2, (3 * max) / 4, max];
  const every = Math.max(1, Math.ceil(n / 8));
  const band = innerW / n;
  return (
    <figure className="mb-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <figcaption className="mb-2 flex flex-wrap items-center gap-4 text-sm font-semibold">
        {title}
        {series.map((s) => (
          <span key={s.label} className="inline-flex items-center gap-1 text-xs font-normal">
            <span aria-hidden="true" className="inline-block h-2 w-3 rounded-sm" style={{ backgroundColor: s.color }} />{s.label}
          </span>
        ))}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`${title} chart`} data-chart={title}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" fontSize="10" fill="#475569">{Math.round(t)}</text>
          </g>
        ))}
        {labels.map((l, i) => i % every === 0 && (
          <text key={l} x={bars ? PAD.left + band * (i + 0.5) : x(i)} y={H - 8} textAnchor="middle" fontSize="10" fill="#475569">{l}</text>
        ))}
        {bars
          ? series.map((s, si) => s.values.map((v, i) => {
            const w = (band * 0.8) / series.length;
            return <rect key={`${s.label}-${labels[i] ?? i}`} x={PAD.left + band * i + band * 0.1 + si * w} y={y(v)} width={w}
              height={Math.max(0, PAD.top + innerH - y(v))} fill={s.color} />;
          }))
          : series.map((s) => (
            <g key={s.label}>
              <polyline fill="none" stroke={s.color} strokeWidth="2" points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ")} />
              {s.values.map((v, i) => <circle key={labels[i] ?? i} cx={x(i)} cy={y(v)} r="2.5" fill={s.color} />)}
            </g>
          ))}
      </svg>
      <details className="mt-2 text-xs">
        <summary className="cursor-pointer text-slate-700">Show as a table</summary>
        <table className="mt-2">
          <caption className="sr-only">{title}</caption>
          <thead><tr><th scope="col" className="pr-3 text-left">Time</th>{series.map((s) => <th key={s.label} scope="col" className="pr-3 text-left">{s.label}</th>)}</tr></thead>
          <tbody>{labels.map((l, i) => (
            <tr key={l}><th scope="row" className="pr-3 text-left font-normal">{l}</th>{series.map((s) => <td key={s.label} className="pr-3">{s.values[i] ?? 0}</td>)}</tr>
          ))}</tbody>
        </table>
      </details>
    </figure>
  );
}
